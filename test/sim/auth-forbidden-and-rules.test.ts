import { describe, expect, it } from "vitest";
import { bootstrapRbac, createRulesReviewer, forbiddenError } from "../../sim/auth/index.js";
import {
  bindCluster,
  bindNamespace,
  pathRequest,
  resourceRequest,
  storeWithNamespaces,
  subject,
  user,
} from "./auth-fixtures.js";

describe("forbiddenError", () => {
  const u = user("u");
  it("reads like kube-apiserver's 403 for namespaced, named, cluster-scoped and path requests", () => {
    expect(
      forbiddenError(resourceRequest(u, "list", "pods", { namespace: "ns" }), "").toStatus(),
    ).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message:
        'pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "ns"',
      details: { kind: "pods" },
    });
    const scale = forbiddenError(
      resourceRequest(u, "patch", "deployments/scale", { group: "apps", namespace: "ns", name: "web" }),
      "",
    );
    expect(scale.message).toBe(
      'deployments.apps "web" is forbidden: User "u" cannot patch resource "deployments/scale" in API group "apps" in the namespace "ns"',
    );
    expect(scale.details).toEqual({ name: "web", group: "apps", kind: "deployments" });
    expect(forbiddenError(resourceRequest(u, "list", "nodes"), "").message).toBe(
      'nodes is forbidden: User "u" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const path = forbiddenError(pathRequest(u, "get", "/metrics"), "");
    expect(path.message).toBe('forbidden: User "u" cannot get path "/metrics"');
    expect(path.details).toEqual({});
  });

  it("appends a non-empty reason and escapes HTML in the user-controlled part", () => {
    const err = forbiddenError(
      resourceRequest(user("<script>&"), "list", "pods"),
      'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
    expect(err.message).toBe(
      'pods is forbidden: User "&lt;script&gt;&amp;" cannot list resource "pods" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
  });
});

describe("rules review", () => {
  it("lists the rules that apply in a namespace, split into resource and non-resource rules", () => {
    const store = storeWithNamespaces("team-a", "team-b");
    bootstrapRbac(store);
    bindNamespace(store, "team-a", "devs-view", { kind: "ClusterRole", name: "view" }, [
      subject("Group", "devs"),
    ]);
    const review = createRulesReviewer(store);
    const bob = user("bob", "devs");

    const inA = review(bob, "team-a");
    expect(inA.incomplete).toBe(false);
    expect(inA.evaluationError).toBeUndefined();
    expect(inA.resourceRules).toContainEqual({
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    });
    expect(inA.resourceRules.some((r) => r.resources?.includes("pods/log"))).toBe(true);
    expect(inA.nonResourceRules).toContainEqual({
      verbs: ["get"],
      nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"],
    });

    const inB = review(bob, "team-b");
    expect(inB.resourceRules.some((r) => r.resources?.includes("pods/log"))).toBe(false);
    expect(inB.resourceRules.length).toBeLessThan(inA.resourceRules.length);
  });

  it("reports bindings to missing roles as an evaluation error", () => {
    const store = storeWithNamespaces("team-a");
    bootstrapRbac(store);
    bindCluster(store, "dangling", "gone", [subject("User", "dave")]);
    expect(createRulesReviewer(store)(user("dave"), "team-a").evaluationError).toBe(
      'clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
  });
});
