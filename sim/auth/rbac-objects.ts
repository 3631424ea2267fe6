/**
 * The rbac.authorization.k8s.io/v1 shapes the authoriser reads, and tolerant readers that turn
 * stored (untyped) objects into them. Stored objects were validated only loosely, so every field
 * is treated as possibly missing.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findResource, type ResourceKind } from "../kinds.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string; // User | Group | ServiceAccount
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string; // Role | ClusterRole
  name: string;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function rbacKind(plural: string): ResourceKind {
  const kind = findResource(RBAC_GROUP, plural);
  if (!kind) throw new Error(`sim/kinds.ts has no ${plural}.${RBAC_GROUP}`);
  return kind;
}

export const RBAC_KINDS = {
  roles: rbacKind("roles"),
  clusterRoles: rbacKind("clusterroles"),
  roleBindings: rbacKind("rolebindings"),
  clusterRoleBindings: rbacKind("clusterrolebindings"),
} as const;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function rulesOf(obj: KubeObject): PolicyRule[] {
  if (!Array.isArray(obj.rules)) return [];
  const rules: PolicyRule[] = [];
  for (const raw of obj.rules as unknown[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const r = raw as Record<string, unknown>;
    const rule: PolicyRule = { verbs: strings(r.verbs) };
    if (r.apiGroups !== undefined) rule.apiGroups = strings(r.apiGroups);
    if (r.resources !== undefined) rule.resources = strings(r.resources);
    if (r.resourceNames !== undefined) rule.resourceNames = strings(r.resourceNames);
    if (r.nonResourceURLs !== undefined) rule.nonResourceURLs = strings(r.nonResourceURLs);
    rules.push(rule);
  }
  return rules;
}

export function subjectsOf(obj: KubeObject): Subject[] {
  if (!Array.isArray(obj.subjects)) return [];
  const subjects: Subject[] = [];
  for (const raw of obj.subjects as unknown[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const s = raw as Record<string, unknown>;
    if (typeof s.kind !== "string" || typeof s.name !== "string") continue;
    subjects.push({
      kind: s.kind,
      name: s.name,
      ...(typeof s.apiGroup === "string" ? { apiGroup: s.apiGroup } : {}),
      ...(typeof s.namespace === "string" && s.namespace ? { namespace: s.namespace } : {}),
    });
  }
  return subjects;
}

export function roleRefOf(obj: KubeObject): RoleRef | undefined {
  const ref = obj.roleRef as Record<string, unknown> | undefined;
  if (typeof ref !== "object" || ref === null) return undefined;
  if (typeof ref.kind !== "string" || typeof ref.name !== "string") return undefined;
  return {
    apiGroup: typeof ref.apiGroup === "string" ? ref.apiGroup : RBAC_GROUP,
    kind: ref.kind,
    name: ref.name,
  };
}

/** The aggregationRule's selectors, or undefined when the ClusterRole is not aggregated. */
export function aggregationSelectorsOf(obj: KubeObject): LabelSelectorObject[] | undefined {
  const rule = obj.aggregationRule as { clusterRoleSelectors?: unknown } | undefined;
  if (typeof rule !== "object" || rule === null) return undefined;
  const selectors = Array.isArray(rule.clusterRoleSelectors) ? (rule.clusterRoleSelectors as unknown[]) : [];
  return selectors.filter((s): s is LabelSelectorObject => typeof s === "object" && s !== null);
}

const SA_PREFIX = "system:serviceaccount:";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `system:serviceaccount:<ns>:<name>` -> {namespace, name}, as serviceaccount.SplitUsername (valid names only). */
export function splitServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(":");
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}
