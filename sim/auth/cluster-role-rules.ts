/**
 * The effective rules of ClusterRoles, including aggregated ones.
 *
 * In a real cluster the clusterrole-aggregation controller copies the rules of every ClusterRole
 * matched by an aggregationRule's clusterRoleSelectors into the aggregated role (sorted by role
 * name, duplicates dropped, the aggregated role's own rules replaced). No controller runs here, so
 * the union is computed when first asked for and memoised until the RBAC objects change; the
 * answer is the one the controller would converge to, including chains (admin <- edit <- view).
 */
import type { KubeObject } from "../../src/kube/object.js";
import { fromLabelSelectorObject, matchesLabels, type LabelSelector } from "../../src/kube/label-selector.js";
import { aggregationSelectorsOf, rulesOf, type PolicyRule } from "./rbac-objects.js";

interface ClusterRoleEntry {
  name: string;
  labels: Record<string, string> | undefined;
  ownRules: PolicyRule[];
  /** Undefined for a role without aggregationRule. */
  selectors: LabelSelector[] | undefined;
}

export class ClusterRoleRules {
  private readonly byName = new Map<string, ClusterRoleEntry>();
  private readonly sortedNames: string[];
  private readonly resolved = new Map<string, PolicyRule[]>();

  constructor(clusterRoles: Iterable<KubeObject>) {
    for (const obj of clusterRoles) {
      const name = obj.metadata.name;
      if (!name) continue;
      const rawSelectors = aggregationSelectorsOf(obj);
      this.byName.set(name, {
        name,
        labels: obj.metadata.labels,
        ownRules: rulesOf(obj),
        selectors: rawSelectors?.flatMap((s) => {
          try {
            return [fromLabelSelectorObject(s)];
          } catch {
            return []; // the real controller skips a role whose selector does not parse
          }
        }),
      });
    }
    this.sortedNames = [...this.byName.keys()].sort();
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The rules the role grants, or undefined when no such ClusterRole exists. */
  rulesFor(name: string): PolicyRule[] | undefined {
    return this.resolve(name, new Set());
  }

  private resolve(name: string, resolving: Set<string>): PolicyRule[] | undefined {
    const cached = this.resolved.get(name);
    if (cached) return cached;
    const entry = this.byName.get(name);
    if (!entry) return undefined;
    if (!entry.selectors) return entry.ownRules;
    // A cycle of aggregated roles: use what is stored, as the controller would see it mid-way.
    if (resolving.has(name)) return entry.ownRules;
    resolving.add(name);
    const rules: PolicyRule[] = [];
    const seen = new Set<string>();
    for (const other of this.sortedNames) {
      if (other === name) continue;
      const candidate = this.byName.get(other)!;
      if (!entry.selectors.some((selector) => matchesLabels(selector, candidate.labels))) continue;
      for (const rule of this.resolve(other, resolving) ?? []) {
        const key = JSON.stringify(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
    resolving.delete(name);
    this.resolved.set(name, rules);
    return rules;
  }
}
