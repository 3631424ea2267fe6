/**
 * A typed GraphQL call over plain `fetch`: the document's text goes in the body, and its
 * generated types say what the variables must be and what `data` holds. No client library: a
 * script this size needs none, and Node has `fetch`.
 */
import type { TypedDocumentString } from "./gql/graphql.ts";

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  /** `code` always (UNAUTHENTICATED, BAD_USER_INPUT, CLUSTER_UNAVAILABLE…); `cluster` when one is named. */
  extensions?: { code?: string; cluster?: string; retryable?: boolean; [key: string]: unknown };
}

export interface GraphQLAnswer<TResult> {
  /** The HTTP status: 200 for every answer with data, 401 without a valid token, 400 for a malformed request. */
  status: number;
  data?: TResult | null;
  errors?: GraphQLErrorEntry[];
}

/** The gateway could not be asked (unreachable, or it answered something that is not GraphQL). */
export class GatewayUnreachableError extends Error {
  override name = "GatewayUnreachableError";
}

export async function graphqlRequest<TResult, TVariables>(
  endpoint: string,
  token: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<GraphQLAnswer<TResult>> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
    throw new GatewayUnreachableError(`cannot reach ${endpoint}: ${cause}`);
  }
  const text = await response.text();
  let body: Omit<GraphQLAnswer<TResult>, "status">;
  try {
    body = JSON.parse(text) as Omit<GraphQLAnswer<TResult>, "status">;
  } catch {
    throw new GatewayUnreachableError(
      `${endpoint} answered HTTP ${response.status}, not GraphQL: ${text.slice(0, 200)}`,
    );
  }
  return { status: response.status, ...body };
}
