/**
 * Whether one RBAC PolicyRule grants a resource request, by the kube-apiserver's rules:
 * "*" matches any verb, group or resource; "<resource>/<subresource>" and "*\/<subresource>"
 * name subresources (a plain resource never grants its subresources); resourceNames restrict to
 * those objects, so they never grant a request without a name (list, watch, create).
 */
import type { RbacRule } from "../../../src/kinds/rbac.js";
import type { ResourceRequest } from "../resource-request.js";

export function ruleAllows(rule: RbacRule, request: ResourceRequest): boolean {
  return (
    matchesValue(rule.verbs, request.verb) &&
    matchesValue(rule.apiGroups, request.group) &&
    matchesResource(rule.resources, request.resource, request.subresource ?? "") &&
    matchesName(rule.resourceNames, request.name ?? "")
  );
}

export function rulesAllow(rules: readonly RbacRule[], request: ResourceRequest): boolean {
  for (const rule of rules) if (ruleAllows(rule, request)) return true;
  return false;
}

function matchesValue(values: readonly string[], value: string): boolean {
  return values.includes("*") || values.includes(value);
}

function matchesResource(resources: readonly string[], resource: string, subresource: string): boolean {
  const combined = subresource === "" ? resource : `${resource}/${subresource}`;
  for (const r of resources) {
    if (r === "*" || r === combined) return true;
    if (subresource !== "" && r === `*/${subresource}`) return true;
  }
  return false;
}

function matchesName(names: readonly string[], name: string): boolean {
  return names.length === 0 || (name !== "" && names.includes(name));
}
