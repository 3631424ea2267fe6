import { describe, expect, it } from "vitest";
import { FleetRbac } from "../../auth/access/cluster-rbac/fleet-rbac.js";
import type { Subject } from "../../auth/subject.js";
import { toEntry } from "../../src/cache/entry.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { Scope } from "../../src/cache/scope.js";
import { KINDS, RBAC_KINDS } from "../../src/kinds/index.js";
import type { KubeObject } from "../../src/kube/object.js";

const RBAC = "rbac.authorization.k8s.io";
const who = (user: string, ...groups: string[]): Subject => ({ user, groups, source: "oidc" });

function fleetWith(objects: Record<string, KubeObject[]>, cluster = "c1") {
  const index = new FleetIndex([...KINDS, ...RBAC_KINDS]);
  let uid = 0;
  for (const [kind, list] of Object.entries(objects)) {
    const spec = index.spec(kind);
    const store = index.store(cluster, kind);
    for (const o of list)
      store.upsert(toEntry(cluster, spec, { ...o, metadata: { uid: `u${++uid}`, ...o.metadata } }));
  }
  return index;
}

const role = (name: string, rules: unknown[], extra: Partial<KubeObject> = {}): KubeObject => ({
  ...extra,
  metadata: { name, ...extra.metadata },
  rules,
});
const bind = (name: string, ref: [string, string], subjects: unknown[], namespace?: string): KubeObject => ({
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: RBAC, kind: ref[0], name: ref[1] },
  subjects,
});
const user = (name: string) => ({ kind: "User", apiGroup: RBAC, name });
const group = (name: string) => ({ kind: "Group", apiGroup: RBAC, name });

const AGG = "example.com/aggregate-to-reader";
const objects = {
  ClusterRole: [
    // Aggregated: no rules of its own besides events; the rest from labelled roles.
    role("reader", [{ apiGroups: [""], resources: ["events"], verbs: ["list"] }], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGG]: "true" } }] },
    }),
    role(
      "pod-reader",
      [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }],
      {
        metadata: { name: "pod-reader", labels: { [AGG]: "true" } },
      },
    ),
    role("apps-all", [{ apiGroups: ["apps"], resources: ["*"], verbs: ["*"] }], {
      metadata: { name: "apps-all", labels: { [AGG]: "true" } },
    }),
    role("one-secret", [
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["token"], verbs: ["get", "list"] },
    ]),
    role("node-reader", [{ apiGroups: [""], resources: ["nodes"], verbs: ["list"] }]),
    role("any-status", [{ apiGroups: ["*"], resources: ["*/status"], verbs: ["update"] }]),
    role("urls-only", [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }]),
  ],
  Role: [
    role("cm-editor", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list", "update"] }], {
      metadata: { name: "cm-editor", namespace: "team-a" },
    }),
  ],
  RoleBinding: [
    bind("bob-reader", ["ClusterRole", "reader"], [user("bob")], "team-a"),
    bind("bob-cm", ["Role", "cm-editor"], [user("bob")], "team-a"),
    bind("bob-secret", ["ClusterRole", "one-secret"], [user("bob")], "team-b"),
    bind("devs-ns", ["ClusterRole", "view-ns"], [group("devs")], "team-b"),
    bind(
      "sa",
      ["ClusterRole", "pod-reader"],
      [{ kind: "ServiceAccount", name: "ci", namespace: "build" }],
      "build",
    ),
    bind("missing-role", ["Role", "cm-editor"], [user("bob")], "team-b"),
  ],
  ClusterRoleBinding: [
    bind("all-nodes", ["ClusterRole", "node-reader"], [group("system:authenticated")]),
    bind("ops-status", ["ClusterRole", "any-status"], [group("ops")]),
    bind("ops-urls", ["ClusterRole", "urls-only"], [group("ops")]),
  ],
};

function rbacOf(index: FleetIndex, synced = true, trusted = false) {
  return new FleetRbac({ index, rbacSynced: () => synced, trustGatewayGrants: () => trusted });
}

