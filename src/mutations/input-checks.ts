/** Checks of mutation inputs every service shares: each a user error with its field, or undefined. */
import { isDnsLabel, pathSegmentNameProblem } from "../kube/names.js";
import type { UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { targetLimitError } from "./targets.js";

const bad = (field: string[], message: string): UserErrorRecord => ({
  field: ["input", ...field],
  message,
  code: "BAD_USER_INPUT",
});

/** Absent, or a whole number within low..high. */
export function wholeNumberIn(
  value: number | null | undefined,
  low: number,
  high: number,
  field: string,
): UserErrorRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (Number.isInteger(value) && value >= low && value <= high) return undefined;
  return bad([field], `${field} must be a whole number from ${low} to ${high}`);
}

/** An object's name, as the API server accepts it in a path. */
export function objectName(name: string, field: string[] = ["name"]): UserErrorRecord | undefined {
  const problem = pathSegmentNameProblem(name);
  return problem ? bad(field, `a name ${problem}`) : undefined;
}

/** A namespace's name (absent is fine: the operation decides what that means). */
export function namespaceName(
  namespace: string | null | undefined,
  field: string[] = ["namespace"],
): UserErrorRecord | undefined {
  if (namespace === undefined || namespace === null || isDnsLabel(namespace)) return undefined;
  return bad(field, "a namespace name is a DNS label: at most 63 lower-case letters, digits and -");
}

/**
 * A cluster the fleet serves and the caller may see; any other reads as absent, so a caller
 * learns nothing of clusters outside their Scope.
 */
export function knownCluster(
  cluster: string,
  caller: MutationCaller,
  pipeline: MutationPipeline,
  field: string[] = ["cluster"],
): UserErrorRecord | undefined {
  if (pipeline.connections.get(cluster) !== undefined && caller.scope.allowsCluster(cluster))
    return undefined;
  return bad(field, `no cluster named "${cluster}"`);
}

/**
 * The clusters of an input that takes `cluster` or `clusters` (exactly one of the two, naming at
 * least one): each one distinct, with a user error for the pair, for each cluster unknown to
 * the caller, and for more than a mutation may touch.
 */
export function namedClusters(
  input: { cluster?: string | null; clusters?: readonly string[] | null },
  caller: MutationCaller,
  pipeline: MutationPipeline,
): { clusters: string[]; userErrors: UserErrorRecord[] } {
  const userErrors: UserErrorRecord[] = [];
  const clusters = input.clusters ?? (input.cluster ? [input.cluster] : []);
  if ((input.cluster ? 1 : 0) + (input.clusters ? 1 : 0) !== 1 || clusters.length === 0)
    userErrors.push(bad([], "give cluster or clusters (not both), naming at least one cluster"));
  clusters.forEach((cluster, i) => {
    const unknown = knownCluster(
      cluster,
      caller,
      pipeline,
      input.clusters ? ["clusters", String(i)] : ["cluster"],
    );
    if (unknown) userErrors.push(unknown);
  });
  const tooMany = targetLimitError(clusters.length, pipeline.maxTargets(), ["input", "clusters"], "clusters");
  if (tooMany) userErrors.push(tooMany);
  return { clusters: [...new Set(clusters)], userErrors };
}

export const present = <T>(values: (T | undefined)[]): T[] => values.filter((v): v is T => v !== undefined);
