/**
 * Trusted documents on HTTP: the request's document fields (a POST's JSON body, a GET's query
 * string) admitted by src/trusted-documents/admission.ts before Apollo sees them. An admitted
 * request reaches Apollo as plain text (`query`), its id fields removed, so Apollo's own
 * automatic persisted queries never register or serve anything in trusted mode.
 */
import {
  admitDocument,
  type DocumentFields,
  type TrustedDocumentRefusal,
  type TrustedDocumentsPolicy,
} from "../trusted-documents/admission.js";

/** The parts of an HTTP GraphQL request that name its document. */
export interface HttpOperation {
  /** The parsed JSON body of a POST (undefined for GET). */
  body: unknown;
  /** Everything after "?" (with the "?"), not %-decoded; "" for none. */
  search: string;
}

/** The request as Apollo should see it, or the refusal to answer (HTTP 400). */
export function admitHttpOperation(
  method: string,
  request: HttpOperation,
  policy: TrustedDocumentsPolicy,
): HttpOperation | TrustedDocumentRefusal {
  if (method === "POST") {
    const body = request.body;
    // A batch is refused here, not left to Apollo: turning batching on must not open a way round.
    if (Array.isArray(body))
      return {
        code: "OPERATION_NOT_TRUSTED",
        message: "send one operation per request: batches are not admitted with trusted documents",
      };
    // No JSON body: Apollo refuses it.
    if (typeof body !== "object" || body === null) return request;
    const admission = admitDocument(body, policy);
    if ("refusal" in admission) return admission.refusal;
    if (admission.query === undefined) return request;
    return { ...request, body: withQuery(body as Record<string, unknown>, admission.query) };
  }
  if (request.search === "") return request;
  const params = new URLSearchParams(request.search);
  const fields: DocumentFields = {
    query: params.get("query") ?? undefined,
    documentId: params.get("documentId") ?? undefined,
    extensions: parsedJson(params.get("extensions")),
  };
  const admission = admitDocument(fields, policy);
  if ("refusal" in admission) return admission.refusal;
  if (admission.query === undefined) return request;
  const rewritten = withQuery(
    {
      ...Object.fromEntries(params),
      ...(fields.extensions !== undefined ? { extensions: fields.extensions } : {}),
    },
    admission.query,
  );
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(rewritten))
    search.set(name, typeof value === "string" ? value : JSON.stringify(value));
  return { ...request, search: `?${search.toString()}` };
}

/** `fields` running `query`: the id fields dropped (Apollo would otherwise try APQ). */
function withQuery(fields: Record<string, unknown>, query: string): Record<string, unknown> {
  const { documentId: _documentId, extensions, ...rest } = fields;
  const others =
    typeof extensions === "object" && extensions !== null
      ? Object.fromEntries(Object.entries(extensions).filter(([name]) => name !== "persistedQuery"))
      : undefined;
  return { ...rest, query, ...(others && Object.keys(others).length > 0 ? { extensions: others } : {}) };
}

function parsedJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Apollo answers a malformed `extensions` itself.
    return undefined;
  }
}
