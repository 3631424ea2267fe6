/**
 * A manifest as `kubectl apply -f` reads one: YAML documents separated by `---`, each an object
 * naming its apiVersion, kind and metadata.name (empty documents are skipped). Mistakes are user
 * errors naming the document by its index among all documents, from 0.
 */
import { parseAllDocuments } from "yaml";
import { isJsonObject, type KubeObject } from "../kube/object.js";
import type { UserErrorRecord } from "./outcome.js";

/** Bounded like one API request body (the API server takes 3 MiB): a gateway request stays small. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_MANIFEST_DOCUMENTS = 50;

export interface ManifestDocument {
  /** Its position among the manifest's documents (empty ones included), from 0. */
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  /** The document as written (sent as the apply configuration). */
  object: KubeObject;
}

export interface ParsedManifest {
  documents: ManifestDocument[];
  userErrors: UserErrorRecord[];
}

const FIELD = ["input", "manifest"];

export function parseManifest(text: string): ParsedManifest {
  const error = (message: string): ParsedManifest => ({
    documents: [],
    userErrors: [{ field: FIELD, message, code: "BAD_USER_INPUT" }],
  });
  if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES)
    return {
      documents: [],
      userErrors: [
        {
          field: FIELD,
          message: `a manifest may be at most ${MAX_MANIFEST_BYTES} bytes`,
          code: "LIMIT_EXCEEDED",
        },
      ],
    };
  const parsed = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(parsed)) return error("the manifest holds no YAML document");
  const documents: ManifestDocument[] = [];
  const userErrors: UserErrorRecord[] = [];
  const bad = (index: number, message: string): void => {
    userErrors.push({ field: FIELD, message: `document ${index}: ${message}`, code: "BAD_USER_INPUT" });
  };
  parsed.forEach((doc, index) => {
    if (doc.errors.length > 0) return bad(index, doc.errors[0]!.message);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (!isJsonObject(value)) return bad(index, "a document must be an object (a Kubernetes manifest)");
    const { apiVersion, kind } = value;
    const metadata = isJsonObject(value.metadata) ? value.metadata : {};
    if (typeof apiVersion !== "string" || apiVersion === "") return bad(index, "apiVersion is required");
    if (typeof kind !== "string" || kind === "") return bad(index, "kind is required");
    if (kind.endsWith("List")) return bad(index, `${kind}: list the objects as separate documents`);
    if (typeof metadata.name !== "string" || metadata.name === "")
      return bad(index, "metadata.name is required (generateName cannot be applied)");
    if (metadata.namespace !== undefined && typeof metadata.namespace !== "string")
      return bad(index, "metadata.namespace must be a string");
    documents.push({
      index,
      apiVersion,
      kind,
      name: metadata.name,
      namespace: metadata.namespace || undefined,
      object: value as KubeObject,
    });
  });
  if (parsed.length > MAX_MANIFEST_DOCUMENTS)
    userErrors.push({
      field: FIELD,
      message: `a manifest may hold at most ${MAX_MANIFEST_DOCUMENTS} documents, this one has ${parsed.length}`,
      code: "LIMIT_EXCEEDED",
    });
  if (userErrors.length === 0 && documents.length === 0) return error("the manifest holds no object");
  return { documents, userErrors };
}
