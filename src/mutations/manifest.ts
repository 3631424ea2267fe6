/**
 * A manifest as `kubectl apply -f` reads one: YAML documents (separated by `---`, or ended by
 * `...`), each an object naming its apiVersion, kind and metadata.name (empty documents are
 * skipped). Mistakes are user errors naming the document by its index among all documents, from 0.
 */
import { parseAllDocuments } from "yaml";
import { isDnsLabel, pathSegmentNameProblem } from "../kube/names.js";
import { isJsonObject, type KubeObject } from "../kube/object.js";
import { countDocuments } from "./manifest-count.js";
import type { UserErrorRecord } from "./outcome.js";

/** Bounded like one API request body (the API server takes 3 MiB): a gateway request stays small. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_MANIFEST_DOCUMENTS = 50;
/** Per-document mistakes answered one by one; beyond these, one "and N more" (the answer stays small). */
export const MAX_DOCUMENT_ERRORS = 20;

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
  const refuse = (message: string, code: UserErrorRecord["code"]): ParsedManifest => ({
    documents: [],
    userErrors: [{ field: FIELD, message, code }],
  });
  if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES)
    return refuse(`a manifest may be at most ${MAX_MANIFEST_BYTES} bytes`, "LIMIT_EXCEEDED");
  // Counted before anything is parsed: past the limit the rest of the text is never read.
  if (countDocuments(text, MAX_MANIFEST_DOCUMENTS) > MAX_MANIFEST_DOCUMENTS)
    return refuse(
      `a manifest may hold at most ${MAX_MANIFEST_DOCUMENTS} documents, this one has more`,
      "LIMIT_EXCEEDED",
    );
  const parsed = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(parsed)) return refuse("the manifest holds no YAML document", "BAD_USER_INPUT");
  const documents: ManifestDocument[] = [];
  const mistakes: string[] = [];
  parsed.forEach((doc, index) => {
    const read = readDocument(doc, index);
    if (typeof read === "string") mistakes.push(`document ${index}: ${read}`);
    else if (read) documents.push(read);
  });
  if (mistakes.length === 0 && documents.length === 0)
    return refuse("the manifest holds no object", "BAD_USER_INPUT");
  const shown = mistakes.length > MAX_DOCUMENT_ERRORS ? mistakes.slice(0, MAX_DOCUMENT_ERRORS) : mistakes;
  if (shown.length < mistakes.length)
    shown.push(`and ${mistakes.length - shown.length} more documents with mistakes`);
  return {
    documents,
    userErrors: shown.map((message) => ({ field: FIELD, message, code: "BAD_USER_INPUT" })),
  };
}

/** One document: what it applies, nothing for an empty one, or what is wrong with it. */
function readDocument(
  doc: ReturnType<typeof parseAllDocuments>[number],
  index: number,
): ManifestDocument | string | undefined {
  if (doc.errors.length > 0) return doc.errors[0]!.message;
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return undefined;
  if (!isJsonObject(value)) return "a document must be an object (a Kubernetes manifest)";
  const { apiVersion, kind } = value;
  const metadata = isJsonObject(value.metadata) ? value.metadata : {};
  if (typeof apiVersion !== "string" || apiVersion === "") return "apiVersion is required";
  if (typeof kind !== "string" || kind === "") return "kind is required";
  if (kind.endsWith("List")) return `${kind}: list the objects as separate documents`;
  const { name, namespace } = metadata;
  if (typeof name !== "string" || name === "")
    return "metadata.name is required (generateName cannot be applied)";
  if (namespace !== undefined && typeof namespace !== "string") return "metadata.namespace must be a string";
  const wrong = nameProblem(name) ?? (namespace ? namespaceProblem(namespace) : undefined);
  if (wrong) return wrong;
  return { index, apiVersion, kind, name, namespace: namespace || undefined, object: value as KubeObject };
}

function nameProblem(name: string): string | undefined {
  const problem = pathSegmentNameProblem(name);
  return problem && `metadata.name ${JSON.stringify(name)}: ${problem}`;
}

function namespaceProblem(namespace: string): string | undefined {
  if (isDnsLabel(namespace)) return undefined;
  return `metadata.namespace ${JSON.stringify(namespace)}: a namespace is a DNS label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)`;
}
