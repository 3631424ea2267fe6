/**
 * Trusted documents (the gateway's `trustedDocuments`, docs/security.md): instead of an
 * operation's text, the client sends the hash graphql-codegen embedded in each document
 * (`__meta__.hash`, the key of gql/persisted-documents.json, the manifest the gateway loads).
 * Apollo's persisted-query link puts it in `extensions.persistedQuery`, for HTTP and graphql-ws
 * alike when it runs before the split.
 */
import type { ApolloLink } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import type { DocumentNode } from "graphql";

/** A codegen document's embedded hash; a document codegen did not make has none. */
function hashOf(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== "string")
    throw new Error("this operation has no persisted-document hash: run `npm run dashboard:codegen`");
  return hash;
}

export function persistedDocumentsLink(): ApolloLink {
  // POST, as every other request of the page: the gateway's CSRF check wants JSON or a preflight.
  return new PersistedQueryLink({ generateHash: hashOf, useGETForHashedQueries: false });
}
