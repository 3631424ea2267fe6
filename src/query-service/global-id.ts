/**
 * Relay global object ids: base64url of "<Kind>/<cluster>/<uid>" for cached objects,
 * "Cluster/<name>" for clusters and "Workspace/<name>" for workspaces. The uid is what the engine's primary index is keyed by, so
 * node(id:) is one lookup; a recreated object (same name, new uid) is a different node, as it is
 * in Kubernetes. Clients must treat ids as opaque; the encoding may change.
 */
import type { CachedKind } from "../cache/entry.js";
import { QueryInputError } from "../cache/query/index.js";
import { isCachedKind } from "../kinds/index.js";

export type GlobalRef =
  | { kind: "Cluster"; cluster: string }
  | { kind: "Workspace"; workspace: string }
  | { kind: CachedKind; cluster: string; uid: string };
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Cluster names are DNS labels and uids are UUIDs (or ns/name fallbacks): far below this. */
const MAX_ID_LENGTH = 2048;

export function clusterId(cluster: string): string {
  return encode(`Cluster/${cluster}`);
}

export function workspaceId(workspace: string): string {
  return encode(`Workspace/${workspace}`);
}

export function objectId(kind: CachedKind, cluster: string, uid: string): string {
  return encode(`${kind}/${cluster}/${uid}`);
}

/** Throws QueryInputError (argument "id") when the string is not an id this API handed out. */
export function decodeGlobalId(id: string): GlobalRef {
  const fail = (): never => {
    throw new QueryInputError("id", `invalid id "${id.slice(0, 80)}": not an id returned by this API`);
  };
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !BASE64URL.test(id)) fail();
  const text = Buffer.from(id, "base64url").toString("utf8");
  const first = text.indexOf("/");
  if (first <= 0) return fail();
  const kind = text.slice(0, first);
  const rest = text.slice(first + 1);
  if (kind === "Cluster" || kind === "Workspace") {
    if (rest.length === 0 || rest.includes("/")) fail();
    return kind === "Cluster" ? { kind, cluster: rest } : { kind, workspace: rest };
  }
  if (!isCachedKind(kind)) return fail();
  // The uid is everything after the cluster: the cache's fallback uid "<namespace>/<name>" has a slash.
  const second = rest.indexOf("/");
  if (second <= 0 || second === rest.length - 1) return fail();
  return { kind, cluster: rest.slice(0, second), uid: rest.slice(second + 1) };
}

function encode(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
