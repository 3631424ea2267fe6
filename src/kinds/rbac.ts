/**
 * The RBAC objects of each cluster, cached so the gateway can evaluate what a caller may read
 * there exactly as the cluster's RBAC authoriser would (auth/access/cluster-rbac). Cached kinds,
 * not schema kinds: they are not in KINDS (which drives the GraphQL schema) and never served.
 * The projection keeps what authorisation reads: rules (without nonResourceURLs, which never
 * grant resources), aggregation selectors, roleRef and subjects.
 */
import { intern, internShape } from "../cache/intern.js";
import { arr, obj, str } from "../cache/json.js";
import type { CachedKindSpec } from "../cache/kind-spec.js";
import type { KubeObject } from "../kube/object.js";
import { groupPath } from "./descriptor.js";

const RBAC_GROUP = "rbac.authorization.k8s.io";

export interface RbacRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  /** Plural resources, "*", "<resource>/<subresource>" or "*\/<subresource>". */
  readonly resources: readonly string[];
  /** Empty: every object; otherwise only these names (never a list or watch of all). */
  readonly resourceNames: readonly string[];
}

/** metav1.LabelSelector, as aggregationRule.clusterRoleSelectors holds them. */
export interface RoleSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
}

export interface RoleData {
  readonly rules: readonly RbacRule[];
}

export interface ClusterRoleData extends RoleData {
  /** Set for an aggregated ClusterRole: the roles whose rules it adds to its own. */
  readonly aggregateFrom: readonly RoleSelector[] | undefined;
}

export interface RbacSubject {
  /** "User", "Group" or "ServiceAccount" (anything else binds nobody). */
  readonly kind: string;
  readonly name: string;
  /** ServiceAccount subjects only. */
  readonly namespace?: string;
}

export interface BindingData {
  /** kind "Role" (the binding's namespace) or "ClusterRole". */
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: readonly RbacSubject[];
}

const strings = (v: unknown): string[] => arr(v).flatMap((s) => (typeof s === "string" ? [intern(s)] : []));

function projectRules(o: KubeObject): readonly RbacRule[] {
  const rules: RbacRule[] = [];
  for (const raw of arr((o as { rules?: unknown }).rules)) {
    const r = obj(raw);
    const resources = strings(r.resources);
    if (resources.length === 0) continue;
    rules.push({
      verbs: strings(r.verbs),
      apiGroups: strings(r.apiGroups),
      resources,
      resourceNames: strings(r.resourceNames),
    });
  }
  // The same roles (view, edit, admin) exist in every cluster: one shared copy of their rules.
  return internShape(rules);
}

function projectBinding(o: KubeObject): BindingData {
  const raw = o as { roleRef?: unknown; subjects?: unknown };
  const ref = obj(raw.roleRef);
  const subjects = arr(raw.subjects).map((s): RbacSubject => {
    const subject = obj(s);
    const namespace = str(subject.namespace);
    return {
      kind: intern(str(subject.kind) ?? ""),
      name: intern(str(subject.name) ?? ""),
      ...(namespace ? { namespace: intern(namespace) } : {}),
    };
  });
  return { roleRef: { kind: intern(str(ref.kind) ?? ""), name: intern(str(ref.name) ?? "") }, subjects };
}

export const ROLE: CachedKindSpec<RoleData> = {
  kind: "Role",
  path: groupPath(RBAC_GROUP, "v1", "roles"),
  project: (o) => ({ rules: projectRules(o) }),
};

export const CLUSTER_ROLE: CachedKindSpec<ClusterRoleData> = {
  kind: "ClusterRole",
  path: groupPath(RBAC_GROUP, "v1", "clusterroles", false),
  project: (o) => {
    const rule = (o as { aggregationRule?: unknown }).aggregationRule;
    const selectors = rule === undefined ? undefined : arr(obj(rule).clusterRoleSelectors);
    return {
      rules: projectRules(o),
      aggregateFrom: selectors === undefined ? undefined : internShape(selectors as RoleSelector[]),
    };
  },
};

export const ROLE_BINDING: CachedKindSpec<BindingData> = {
  kind: "RoleBinding",
  path: groupPath(RBAC_GROUP, "v1", "rolebindings"),
  project: projectBinding,
};

export const CLUSTER_ROLE_BINDING: CachedKindSpec<BindingData> = {
  kind: "ClusterRoleBinding",
  path: groupPath(RBAC_GROUP, "v1", "clusterrolebindings", false),
  project: projectBinding,
};

/** Cached beside KINDS (src/server/fleet.ts), for access decisions only. */
export const RBAC_KINDS: readonly CachedKindSpec[] = [
  ROLE,
  CLUSTER_ROLE,
  ROLE_BINDING,
  CLUSTER_ROLE_BINDING,
] as readonly CachedKindSpec[];
