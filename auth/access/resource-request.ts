/**
 * The question access answers, in the API server's terms (its authorizer.Attributes for a
 * resource request): a verb on a resource of an API group, maybe in a namespace, maybe by name.
 */
import type { ResourcePath } from "../../src/fleet/resources.js";

export interface ResourceRequest {
  readonly verb: string;
  /** "" for the core group. */
  readonly group: string;
  /** The plural resource ("pods"). */
  readonly resource: string;
  readonly subresource?: string;
  /** Absent or "" for a cluster-wide request (and for cluster-scoped resources). */
  readonly namespace?: string;
  /** Absent or "" for a collection (list, watch, create). */
  readonly name?: string;
}

/** The group and resource a cached kind's API path names: "/apis/apps/v1" + deployments. */
export function resourceOf(path: ResourcePath): { group: string; resource: string } {
  const group = path.prefix.startsWith("/apis/") ? (path.prefix.split("/")[2] ?? "") : "";
  return { group, resource: path.plural };
}
