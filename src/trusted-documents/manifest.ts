/**
 * Trusted documents (persisted operations): the manifests of operations a deployment registers,
 * read once, and the lookups the admission needs. Two well-documented manifest formats are read:
 * GraphQL Codegen's client preset with `persistedDocuments` (a JSON object `{ hash: document }`)
 * and Apollo's `@apollo/generate-persisted-query-manifest`
 * (`{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, body, ... }] }`).
 * Knows no HTTP and no GraphQL execution.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "graphql";

/** The SHA-256 of a document's text as lower-case hex: what APQ's `sha256Hash` carries. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A manifest that cannot be used; the gateway refuses to start rather than trust less or more. */
export class ManifestError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`trusted documents manifest ${source}: ${message}`);
    this.name = "ManifestError";
  }
}

/** One registered document: the id the manifest gives it and its text. */
export interface RegisteredDocument {
  id: string;
  body: string;
}

const APOLLO_FORMAT = "apollo-persisted-query-manifest";
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The documents of one parsed manifest (either format), each checked to be a GraphQL document. */
export function manifestDocuments(manifest: unknown, source: string): RegisteredDocument[] {
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest))
    throw new ManifestError(source, "must be a JSON object");
  const documents = isApolloManifest(manifest)
    ? apolloDocuments(manifest, source)
    : codegenDocuments(manifest as Record<string, unknown>, source);
  for (const { id, body } of documents) {
    try {
      parse(body, { noLocation: true });
    } catch (error) {
      throw new ManifestError(source, `document "${id}" is not GraphQL: ${(error as Error).message}`);
    }
  }
  return documents;
}

function isApolloManifest(manifest: object): manifest is Record<string, unknown> {
  return "format" in manifest || "operations" in manifest;
}

function apolloDocuments(manifest: Record<string, unknown>, source: string): RegisteredDocument[] {
  if (manifest.format !== APOLLO_FORMAT || manifest.version !== 1)
    throw new ManifestError(source, `an Apollo manifest needs format "${APOLLO_FORMAT}" and version 1`);
  if (!Array.isArray(manifest.operations))
    throw new ManifestError(source, "an Apollo manifest needs an `operations` array");
  return manifest.operations.map((operation: unknown, index) => {
    const { id, body } = (operation ?? {}) as Record<string, unknown>;
    if (typeof id !== "string" || id === "" || typeof body !== "string" || body === "")
      throw new ManifestError(source, `operations[${index}] needs a string id and body`);
    return { id, body };
  });
}

function codegenDocuments(manifest: Record<string, unknown>, source: string): RegisteredDocument[] {
  return Object.entries(manifest).map(([id, body]) => {
    if (typeof body !== "string" || body === "")
      throw new ManifestError(source, `"${id}" must map to a document's text`);
    return { id, body };
  });
}

/**
 * Every registered document, found by the id its manifest gives it or by the SHA-256 of its
 * text (what APQ clients and the `sha256:` document ids send, whatever id the manifest chose).
 */
export class TrustedDocumentStore {
  private readonly byManifestId = new Map<string, string>();
  private readonly bySha256 = new Map<string, string>();

  constructor(documents: Iterable<RegisteredDocument>) {
    for (const { id, body } of documents) {
      const known = this.byManifestId.get(id);
      // Two manifests may register the same document; one id for two texts is ambiguous.
      if (known !== undefined && known !== body)
        throw new ManifestError(`id "${id}"`, "is registered twice, with different documents");
      this.byManifestId.set(id, body);
      this.bySha256.set(sha256Hex(body), body);
    }
  }

  /** How many distinct documents are registered. */
  get size(): number {
    return this.bySha256.size;
  }

  /**
   * The text a client's id names: `sha256:<hex>` (GraphQL over HTTP's persisted documents), a
   * bare SHA-256 hex (APQ's `sha256Hash`), or a manifest's own id.
   */
  document(id: string): string | undefined {
    const hash = (id.startsWith("sha256:") ? id.slice("sha256:".length) : id).toLowerCase();
    if (SHA256_HEX.test(hash)) {
      const body = this.bySha256.get(hash);
      if (body !== undefined) return body;
    }
    return this.byManifestId.get(id);
  }

  /** Every registered document's text. */
  bodies(): IterableIterator<string> {
    return this.bySha256.values();
  }

  /** True when `text` is exactly a registered document (same bytes, same hash). */
  registers(text: string): boolean {
    return this.bySha256.get(sha256Hex(text)) === text;
  }
}

/** The store of every manifest's documents; a file that cannot be read or used is a ManifestError. */
export function loadManifests(paths: readonly string[]): TrustedDocumentStore {
  const documents: RegisteredDocument[] = [];
  for (const path of paths) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new ManifestError(path, (error as Error).message);
    }
    documents.push(...manifestDocuments(manifest, path));
  }
  return new TrustedDocumentStore(documents);
}
