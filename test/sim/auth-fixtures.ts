/** Shared builders for the auth tests: a store with namespaces, RBAC objects, request attributes. */
import { ClusterStore } from "../../sim/store/cluster-store.js";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import type { KubeObject } from "../../src/kube/object.js";
import { bootstrapRbac, createRbacAuthorizer } from "../../sim/auth/index.js";
import type { PolicyRule, RequestAttributes, Subject, UserInfo } from "../../sim/auth/index.js";

export function kindOf(group: string, plural: string): ResourceKind {
  const kind = findResource(group, plural);
  if (!kind) throw new Error(`no kind ${plural}.${group}`);
  return kind;
}

const RBAC = "rbac.authorization.k8s.io";
export const kinds = {
  namespaces: kindOf("", "namespaces"),
  pods: kindOf("", "pods"),
  roles: kindOf(RBAC, "roles"),
  roleBindings: kindOf(RBAC, "rolebindings"),
  clusterRoles: kindOf(RBAC, "clusterroles"),
  clusterRoleBindings: kindOf(RBAC, "clusterrolebindings"),
};

export function storeWithNamespaces(...namespaces: string[]): ClusterStore {
  const store = new ClusterStore({ clusterName: "test" });
  for (const name of namespaces) store.create(kinds.namespaces, { metadata: { name } });
  return store;
}

export function user(username: string, ...groups: string[]): UserInfo {
  return { username, groups: [...groups, "system:authenticated"] };
}

export function resourceRequest(
  who: UserInfo,
  verb: string,
  resource: string,
  more: Partial<Omit<RequestAttributes, "user" | "verb" | "resource">> = {},
): RequestAttributes {
  const [plural, subresource = ""] = resource.split("/") as [string, string?];
  return {
    user: who,
    verb,
    resourceRequest: true,
    group: "",
    resource: plural,
    subresource,
    namespace: "",
    name: "",
    path: "",
    ...more,
  };
}

export function pathRequest(who: UserInfo, verb: string, path: string): RequestAttributes {
  return {
    user: who,
    verb,
    resourceRequest: false,
    group: "",
    resource: "",
    subresource: "",
    namespace: "",
    name: "",
    path,
  };
}

export function createRole(
  store: ClusterStore,
  namespace: string,
  name: string,
  rules: PolicyRule[],
): KubeObject {
  return store.create(kinds.roles, { metadata: { name, namespace }, rules });
}

export function createClusterRole(
  store: ClusterStore,
  name: string,
  rules: PolicyRule[],
  extra: Partial<KubeObject> = {},
): KubeObject {
  return store.create(kinds.clusterRoles, { rules, ...extra, metadata: { ...extra.metadata, name } });
}

export function subject(kind: Subject["kind"], name: string, namespace?: string): Subject {
  return {
    kind,
    name,
    ...(kind === "ServiceAccount" ? {} : { apiGroup: RBAC }),
    ...(namespace ? { namespace } : {}),
  };
}

export function bindCluster(
  store: ClusterStore,
  name: string,
  role: string,
  subjects: Subject[],
): KubeObject {
  return store.create(kinds.clusterRoleBindings, {
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role },
    subjects,
  });
}

export function bindNamespace(
  store: ClusterStore,
  namespace: string,
  name: string,
  roleRef: { kind: "Role" | "ClusterRole"; name: string },
  subjects: Subject[],
): KubeObject {
  return store.create(kinds.roleBindings, {
    metadata: { name, namespace },
    roleRef: { apiGroup: RBAC, ...roleRef },
    subjects,
  });
}

/** Namespaces team-a and team-b, the bootstrap roles, and an RBAC authoriser over them. */
export function rbacStore() {
  const store = storeWithNamespaces("team-a", "team-b");
  bootstrapRbac(store);
  return { store, authorize: createRbacAuthorizer(store) };
}
