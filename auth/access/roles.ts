/**
 * The gateway's built-in roles, in KubeSphere's vocabulary, as data. A role is granted by a
 * binding (from the config, later from a persisted store) at a level: the platform, a
 * workspace (its namespaces in every cluster), a cluster, or one namespace. What a caller gets
 * is these grants AND the cluster's own RBAC (auth/access/access-evaluator.ts).
 */
import { REPLICA_SET, WORKLOADS } from "../../src/kinds/index.js";
import type { RoleRef } from "../subject.js";

export type RoleLevel = "platform" | "workspace" | "cluster" | "namespace";

export interface RoleRule {
  readonly verbs: "*" | readonly string[];
  /** Cached kind names, or "*" for every kind (custom resources included). */
  readonly kinds: "*" | readonly string[];
  /** Kinds "*" leaves out (Secrets for viewers). */
  readonly except?: readonly string[];
  /**
   * Also the cluster-scoped kinds (nodes, volumes, storage classes, every namespace object);
   * only platform and cluster roles reach them.
   */
  readonly clusterScoped?: boolean;
  /** Creating namespaces in the role's workspace (workspace roles). */
  readonly createsNamespaces?: boolean;
}

export interface BuiltInRole {
  readonly name: string;
  readonly level: RoleLevel;
  readonly rules: readonly RoleRule[];
}

/** A built-in role granted to users and groups where its RoleRef says. */
export interface GatewayRoleBinding extends RoleRef {
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
}

const READ = ["get", "list", "watch"] as const;
const WRITE = ["create", "update", "patch", "delete", "deletecollection"] as const;
const NOT_SECRETS = ["Secret"] as const;
const OPERATED = [...WORKLOADS.map((w) => w.kind), REPLICA_SET.kind, "Pod", "Service", "ConfigMap"];

const everything: RoleRule = { verbs: "*", kinds: "*", clusterScoped: true };
const readAllButSecrets: RoleRule = { verbs: READ, kinds: "*", except: NOT_SECRETS, clusterScoped: true };

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { name: "platform-admin", level: "platform", rules: [everything] },
  { name: "platform-regular", level: "platform", rules: [] },
  {
    name: "workspace-admin",
    level: "workspace",
    rules: [
      { verbs: "*", kinds: "*" },
      { verbs: ["create"], kinds: ["Namespace"], createsNamespaces: true },
    ],
  },
  // Sees the workspace (its namespace objects), nothing inside them.
  { name: "workspace-regular", level: "workspace", rules: [{ verbs: READ, kinds: ["Namespace"] }] },
  { name: "workspace-viewer", level: "workspace", rules: [readAllButSecrets] },
  { name: "cluster-admin", level: "cluster", rules: [everything] },
  { name: "cluster-viewer", level: "cluster", rules: [readAllButSecrets] },
  { name: "admin", level: "namespace", rules: [everything] },
  {
    name: "operator",
    level: "namespace",
    rules: [
      { verbs: READ, kinds: "*", except: [...NOT_SECRETS, "Role", "RoleBinding"] },
      { verbs: WRITE, kinds: OPERATED },
    ],
  },
  { name: "viewer", level: "namespace", rules: [readAllButSecrets] },
];

const BY_NAME = new Map(BUILT_IN_ROLES.map((r) => [r.name, r]));

/** The built-in role of that name; undefined for a name the gateway does not know. */
export const builtInRole = (name: string): BuiltInRole | undefined => BY_NAME.get(name);

export function ruleAllowsVerb(rule: RoleRule, verb: string): boolean {
  return rule.verbs === "*" || rule.verbs.includes(verb);
}

export function ruleCoversKind(rule: RoleRule, kind: string): boolean {
  if (rule.except?.includes(kind)) return false;
  return rule.kinds === "*" || rule.kinds.includes(kind);
}

/** The bindings that name the user or one of its groups, as the RoleRefs they grant. */
export function roleRefsOf(
  bindings: readonly GatewayRoleBinding[],
  user: string,
  groups: ReadonlySet<string>,
): RoleRef[] {
  const refs: RoleRef[] = [];
  for (const { users, groups: bound, ...ref } of bindings) {
    if (users?.includes(user) || bound?.some((g) => groups.has(g))) refs.push(ref);
  }
  return refs;
}

/** A binding's field that does not fit its role, with what is wrong, for config and mutation errors. */
export interface BindingProblem {
  field: "role" | "users" | "cluster" | "workspace" | "namespace";
  message: string;
}

/**
 * What is wrong with a binding: an unknown role, nobody bound, or a place that does not fit the
 * role's level (a workspace role needs its workspace; a namespace role its namespace and, at
 * most, one cluster; a cluster role its cluster; a platform role nothing).
 */
export function bindingProblems(binding: GatewayRoleBinding): BindingProblem[] {
  const role = builtInRole(binding.role);
  if (!role) {
    const known = BUILT_IN_ROLES.map((r) => r.name).join(", ");
    return [{ field: "role", message: `unknown role "${binding.role}" (expected one of: ${known})` }];
  }
  const problems: BindingProblem[] = [];
  if ((binding.users?.length ?? 0) === 0 && (binding.groups?.length ?? 0) === 0)
    problems.push({ field: "users", message: "binds nobody: give users or groups" });
  const wants: Record<"cluster" | "workspace" | "namespace", "required" | "optional" | "forbidden"> = {
    cluster: role.level === "cluster" ? "required" : role.level === "namespace" ? "optional" : "forbidden",
    workspace: role.level === "workspace" ? "required" : "forbidden",
    namespace: role.level === "namespace" ? "required" : "forbidden",
  };
  for (const field of ["cluster", "workspace", "namespace"] as const) {
    const given = binding[field] !== undefined;
    if (wants[field] === "required" && !given)
      problems.push({ field, message: `is required for the ${role.level} role ${role.name}` });
    if (wants[field] === "forbidden" && given)
      problems.push({ field, message: `does not apply to the ${role.level} role ${role.name}` });
  }
  return problems;
}
