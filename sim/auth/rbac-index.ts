/**
 * The RBAC objects of one store, indexed for the authoriser: bindings by subject (so a request
 * looks at the few bindings that name its user, groups or service account instead of scanning
 * them all) and role rules resolved once. One index per store, shared by every authoriser and
 * rules reviewer built on it; it is rebuilt lazily after a change to an rbac.authorization.k8s.io
 * object and never otherwise, so pod churn costs it nothing.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import type { UserInfo } from "./user.js";
import { ClusterRoleRules } from "./cluster-role-rules.js";
import {
  RBAC_GROUP,
  RBAC_KINDS,
  roleRefOf,
  rulesOf,
  splitServiceAccountUsername,
  subjectsOf,
  type PolicyRule,
  type RoleRef,
  type Subject,
} from "./rbac-objects.js";

export interface IndexedBinding {
  kind: "ClusterRoleBinding" | "RoleBinding";
  name: string;
  /** "" for a ClusterRoleBinding. */
  namespace: string;
  roleRef: RoleRef | undefined;
  subjects: Subject[];
  /** Position in (namespace, name) order: the order bindings are visited in. */
  order: number;
}

/** Calls `visit(source, rule, error)` per rule or resolution error; returning false stops the walk. */
export type RuleVisitor = (
  source: string | undefined,
  rule: PolicyRule | undefined,
  error: string | undefined,
) => boolean;

type SubjectIndex = Map<string, IndexedBinding[]>;

function userKey(name: string): string {
  return `User:${name}`;
}
function groupKey(name: string): string {
  return `Group:${name}`;
}
function serviceAccountKey(namespace: string, name: string): string {
  return `ServiceAccount:${namespace}:${name}`;
}

/** The index keys a binding subject is found under; none for subjects that can never match. */
function keyOf(subject: Subject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case "User":
      return userKey(subject.name);
    case "Group":
      return groupKey(subject.name);
    case "ServiceAccount": {
      // Like the real appliesToUser: a RoleBinding's subject may omit the namespace (its own).
      const namespace = subject.namespace || bindingNamespace;
      return namespace ? serviceAccountKey(namespace, subject.name) : undefined;
    }
    default:
      return undefined;
  }
}

function keysOfUser(user: UserInfo): string[] {
  const keys = [userKey(user.username), ...user.groups.map(groupKey)];
  const sa = splitServiceAccountUsername(user.username);
  if (sa) keys.push(serviceAccountKey(sa.namespace, sa.name));
  return keys;
}

