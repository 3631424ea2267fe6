/**
 * The HTTP side of authentication: the bearer token out of the Authorization header, and a
 * refused token as the GraphQL error every client expects — HTTP 401, code UNAUTHENTICATED, and
 * a WWW-Authenticate challenge (RFC 6750) — raised from the context factory so Apollo answers it.
 */
import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import { AuthenticationError } from "../../auth/identity/contracts.js";

/** The token of `Authorization: Bearer <token>`; undefined when the header is absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new AuthenticationError(
      "malformed",
      'the Authorization header must be "Bearer <token>" (RFC 6750); other schemes are not accepted',
    );
  }
  return match[1];
}

/** The GraphQL error of a refused request; anything else is rethrown unchanged. */
export function unauthenticated(error: unknown): GraphQLError {
  if (!(error instanceof AuthenticationError)) throw error;
  const challenge =
    error.reason === "missing"
      ? 'Bearer realm="fleetgraph"'
      : `Bearer realm="fleetgraph", error="invalid_token", error_description="${error.message.replace(/["\\]/g, "'")}"`;
  return new GraphQLError(error.message, {
    extensions: {
      code: "UNAUTHENTICATED",
      reason: error.reason,
      http: { status: 401, headers: new HeaderMap([["www-authenticate", challenge]]) },
    },
  });
}
