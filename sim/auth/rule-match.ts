/**
 * Whether one PolicyRule covers a request, with exactly the semantics of the real RBAC helpers
 * (k8s.io/kubernetes/pkg/apis/rbac/v1 evaluation helpers and rbac.RuleAllows). Notably:
 * - "*" in resources matches every resource and subresource; "*\/scale" matches the scale
 *   subresource of any resource; "pods/*" is NOT a wildcard and only matches the literal string.
 * - resourceNames restricts to named requests, so list/watch/create (which carry no name) never
 *   match a rule that has resourceNames.
 * - a nonResourceURL ending in "*" is a prefix match; "*" alone matches every path.
 */
import type { RequestAttributes } from "./user.js";
import type { PolicyRule } from "./rbac-objects.js";

const ALL = "*";

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const resource of rule.resources ?? []) {
    if (resource === ALL || resource === combinedResource) return true;
    if (!subresource) continue;
    if (
      resource.length === subresource.length + 2 &&
      resource.startsWith("*/") &&
      resource.endsWith(subresource)
    ) {
      return true;
    }
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith(ALL) && path.startsWith(url.replace(/\*+$/, ""))) return true;
  }
  return false;
}

export function ruleAllows(attributes: RequestAttributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (!attributes.resourceRequest) return nonResourceURLMatches(rule, attributes.path);
  const combined = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  return (
    apiGroupMatches(rule, attributes.group) &&
    resourceMatches(rule, combined, attributes.subresource) &&
    resourceNameMatches(rule, attributes.name)
  );
}
