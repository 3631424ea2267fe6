/**
 * One cluster's RBAC, indexed for questions about one subject at a time: bindings by the users
 * and groups they name, roles resolved (aggregation included). Built from the cached RBAC
 * objects, rebuilt when they change.
 */
import type { CacheEntry } from "../../../src/cache/entry.js";
import type {
  BindingData,
  ClusterRoleData,
  RbacRule,
  RbacSubject,
  RoleData,
} from "../../../src/kinds/rbac.js";
import type { RbacIdentity } from "./rbac-identity.js";
import { resolveClusterRoles } from "./role-aggregation.js";

export interface RbacObjects {
  roles: Iterable<CacheEntry<RoleData>>;
  clusterRoles: Iterable<CacheEntry<ClusterRoleData>>;
  roleBindings: Iterable<CacheEntry<BindingData>>;
  clusterRoleBindings: Iterable<CacheEntry<BindingData>>;
}

/** A binding that applies to a subject, its role's rules resolved. */
export interface AppliedBinding {
  /** Where its rules apply; undefined for a ClusterRoleBinding (every namespace and cluster-wide). */
  readonly namespace: string | undefined;
  readonly rules: readonly RbacRule[];
  /** How the API server's reasons name it: `RoleBinding "team-a/bob-view" of ClusterRole "view"`. */
  readonly source: string;
}

export class ClusterPolicy {
  private constructor(private readonly bySubject: ReadonlyMap<string, readonly AppliedBinding[]>) {}

  static from(objects: RbacObjects): ClusterPolicy {
    const clusterRoles = resolveClusterRoles(objects.clusterRoles);
    const roles = new Map<string, readonly RbacRule[]>();
    for (const role of objects.roles) roles.set(`${role.namespace}/${role.name}`, role.data.rules);
    const bySubject = new Map<string, AppliedBinding[]>();
    const add = (binding: CacheEntry<BindingData>, namespace: string | undefined): void => {
      const { roleRef } = binding.data;
      // A binding to a missing role grants nothing (the API server reports an error, then denies).
      const rules =
        roleRef.kind === "ClusterRole"
          ? clusterRoles.get(roleRef.name)
          : roleRef.kind === "Role" && namespace !== undefined
            ? roles.get(`${namespace}/${roleRef.name}`)
            : undefined;
      if (!rules || rules.length === 0) return;
      const what = namespace === undefined ? "ClusterRoleBinding" : "RoleBinding";
      const name = namespace === undefined ? binding.name : `${namespace}/${binding.name}`;
      const applied = { namespace, rules, source: `${what} "${name}" of ${roleRef.kind} "${roleRef.name}"` };
      for (const subject of binding.data.subjects) {
        const key = subjectKeyOf(subject);
        if (key === undefined) continue;
        let list = bySubject.get(key);
        if (!list) bySubject.set(key, (list = []));
        list.push(applied);
      }
    };
    for (const binding of objects.clusterRoleBindings) add(binding, undefined);
    for (const binding of objects.roleBindings) add(binding, binding.namespace);
    return new ClusterPolicy(bySubject);
  }

  /** Every binding naming the identity's user or one of its groups. */
  bindingsOf(identity: RbacIdentity): AppliedBinding[] {
    const found = [...(this.bySubject.get(userKey(identity.user)) ?? [])];
    for (const group of identity.groups) found.push(...(this.bySubject.get(groupKey(group)) ?? []));
    return found;
  }
}

const userKey = (name: string): string => `User\u0000${name}`;
const groupKey = (name: string): string => `Group\u0000${name}`;

/** A service account is bound as the user name its tokens authenticate as. */
function subjectKeyOf(subject: RbacSubject): string | undefined {
  switch (subject.kind) {
    case "User":
      return userKey(subject.name);
    case "Group":
      return groupKey(subject.name);
    case "ServiceAccount":
      return userKey(`system:serviceaccount:${subject.namespace ?? ""}:${subject.name}`);
    default:
      return undefined;
  }
}
