/**
 * Targets named by fleet workload ids (Query.fleetWorkloads): each group expands to its
 * instances the caller may read now, on every cluster they read (a cluster that is down keeps
 * its cached instance, whose write then fails in its own outcome). The kinds, the target limit
 * and everything after (access, impersonation, audit) are those of ids.
 */
import type { CacheEntry } from "../cache/entry.js";
import type { AnyKind } from "../kinds/index.js";
import { decodeGlobalId, objectId, type FleetWorkloadKey } from "../query-service/global-id.js";
import type { UserErrorRecord } from "./outcome.js";
import { cachedTarget, targetLimitError, type MutationTarget, type ResolvedTargets } from "./targets.js";

/** A group's readable instances now (FleetWorkloadReads.get, stale clusters included); none: undefined. */
export type GroupInstances = (key: FleetWorkloadKey) => readonly CacheEntry[] | undefined;

export function groupTargets(
  groups: readonly string[],
  kinds: readonly AnyKind[],
  instancesOf: GroupInstances,
  what: string,
  limit: number,
): ResolvedTargets {
  if (groups.length === 0) {
    return {
      targets: [],
      userErrors: [{ field: ["input", "groups"], message: "no group given", code: "BAD_USER_INPUT" }],
    };
  }
  const userErrors: UserErrorRecord[] = [];
  const targets: MutationTarget[] = [];
  const seen = new Set<string>();
  groups.forEach((id, index) => {
    const field = ["input", "groups", String(index)];
    const key = groupKey(id);
    if (typeof key === "string") {
      userErrors.push({ field, message: key, code: "BAD_USER_INPUT" });
      return;
    }
    const kind = kinds.find((k) => k.kind === key.kind);
    if (!kind) {
      const accepted = kinds.map((k) => k.kind).join(", ");
      userErrors.push({
        field,
        message: `${what} acts on ${accepted}; this group is of ${key.kind}s`,
        code: "BAD_USER_INPUT",
      });
      return;
    }
    const instances = instancesOf(key);
    if (!instances) {
      userErrors.push({
        field,
        message: "no workload of this group that you may read (deleted, or not yours to see)",
        code: "BAD_USER_INPUT",
      });
      return;
    }
    for (const entry of instances) {
      const target = objectId(entry.kind, entry.cluster, entry.uid);
      if (seen.has(target)) continue;
      seen.add(target);
      targets.push(cachedTarget(kind, entry.cluster, entry, target));
    }
  });
  if (userErrors.length > 0) return { targets: [], userErrors };
  const tooMany = targetLimitError(targets.length, limit, ["input", "groups"], "workloads");
  return tooMany ? { targets: [], userErrors: [tooMany] } : { targets, userErrors: [] };
}

/** The group's key, or why the id is not a group's. */
function groupKey(id: string): FleetWorkloadKey | string {
  let ref;
  try {
    ref = decodeGlobalId(id);
  } catch {
    return `not an id returned by this API: "${id.slice(0, 80)}"`;
  }
  return "group" in ref ? ref.group : `not a FleetWorkload's id; this is a ${ref.kind}'s (use ids for it)`;
}
