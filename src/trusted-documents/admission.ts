/**
 * Which document an operation request runs under a trusted-documents mode (docs/security.md,
 * "Trusted documents"). The same rules for HTTP (GET and POST) and graphql-ws, so the transports
 * cannot disagree. Knows no transport: it takes the request's fields as the client sent them.
 */
import type { TrustedDocumentStore } from "./manifest.js";

/**
 * off: any document runs (Apollo's automatic persisted queries as usual). allowList: a request
 * names a registered document by id, or sends the exact text of one. required: a request names a
 * registered document by id; text alone is refused, even a registered one.
 */
export type TrustedDocumentsMode = "off" | "allowList" | "required";

export const TRUSTED_DOCUMENTS_MODES: readonly TrustedDocumentsMode[] = ["off", "allowList", "required"];

export type TrustedDocumentCode = "PERSISTED_QUERY_NOT_FOUND" | "OPERATION_NOT_TRUSTED";

export interface TrustedDocumentsPolicy {
  mode: Exclude<TrustedDocumentsMode, "off">;
  store: TrustedDocumentStore;
}

/** The fields of a request that name its document, as a client sends them. */
export interface DocumentFields {
  query?: unknown;
  /** GraphQL over HTTP's persisted documents: `sha256:<hex>` or a manifest's id. */
  documentId?: unknown;
  /** Apollo's APQ shape: `extensions.persistedQuery.sha256Hash`. */
  extensions?: unknown;
}

/** A refused request: a typed code and a message saying what to send instead. */
export interface TrustedDocumentRefusal {
  code: TrustedDocumentCode;
  message: string;
}

/** Either the document to run, or why none runs. `query: undefined`: the request names none. */
export type Admission = { query: string | undefined } | { refusal: TrustedDocumentRefusal };

const EXPLAINED =
  "this gateway runs only registered operations (trustedDocuments); add the operation to a " +
  "manifest the gateway loads (docs/security.md, Trusted documents). The explorer sends " +
  "free-form operations: use it against a gateway without trusted documents";

/** The id a request names its document by, if any: `documentId` first, then APQ's hash. */
export function documentIdOf(fields: DocumentFields): string | undefined {
  if (typeof fields.documentId === "string" && fields.documentId !== "") return fields.documentId;
  const extensions = fields.extensions;
  if (typeof extensions !== "object" || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== "object" || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === "string" && hash !== "" ? hash : undefined;
}

/**
 * The document `fields` runs under `policy`: the registered text its id names (whatever text it
 * also sent), else its own text when the mode allows and the text is registered. A request naming
 * no document is left to the transport's usual answer.
 */
export function admitDocument(fields: DocumentFields, policy: TrustedDocumentsPolicy): Admission {
  const id = documentIdOf(fields);
  if (id !== undefined) {
    const body = policy.store.document(id);
    if (body !== undefined) return { query: body };
    return {
      refusal: {
        code: "PERSISTED_QUERY_NOT_FOUND",
        message: `no registered operation has the id "${printable(id)}": ${EXPLAINED}`,
      },
    };
  }
  const query = fields.query;
  if (typeof query !== "string" || query === "") return { query: undefined };
  if (policy.mode === "allowList" && policy.store.registers(query)) return { query };
  return {
    refusal: {
      code: "OPERATION_NOT_TRUSTED",
      message:
        policy.mode === "required"
          ? `send a registered operation's id (documentId, or extensions.persistedQuery.sha256Hash) instead of its text: ${EXPLAINED}`
          : `the operation's text is not registered: ${EXPLAINED}`,
    },
  };
}

/** An id as echoed in a message: bounded, one line. */
function printable(id: string): string {
  const line = [...id].map((c) => (c < " " || c === "\u007f" ? "?" : c)).join("");
  return line.length <= 80 ? line : `${line.slice(0, 80)}...`;
}
