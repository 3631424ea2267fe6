import { describe, expect, it, vi } from "vitest";
import { createRbacAuthorizer } from "../../sim/auth/index.js";
import {
  bindCluster,
  bindNamespace,
  createClusterRole,
  createRole,
  kinds,
  pathRequest,
  resourceRequest,
  rbacStore as setup,
  subject,
  user,
} from "./auth-fixtures.js";

describe("RBAC authoriser: rule matching", () => {
  function withRules(rules: Parameters<typeof createClusterRole>[2]) {
    const { store, authorize } = setup();
    createClusterRole(store, "custom", rules);
    bindCluster(store, "custom", "custom", [subject("User", "u")]);
    return ({
      verb,
      resource,
      ...more
    }: Parameters<typeof resourceRequest>[3] & { verb: string; resource: string }) =>
      authorize(resourceRequest(user("u"), verb, resource, more)).allowed;
  }

  it("restricts resourceNames to requests that name the object", () => {
    const can = withRules([
      {
        verbs: ["get", "list", "watch", "update"],
        apiGroups: [""],
        resources: ["configmaps"],
        resourceNames: ["app-config"],
      },
    ]);
    expect(can({ verb: "get", resource: "configmaps", namespace: "team-a", name: "app-config" })).toBe(true);
    expect(can({ verb: "update", resource: "configmaps", namespace: "team-a", name: "app-config" })).toBe(
      true,
    );
    expect(can({ verb: "get", resource: "configmaps", namespace: "team-a", name: "other" })).toBe(false);
    expect(can({ verb: "list", resource: "configmaps", namespace: "team-a" })).toBe(false);
    expect(can({ verb: "watch", resource: "configmaps", namespace: "team-a" })).toBe(false);
    // A watch narrowed to one object by fieldSelector metadata.name carries the name.
    expect(can({ verb: "watch", resource: "configmaps", namespace: "team-a", name: "app-config" })).toBe(
      true,
    );
  });

  it("matches subresources exactly, */sub for any resource, and treats pods/* literally", () => {
    const can = withRules([
      { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] },
      { verbs: ["update", "patch"], apiGroups: ["apps"], resources: ["*/scale"] },
      { verbs: ["create"], apiGroups: [""], resources: ["pods/*"] },
    ]);
    expect(can({ verb: "get", resource: "pods/log", namespace: "team-a", name: "p" })).toBe(true);
    expect(can({ verb: "get", resource: "pods", namespace: "team-a", name: "p" })).toBe(false);
    expect(can({ verb: "get", resource: "pods/status", namespace: "team-a", name: "p" })).toBe(false);
    expect(
      can({ verb: "patch", resource: "deployments/scale", group: "apps", namespace: "team-a", name: "d" }),
    ).toBe(true);
    expect(
      can({ verb: "patch", resource: "statefulsets/scale", group: "apps", namespace: "team-a", name: "s" }),
    ).toBe(true);
    expect(
      can({ verb: "patch", resource: "deployments", group: "apps", namespace: "team-a", name: "d" }),
    ).toBe(false);
    expect(
      can({ verb: "patch", resource: "deployments/status", group: "apps", namespace: "team-a", name: "d" }),
    ).toBe(false);
    expect(can({ verb: "create", resource: "pods/exec", namespace: "team-a", name: "p" })).toBe(false);
  });

  it("honours * for verbs, API groups and resources (including subresources)", () => {
    const can = withRules([
      { verbs: ["*"], apiGroups: ["batch"], resources: ["jobs"] },
      { verbs: ["get"], apiGroups: ["*"], resources: ["*"] },
    ]);
    expect(can({ verb: "deletecollection", resource: "jobs", group: "batch", namespace: "team-a" })).toBe(
      true,
    );
    expect(
      can({ verb: "delete", resource: "cronjobs", group: "batch", namespace: "team-a", name: "c" }),
    ).toBe(false);
    expect(can({ verb: "get", resource: "nodes/status", name: "n" })).toBe(true);
    expect(
      can({ verb: "get", resource: "deployments/scale", group: "apps", namespace: "team-b", name: "d" }),
    ).toBe(true);
    expect(can({ verb: "list", resource: "nodes" })).toBe(false);
  });

  it("matches nonResourceURLs exactly or by a trailing * prefix, and never resource requests", () => {
    const { store, authorize } = setup();
    createClusterRole(store, "scraper", [{ verbs: ["get"], nonResourceURLs: ["/metrics", "/logs/*"] }]);
    bindCluster(store, "scraper", "scraper", [subject("Group", "monitoring")]);
    const scraper = user("prom", "monitoring");
    expect(authorize(pathRequest(scraper, "get", "/metrics")).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "scraper" of ClusterRole "scraper" to Group "monitoring"',
    );
    expect(authorize(pathRequest(scraper, "get", "/logs/kube/apiserver.log")).allowed).toBe(true);
    expect(authorize(pathRequest(scraper, "get", "/logs")).allowed).toBe(false);
    expect(authorize(pathRequest(scraper, "get", "/metrics/slis")).allowed).toBe(false);
    expect(authorize(pathRequest(scraper, "post", "/metrics")).allowed).toBe(false);
    expect(
      authorize(resourceRequest(scraper, "get", "pods", { namespace: "team-a", name: "p" })).allowed,
    ).toBe(false);
  });
});