/** The real rbac describeSubject: service accounts read `"name/namespace"`. */
function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === "ServiceAccount") {
    return `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  }
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

function describeBinding(binding: IndexedBinding, subject: Subject): string {
  const bindingName = binding.namespace ? `${binding.name}/${binding.namespace}` : binding.name;
  return `${binding.kind} ${JSON.stringify(bindingName)} of ${binding.roleRef?.kind ?? ""} ${JSON.stringify(
    binding.roleRef?.name ?? "",
  )} to ${describeSubject(subject, binding.namespace)}`;
}

function addTo(index: SubjectIndex, binding: IndexedBinding): void {
  const keys = new Set<string>();
  for (const subject of binding.subjects) {
    const key = keyOf(subject, binding.namespace);
    if (key) keys.add(key);
  }
  for (const key of keys) {
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push(binding);
  }
}

export class RbacIndex {
  private bindings: { cluster: SubjectIndex; namespaced: Map<string, SubjectIndex> } | undefined;
  private clusterRoles: ClusterRoleRules | undefined;
  private readonly roleRules = new Map<string, PolicyRule[] | null>();

  constructor(private readonly store: ClusterStore) {
    store.onChange((event) => {
      if (event.resource.group !== RBAC_GROUP) return;
      if (event.resource === RBAC_KINDS.roleBindings || event.resource === RBAC_KINDS.clusterRoleBindings) {
        this.bindings = undefined;
      } else {
        this.clusterRoles = undefined;
        this.roleRules.clear();
      }
    });
  }

  /**
   * Walks the rules that apply to `user` in `namespace` in the real resolver's order:
   * ClusterRoleBindings first, then (for a namespaced request) the namespace's RoleBindings.
   */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    const { cluster, namespaced } = this.bindingIndex();
    const keys = keysOfUser(user);
    if (!this.visitBindings(candidates(cluster, keys), user, visit)) return;
    if (!namespace) return;
    const local = namespaced.get(namespace);
    if (local) this.visitBindings(candidates(local, keys), user, visit);
  }

  private visitBindings(bindings: IndexedBinding[], user: UserInfo, visit: RuleVisitor): boolean {
    for (const binding of bindings) {
      const subject = binding.subjects.find((s) => appliesTo(user, s, binding.namespace));
      if (!subject) continue;
      const resolved = this.rulesOf(binding);
      if (typeof resolved === "string") {
        if (!visit(undefined, undefined, resolved)) return false;
        continue;
      }
      const source = describeBinding(binding, subject);
      for (const rule of resolved) {
        if (!visit(source, rule, undefined)) return false;
      }
    }
    return true;
  }

  /** The rules a binding's roleRef grants, or the resolution error in the real lister's words. */
  private rulesOf(binding: IndexedBinding): PolicyRule[] | string {
    const ref = binding.roleRef;
    if (ref?.kind === "ClusterRole") {
      const rules = this.clusterRoleRules().rulesFor(ref.name);
      return rules ?? `clusterrole.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`;
    }
    if (ref?.kind === "Role") {
      // A ClusterRoleBinding to a Role looks in namespace "" and, like the real lister, finds nothing.
      const key = `${binding.namespace}/${ref.name}`;
      let rules = this.roleRules.get(key);
      if (rules === undefined) {
        const role = binding.namespace
          ? this.store.get(RBAC_KINDS.roles, binding.namespace, ref.name)
          : undefined;
        rules = role ? rulesOf(role) : null;
        this.roleRules.set(key, rules);
      }
      return rules ?? `role.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`;
    }
    return `unsupported role reference kind: ${JSON.stringify(ref?.kind ?? "")}`;
  }

  private clusterRoleRules(): ClusterRoleRules {
    this.clusterRoles ??= new ClusterRoleRules(this.store.all(RBAC_KINDS.clusterRoles));
    return this.clusterRoles;
  }

  private bindingIndex(): { cluster: SubjectIndex; namespaced: Map<string, SubjectIndex> } {
    if (this.bindings) return this.bindings;
    const cluster: SubjectIndex = new Map();
    const namespaced = new Map<string, SubjectIndex>();
    let order = 0;
    for (const obj of this.store.all(RBAC_KINDS.clusterRoleBindings)) {
      addTo(cluster, toBinding("ClusterRoleBinding", obj, order++));
    }
    for (const obj of this.store.all(RBAC_KINDS.roleBindings)) {
      const binding = toBinding("RoleBinding", obj, order++);
      let index = namespaced.get(binding.namespace);
      if (!index) namespaced.set(binding.namespace, (index = new Map<string, IndexedBinding[]>()));
      addTo(index, binding);
    }
    this.bindings = { cluster, namespaced };
    return this.bindings;
  }
}

function toBinding(kind: IndexedBinding["kind"], obj: KubeObject, order: number): IndexedBinding {
  return {
    kind,
    name: obj.metadata.name ?? "",
    namespace: kind === "RoleBinding" ? (obj.metadata.namespace ?? "") : "",
    roleRef: roleRefOf(obj),
    subjects: subjectsOf(obj),
    order,
  };
}

/** The bindings found under any of the keys, each once, in visiting order. */
function candidates(index: SubjectIndex, keys: string[]): IndexedBinding[] {
  const lists: IndexedBinding[][] = [];
  for (const key of keys) {
    const list = index.get(key);
    if (list) lists.push(list);
  }
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!;
  return [...new Set(lists.flat())].sort((a, b) => a.order - b.order);
}

/** The real rbac appliesToUser. */
function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.username === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== "" && user.username === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

const indexes = new WeakMap<ClusterStore, RbacIndex>();

/** The store's one RBAC index (created, and subscribed to the store's changes, on first use). */
export function rbacIndexFor(store: ClusterStore): RbacIndex {
  let index = indexes.get(store);
  if (!index) indexes.set(store, (index = new RbacIndex(store)));
  return index;
}
