import { describe, expect, it } from "vitest";
import { bootstrapRbac } from "../../sim/auth/index.js";
import {
  bindCluster,
  bindNamespace,
  createRole,
  kinds,
  pathRequest,
  resourceRequest,
  rbacStore as setup,
  subject,
  user,
} from "./auth-fixtures.js";

describe("RBAC authoriser: bootstrap policy", () => {
  it("allows system:masters everything, with the privileged-group authoriser's empty reason", () => {
    const { authorize } = setup();
    const admin = user("kube-admin", "system:masters");
    expect(authorize(resourceRequest(admin, "delete", "nodes", { name: "n1" }))).toEqual({
      allowed: true,
      reason: "",
    });
    expect(authorize(pathRequest(admin, "get", "/metrics"))).toEqual({ allowed: true, reason: "" });
  });

  it("lets every authenticated user discover the API and review itself, and nothing more", () => {
    const { authorize } = setup();
    const nobody = user("nobody");
    expect(authorize(pathRequest(nobody, "get", "/api"))).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    });
    for (const path of [
      "/api/v1",
      "/apis/apps/v1",
      "/version",
      "/version/",
      "/healthz",
      "/readyz",
      "/livez",
      "/openapi/v2",
    ]) {
      expect(authorize(pathRequest(nobody, "get", path)).allowed, path).toBe(true);
    }
    expect(authorize(pathRequest(nobody, "post", "/api"))).toEqual({ allowed: false, reason: "" });
    expect(authorize(pathRequest(nobody, "get", "/metrics"))).toEqual({ allowed: false, reason: "" });
    expect(authorize(pathRequest(nobody, "get", "/healthz/etcd")).allowed).toBe(false);
    expect(
      authorize(
        resourceRequest(nobody, "create", "selfsubjectaccessreviews", { group: "authorization.k8s.io" }),
      ),
    ).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"',
    });
    expect(authorize(resourceRequest(nobody, "list", "pods", { namespace: "team-a" }))).toEqual({
      allowed: false,
      reason: "",
    });
  });

  it("lets unauthenticated identities see only public info", () => {
    const { authorize } = setup();
    const anonymous = { username: "system:anonymous", groups: ["system:unauthenticated"] };
    expect(authorize(pathRequest(anonymous, "get", "/version")).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"',
    );
    expect(authorize(pathRequest(anonymous, "get", "/api")).allowed).toBe(false);
  });

  it("writes the real default objects, with the aggregated rules filled in", () => {
    const { store } = setup();
    const view = store.get(kinds.clusterRoles, undefined, "view")!;
    expect(view.metadata.labels).toEqual({
      "kubernetes.io/bootstrapping": "rbac-defaults",
      "rbac.authorization.k8s.io/aggregate-to-edit": "true",
    });
    expect(view.aggregationRule).toEqual({
      clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }],
    });
    expect(JSON.stringify(view.rules)).toContain('"pods/log"');
    expect(JSON.stringify(view.rules)).not.toContain('"secrets"');
    const binding = store.get(kinds.clusterRoleBindings, undefined, "cluster-admin")!;
    expect(binding.subjects).toEqual([
      { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" },
    ]);
    const revision = store.revision;
    bootstrapRbac(store); // idempotent
    expect(store.revision).toBe(revision);
  });
});