describe("RBAC authoriser: aggregation and invalidation", () => {
  it("aggregates admin <- edit <- view, and picks up new roles labelled to aggregate", () => {
    const { store, authorize } = setup();
    bindNamespace(store, "team-a", "owner", { kind: "ClusterRole", name: "admin" }, [
      subject("User", "olga"),
    ]);
    bindCluster(store, "viewers", "view", [subject("Group", "viewers")]);
    const olga = user("olga");
    const rbacGroup = "rbac.authorization.k8s.io";
    expect(
      authorize(resourceRequest(olga, "create", "rolebindings", { group: rbacGroup, namespace: "team-a" }))
        .allowed,
    ).toBe(true);
    expect(
      authorize(
        resourceRequest(olga, "delete", "deployments", { group: "apps", namespace: "team-a", name: "d" }),
      ).allowed,
    ).toBe(true);
    expect(
      authorize(resourceRequest(olga, "get", "pods/log", { namespace: "team-a", name: "p" })).allowed,
    ).toBe(true);
    const viewer = user("vic", "viewers");
    expect(
      authorize(resourceRequest(viewer, "list", "widgets", { group: "example.com", namespace: "team-a" }))
        .allowed,
    ).toBe(false);
    // A CRD's role that aggregates into view (and so into edit and admin too).
    createClusterRole(
      store,
      "widgets-view",
      [{ verbs: ["get", "list", "watch"], apiGroups: ["example.com"], resources: ["widgets"] }],
      {
        metadata: { labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
      },
    );
    expect(
      authorize(resourceRequest(viewer, "list", "widgets", { group: "example.com", namespace: "team-a" })),
    ).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "viewers" of ClusterRole "view" to Group "viewers"',
    });
    expect(
      authorize(resourceRequest(olga, "list", "widgets", { group: "example.com", namespace: "team-a" }))
        .allowed,
    ).toBe(true);
  });

  it("evaluates a user-defined aggregated role from the roles its selectors match", () => {
    const { store, authorize } = setup();
    createClusterRole(store, "monitoring", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], {
      aggregationRule: {
        clusterRoleSelectors: [
          { matchExpressions: [{ key: "example.com/aggregate-to-monitoring", operator: "Exists" }] },
        ],
      },
    });
    bindCluster(store, "mon", "monitoring", [subject("User", "mo")]);
    const mo = user("mo");
    // The aggregated role's own rules are what the controller would overwrite: they grant nothing.
    expect(authorize(resourceRequest(mo, "list", "pods")).allowed).toBe(false);
    createClusterRole(store, "monitoring-pods", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }], {
      metadata: { labels: { "example.com/aggregate-to-monitoring": "yes" } },
    });
    expect(authorize(resourceRequest(mo, "list", "pods")).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "mon" of ClusterRole "monitoring" to User "mo"',
    );
    expect(authorize(resourceRequest(mo, "list", "nodes")).allowed).toBe(false);
  });

  it("sees bindings and roles added, changed and removed", () => {
    const { store, authorize } = setup();
    const frank = user("frank");
    const listPods = resourceRequest(frank, "list", "pods", { namespace: "team-a" });
    expect(authorize(listPods).allowed).toBe(false);
    createRole(store, "team-a", "reader", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]);
    bindNamespace(store, "team-a", "frank-reads", { kind: "Role", name: "reader" }, [
      subject("User", "frank"),
    ]);
    expect(authorize(listPods).allowed).toBe(false); // the role only grants get
    store.mutate(kinds.roles, "team-a", "reader", (role) => {
      role.rules = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }];
    });
    expect(authorize(listPods).allowed).toBe(true);
    store.delete(kinds.roleBindings, "team-a", "frank-reads");
    expect(authorize(listPods).allowed).toBe(false);
    bindCluster(store, "frank-admin", "cluster-admin", [subject("User", "frank")]);
    expect(authorize(listPods).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "frank-admin" of ClusterRole "cluster-admin" to User "frank"',
    );
    store.mutate(kinds.clusterRoleBindings, undefined, "frank-admin", (b) => {
      b.subjects = [subject("User", "someone-else")];
    });
    expect(authorize(listPods).allowed).toBe(false);
  });

  it("does not re-read the store per request or on changes to other kinds", () => {
    const { store, authorize } = setup();
    for (let i = 0; i < 200; i++) {
      bindNamespace(store, i % 2 ? "team-a" : "team-b", `b${i}`, { kind: "ClusterRole", name: "view" }, [
        subject("User", `user-${i}`),
      ]);
    }
    const reads = vi.spyOn(store, "all");
    const gets = vi.spyOn(store, "get");
    expect(authorize(resourceRequest(user("user-7"), "list", "pods", { namespace: "team-a" })).allowed).toBe(
      true,
    );
    const warm = reads.mock.calls.length;
    expect(warm).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) {
      store.create(kinds.pods, { metadata: { name: `p${i}`, namespace: "team-a" }, spec: {} });
      const u = user(`user-${i % 200}`);
      expect(
        authorize(resourceRequest(u, "get", "pods", { namespace: i % 2 ? "team-a" : "team-b", name: "p" }))
          .allowed,
      ).toBe(true);
    }
    expect(reads.mock.calls.length).toBe(warm);
    expect(gets).not.toHaveBeenCalled();
    // Two authorisers on one store share the index: the second one reads nothing.
    const second = createRbacAuthorizer(store);
    expect(second(resourceRequest(user("user-8"), "list", "pods", { namespace: "team-b" })).allowed).toBe(
      true,
    );
    expect(reads.mock.calls.length).toBe(warm);
  });
});
