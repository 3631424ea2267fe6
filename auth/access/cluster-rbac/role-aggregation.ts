/**
 * The rules of every ClusterRole, aggregation resolved here rather than trusted to a controller:
 * an aggregated role grants its own rules plus those of every ClusterRole its
 * aggregationRule.clusterRoleSelectors match, transitively (admin aggregates edit, which
 * aggregates view), each role counted once even when selectors form a cycle.
 */
import type { CacheEntry } from "../../../src/cache/entry.js";
import type { ClusterRoleData, RbacRule, RoleSelector } from "../../../src/kinds/rbac.js";
import {
  fromLabelSelectorObject,
  LabelSelectorError,
  matchesLabels,
  type LabelSelector,
} from "../../../src/kube/label-selector.js";

export function resolveClusterRoles(
  roles: Iterable<CacheEntry<ClusterRoleData>>,
): ReadonlyMap<string, readonly RbacRule[]> {
  const byName = new Map<string, CacheEntry<ClusterRoleData>>();
  for (const role of roles) byName.set(role.name, role);
  const resolved = new Map<string, readonly RbacRule[]>();
  for (const name of byName.keys()) resolved.set(name, rulesOf(name, byName));
  return resolved;
}

function rulesOf(
  name: string,
  byName: ReadonlyMap<string, CacheEntry<ClusterRoleData>>,
): readonly RbacRule[] {
  const root = byName.get(name);
  if (!root?.data.aggregateFrom) return root?.data.rules ?? [];
  const rules: RbacRule[] = [];
  const seen = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const role = pending.pop()!;
    if (seen.has(role.name)) continue;
    seen.add(role.name);
    rules.push(...role.data.rules);
    const selectors = (role.data.aggregateFrom ?? []).flatMap(toSelector);
    if (selectors.length === 0) continue;
    for (const candidate of byName.values()) {
      if (!seen.has(candidate.name) && selectors.some((s) => matchesLabels(s, candidate.labels))) {
        pending.push(candidate);
      }
    }
  }
  return rules;
}

/** An empty selector matches every role, as metav1.LabelSelectorAsSelector says; a bad one none. */
function toSelector(selector: RoleSelector): LabelSelector[] {
  try {
    return [fromLabelSelectorObject(selector as Parameters<typeof fromLabelSelectorObject>[0])];
  } catch (error) {
    if (error instanceof LabelSelectorError) return [];
    throw error;
  }
}
