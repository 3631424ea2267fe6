/**
 * Relay global object ids: base64url of "<Kind>/<cluster>/<uid>" for cached objects,
 * "Cluster/<name>" for clusters, "Workspace/<name>" for workspaces and
 * "FleetWorkload/<by>/<namespace>/<kind>/<name>" for a workload grouped across clusters. The uid is what the engine's primary index is keyed by, so
 * node(id:) is one lookup; a recreated object (same name, new uid) is a different node, as it is
 * in Kubernetes. Clients must treat ids as opaque; the encoding may change.
 */
import type { CachedKind } from "../cache/entry.js";
import { QueryInputError } from "../cache/query/index.js";
import { isCachedKind } from "../kinds/index.js";

/**
 * What groups a workload's instances across clusters (src/query-service/fleet-workloads): its
 * namespace, kind and name, or (`by: "label"`) its namespace, kind and placement label's value.
 */
export interface FleetWorkloadKey {
  by: "name" | "label";
  namespace: string;
  kind: string;
  name: string;
}

export type GlobalRef =
  | { kind: "Cluster"; cluster: string }
  | { kind: "Workspace"; workspace: string }
  | { kind: "FleetWorkload"; group: FleetWorkloadKey }
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

export function fleetWorkloadId(key: FleetWorkloadKey): string {
  return encode(`FleetWorkload/${key.by}/${key.namespace}/${key.kind}/${key.name}`);
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
  if (kind === "FleetWorkload") return { kind, group: fleetWorkloadKey(rest) ?? fail() };
  if (!isCachedKind(kind)) return fail();
  // The uid is everything after the cluster: the cache's fallback uid "<namespace>/<name>" has a slash.
  const second = rest.indexOf("/");
  if (second <= 0 || second === rest.length - 1) return fail();
  return { kind, cluster: rest.slice(0, second), uid: rest.slice(second + 1) };
}

/** Namespaces, kinds, names and label values hold no "/": exactly four parts, none empty. */
function fleetWorkloadKey(rest: string): FleetWorkloadKey | undefined {
  const [by, namespace, kind, name, ...more] = rest.split("/");
  if (more.length > 0 || (by !== "name" && by !== "label") || !namespace || !kind || !name) return undefined;
  return { by, namespace, kind, name };
}

function encode(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