describe("RBAC authoriser: bindings and subjects", () => {
  it("grants a ClusterRoleBinding everywhere: view reads workloads and logs but not secrets", () => {
    const { store, authorize } = setup();
    bindCluster(store, "alice-view", "view", [subject("User", "alice")]);
    const alice = user("alice");
    expect(authorize(resourceRequest(alice, "list", "pods", { namespace: "team-b" }))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "alice-view" of ClusterRole "view" to User "alice"',
    });
    expect(authorize(resourceRequest(alice, "watch", "deployments", { group: "apps" })).allowed).toBe(true);
    expect(
      authorize(resourceRequest(alice, "get", "pods/log", { namespace: "team-a", name: "p" })).allowed,
    ).toBe(true);
    expect(
      authorize(resourceRequest(alice, "get", "secrets", { namespace: "team-a", name: "s" })).allowed,
    ).toBe(false);
    expect(authorize(resourceRequest(alice, "create", "pods", { namespace: "team-a" })).allowed).toBe(false);
    expect(authorize(resourceRequest(alice, "list", "nodes")).allowed).toBe(false);
  });

  it("grants a RoleBinding only in its namespace, naming the binding as name/namespace", () => {
    const { store, authorize } = setup();
    bindNamespace(store, "team-a", "devs-edit", { kind: "ClusterRole", name: "edit" }, [
      subject("User", "someone-else"),
      subject("Group", "devs"),
    ]);
    const bob = user("bob", "devs");
    expect(
      authorize(resourceRequest(bob, "create", "deployments", { group: "apps", namespace: "team-a" })),
    ).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "devs-edit/team-a" of ClusterRole "edit" to Group "devs"',
    });
    expect(
      authorize(resourceRequest(bob, "get", "secrets", { namespace: "team-a", name: "x" })).allowed,
    ).toBe(true);
    expect(
      authorize(resourceRequest(bob, "create", "deployments", { group: "apps", namespace: "team-b" }))
        .allowed,
    ).toBe(false);
    // A namespaced binding never grants cluster-scoped or all-namespace requests.
    expect(authorize(resourceRequest(bob, "list", "pods")).allowed).toBe(false);
    // edit does not include RBAC objects; admin does.
    expect(
      authorize(
        resourceRequest(bob, "create", "rolebindings", {
          group: "rbac.authorization.k8s.io",
          namespace: "team-a",
        }),
      ).allowed,
    ).toBe(false);
  });

  it("resolves a Role in the binding's namespace only", () => {
    const { store, authorize } = setup();
    createRole(store, "team-a", "pod-reader", [
      { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] },
    ]);
    bindNamespace(store, "team-a", "read-pods", { kind: "Role", name: "pod-reader" }, [
      subject("User", "carol"),
    ]);
    bindNamespace(store, "team-b", "read-pods", { kind: "Role", name: "pod-reader" }, [
      subject("User", "carol"),
    ]);
    const carol = user("carol");
    expect(authorize(resourceRequest(carol, "list", "pods", { namespace: "team-a" }))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "read-pods/team-a" of Role "pod-reader" to User "carol"',
    });
    // team-b has a binding to a Role that does not exist there: denied, with the lookup error.
    expect(authorize(resourceRequest(carol, "list", "pods", { namespace: "team-b" }))).toEqual({
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "pod-reader" not found',
    });
  });

  it("matches service accounts, defaulting a RoleBinding subject's namespace to the binding's", () => {
    const { store, authorize } = setup();
    createRole(store, "team-a", "deployer", [
      { verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"] },
    ]);
    bindNamespace(store, "team-a", "builder", { kind: "Role", name: "deployer" }, [
      subject("ServiceAccount", "builder"),
    ]);
    // In a ClusterRoleBinding a service account without a namespace never matches.
    bindCluster(store, "sa-no-namespace", "cluster-admin", [subject("ServiceAccount", "builder")]);
    bindCluster(store, "ci-view", "view", [subject("ServiceAccount", "ci", "team-b")]);
    const builder = user(
      "system:serviceaccount:team-a:builder",
      "system:serviceaccounts",
      "system:serviceaccounts:team-a",
    );
    expect(
      authorize(
        resourceRequest(builder, "patch", "deployments", { group: "apps", namespace: "team-a", name: "web" }),
      ),
    ).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "builder/team-a" of Role "deployer" to ServiceAccount "builder/team-a"',
    });
    expect(authorize(resourceRequest(builder, "list", "nodes")).allowed).toBe(false);
    const ci = user("system:serviceaccount:team-b:ci");
    expect(authorize(resourceRequest(ci, "list", "pods", { namespace: "team-a" })).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "ci-view" of ClusterRole "view" to ServiceAccount "ci/team-b"',
    );
    const impostor = user("system:serviceaccount:team-a:ci");
    expect(authorize(resourceRequest(impostor, "list", "pods", { namespace: "team-a" })).allowed).toBe(false);
  });

  it("reports a binding to a missing ClusterRole only to the users it names", () => {
    const { store, authorize } = setup();
    bindCluster(store, "dangling", "does-not-exist", [subject("User", "dave")]);
    expect(authorize(resourceRequest(user("dave"), "list", "pods"))).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    });
    expect(authorize(resourceRequest(user("erin"), "list", "pods"))).toEqual({ allowed: false, reason: "" });
  });
});