describe("cluster RBAC evaluator", () => {
  const index = fleetWith(objects);
  const rbac = rbacOf(index);
  const allowed = (s: Subject, r: Parameters<FleetRbac["decide"]>[2]) => rbac.decide(s, "c1", r).allowed;
  const bob = who("bob");

  it("applies an aggregated ClusterRole bound by a RoleBinding only in the binding's namespace", () => {
    expect(allowed(bob, { verb: "list", group: "", resource: "pods", namespace: "team-a" })).toBe(true);
    expect(allowed(bob, { verb: "list", group: "", resource: "events", namespace: "team-a" })).toBe(true);
    expect(
      allowed(bob, {
        verb: "delete",
        group: "apps",
        resource: "deployments",
        namespace: "team-a",
        name: "web",
      }),
    ).toBe(true);
    expect(allowed(bob, { verb: "list", group: "", resource: "pods", namespace: "team-b" })).toBe(false);
    expect(allowed(bob, { verb: "list", group: "", resource: "pods" })).toBe(false);
    expect(
      rbac.decide(bob, "c1", { verb: "list", group: "", resource: "pods", namespace: "team-a" }).reason,
    ).toBe('RBAC: allowed by RoleBinding "team-a/bob-reader" of ClusterRole "reader" to User "bob"');
  });

  it("matches subresources exactly and */subresource wildcards", () => {
    expect(
      allowed(bob, { verb: "get", group: "", resource: "pods", subresource: "log", namespace: "team-a" }),
    ).toBe(true);
    expect(
      allowed(bob, { verb: "get", group: "", resource: "pods", subresource: "exec", namespace: "team-a" }),
    ).toBe(false);
    const ops = who("olga", "ops");
    expect(
      allowed(ops, {
        verb: "update",
        group: "apps",
        resource: "deployments",
        subresource: "status",
        namespace: "x",
      }),
    ).toBe(true);
    expect(allowed(ops, { verb: "update", group: "apps", resource: "deployments", namespace: "x" })).toBe(
      false,
    );
  });

  it("restricts resourceNames rules to named requests", () => {
    expect(
      allowed(bob, { verb: "get", group: "", resource: "secrets", namespace: "team-b", name: "token" }),
    ).toBe(true);
    expect(
      allowed(bob, { verb: "get", group: "", resource: "secrets", namespace: "team-b", name: "other" }),
    ).toBe(false);
    expect(allowed(bob, { verb: "list", group: "", resource: "secrets", namespace: "team-b" })).toBe(false);
  });

  it("binds Roles in their namespace, service accounts by user name, and system:authenticated to everyone", () => {
    expect(allowed(bob, { verb: "update", group: "", resource: "configmaps", namespace: "team-a" })).toBe(
      true,
    );
    // The same Role name bound in team-b does not exist there.
    expect(allowed(bob, { verb: "update", group: "", resource: "configmaps", namespace: "team-b" })).toBe(
      false,
    );
    const ci = who("system:serviceaccount:build:ci");
    expect(allowed(ci, { verb: "watch", group: "", resource: "pods", namespace: "build" })).toBe(true);
    expect(allowed(who("mallory"), { verb: "list", group: "", resource: "nodes" })).toBe(true);
    expect(
      allowed(
        { ...who("system:anonymous"), source: "anonymous" },
        { verb: "list", group: "", resource: "nodes" },
      ),
    ).toBe(false);
  });

  it("treats system:masters as the API server's superusers and fails closed when RBAC is not synced", () => {
    const admin = who("root", "system:masters");
    expect(allowed(admin, { verb: "delete", group: "", resource: "nodes", name: "n1" })).toBe(true);
    expect(rbac.readAccess(admin, "c1", KINDS)).toBe("everything");
    const unsynced = rbacOf(index, false);
    expect(
      unsynced.decide(bob, "c1", { verb: "list", group: "", resource: "pods", namespace: "team-a" }).allowed,
    ).toBe(false);
    expect(unsynced.readAccess(bob, "c1", KINDS)).toEqual([]);
    expect(rbacOf(index, false, true).readAccess(bob, "c1", KINDS)).toBe("everything");
  });

  it("computes the read access set per kind: list per namespace, cluster kinds, namespaces by name", () => {
    const grants = rbac.readAccess(bob, "c1", KINDS);
    if (grants === "everything") throw new Error("bob is no superuser");
    const scope = Scope.of(grants);
    expect(scope.namespacesIn("c1", "Pod")).toEqual(new Set(["team-a"]));
    expect(scope.namespacesIn("c1", "Deployment")).toEqual(new Set(["team-a"]));
    expect(scope.namespacesIn("c1", "ConfigMap")).toEqual(new Set(["team-a"]));
    expect(scope.namespacesIn("c1", "Secret")).toEqual(new Set());
    expect(scope.namespacesIn("c1", "Service")).toEqual(new Set());
    expect(scope.allowsClusterKind("c1", "Node")).toBe(true);
    expect(scope.allowsClusterKind("c1", "PersistentVolume")).toBe(false);
    expect(scope.namespacesIn("c1", "Namespace")).toEqual(new Set());
  });

  it("reads Namespace objects by name where get is allowed, all of them with a cluster-wide list", () => {
    const local = fleetWith({
      ClusterRole: [
        role("ns-reader", [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }]),
      ],
      RoleBinding: [bind("x", ["ClusterRole", "ns-reader"], [user("ann")], "team-a")],
      ClusterRoleBinding: [bind("y", ["ClusterRole", "ns-reader"], [user("cid")])],
    });
    const grantsOf = (name: string) => Scope.of(rbacOf(local).readAccess(who(name), "c1", KINDS) as never);
    expect(grantsOf("ann").namespacesIn("c1", "Namespace")).toEqual(new Set(["team-a"]));
    expect(grantsOf("cid").namespacesIn("c1", "Namespace")).toBe("*");
    expect(grantsOf("cid").namespacesIn("c1", "Pod")).toEqual(new Set());
  });

  it("sees RBAC changes: the revision moves and decisions follow", () => {
    const local = fleetWith(objects);
    const live = rbacOf(local);
    const request = { verb: "list", group: "", resource: "pods", namespace: "team-c" };
    const before = live.revision();
    expect(live.decide(bob, "c1", request).allowed).toBe(false);
    const spec = local.spec("RoleBinding");
    local.store("c1", "RoleBinding").upsert(
      toEntry("c1", spec, {
        ...bind("new", ["ClusterRole", "reader"], [user("bob")], "team-c"),
        metadata: { name: "new", namespace: "team-c", uid: "new" },
      }),
    );
    expect(live.revision()).not.toBe(before);
    expect(live.decide(bob, "c1", request).allowed).toBe(true);
    local.store("c1", "RoleBinding").remove("new");
    expect(live.decide(bob, "c1", request).allowed).toBe(false);
  });
});
