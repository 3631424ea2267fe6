import { describe, expect, it } from "vitest";
import { AccessEvaluator } from "../../auth/access/access-evaluator.js";
import { FleetRbac } from "../../auth/access/cluster-rbac/fleet-rbac.js";
import type { GatewayRoleBinding } from "../../auth/access/roles.js";
import type { Subject } from "../../auth/subject.js";
import { toEntry } from "../../src/cache/entry.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { KINDS, RBAC_KINDS } from "../../src/kinds/index.js";
import type { KubeObject } from "../../src/kube/object.js";

const LABEL = "kubesphere.io/workspace";

/** Two clusters whose RBAC lets every authenticated user do anything: only the roles narrow. */
function setup(bindings: GatewayRoleBinding[], rbacSynced: (cluster: string) => boolean = () => true) {
  const index = new FleetIndex([...KINDS, ...RBAC_KINDS]);
  let uid = 0;
  const add = (cluster: string, kind: string, o: KubeObject) =>
    index
      .store(cluster, kind)
      .upsert(toEntry(cluster, index.spec(kind), { ...o, metadata: { uid: `u${++uid}`, ...o.metadata } }));
  for (const cluster of ["c1", "c2"]) {
    add(cluster, "ClusterRole", {
      metadata: { name: "all" },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    });
    add(cluster, "ClusterRoleBinding", {
      metadata: { name: "all" },
      roleRef: { kind: "ClusterRole", name: "all" },
      subjects: [{ kind: "Group", name: "system:authenticated" }],
    });
    add(cluster, "Namespace", { metadata: { name: "shop", labels: { [LABEL]: "retail" } } });
    add(cluster, "Namespace", { metadata: { name: "other" } });
  }
  const rbac = new FleetRbac({ index, rbacSynced });
  const access = new AccessEvaluator({
    rbac,
    bindings: () => bindings,
    clusters: () => ["c1", "c2"],
    reader: new QueryEngine(index, { clusterLabels: () => ({}), isKnown: () => true }),
    index,
    workspaceLabel: LABEL,
  });
  return { index, access, add };
}

const who = (user: string, more: Partial<Subject> = {}): Subject => ({
  user,
  groups: [],
  source: "oidc",
  ...more,
});

describe("access evaluator: built-in roles", () => {
  const bindings: GatewayRoleBinding[] = [
    { role: "platform-admin", users: ["pat"] },
    { role: "workspace-regular", workspace: "retail", groups: ["shoppers"] },
    { role: "operator", cluster: "c1", namespace: "shop", users: ["olga"] },
    { role: "cluster-viewer", cluster: "c2", users: ["vic"] },
    { role: "workspace-admin", workspace: "retail", users: ["wes"] },
  ];
  const { access } = setup(bindings);

  it("gives the platform admin everything when every cluster's RBAC does too", async () => {
    expect((await access.scopeFor(who("pat"))).unrestricted).toBe(true);
    expect((await access.scopeFor(who("nobody"))).allowsCluster("c1")).toBe(false);
  });

  it("shows a workspace-regular the workspace's namespaces and nothing inside", async () => {
    const scope = await access.scopeFor(who("sam", { groups: ["shoppers"] }));
    expect(scope.namespacesIn("c1", "Namespace")).toEqual(new Set(["shop"]));
    expect(scope.namespacesIn("c2", "Namespace")).toEqual(new Set(["shop"]));
    expect(scope.namespacesIn("c1", "Pod")).toEqual(new Set());
  });

  it("lets an operator read and write workloads but not secrets, in its namespace only", async () => {
    const olga = who("olga");
    const scope = await access.scopeFor(olga);
    expect(scope.allows("c1", "Deployment", "shop", "web")).toBe(true);
    expect(scope.allows("c1", "Secret", "shop", "token")).toBe(false);
    expect(scope.allows("c2", "Deployment", "shop", "web")).toBe(false);
    expect(
      (await access.can(olga, { verb: "patch", kind: "Deployment", cluster: "c1", namespace: "shop" }))
        .allowed,
    ).toBe(true);
    const secret = await access.can(olga, {
      verb: "get",
      kind: "Secret",
      cluster: "c1",
      namespace: "shop",
      name: "t",
    });
    expect(secret).toMatchObject({ allowed: false, gateway: { allowed: false }, cluster: { allowed: true } });
    expect(
      (
        await access.can(olga, {
          verb: "delete",
          group: "rbac.authorization.k8s.io",
          resource: "roles",
          cluster: "c1",
          namespace: "shop",
        })
      ).allowed,
    ).toBe(false);
  });

  it("lets a cluster viewer read nodes and namespaces of its cluster, not secrets", async () => {
    const scope = await access.scopeFor(who("vic"));
    expect(scope.allowsClusterKind("c2", "Node")).toBe(true);
    expect(scope.allowsClusterKind("c1", "Node")).toBe(false);
    expect(scope.namespacesIn("c2", "Namespace")).toBe("*");
    expect(scope.namespacesIn("c2", "Secret")).toEqual(new Set());
    expect(scope.namespacesIn("c2", "Pod")).toBe("*");
  });

  it("leaves the cluster's part to the cluster for a request sent impersonated (decidedByCluster)", async () => {
    // c1's RBAC is not readable: the gateway's copy fails closed; the cluster itself may say yes.
    const { access: unsynced } = setup(bindings, (cluster) => cluster !== "c1");
    const question = { verb: "patch", kind: "Deployment", cluster: "c1", namespace: "shop" };
    expect(await unsynced.can(who("olga"), question)).toMatchObject({
      allowed: false,
      gateway: { allowed: true },
      cluster: { allowed: false },
    });
    const sent = await unsynced.can(who("olga"), { ...question, decidedByCluster: true });
    expect(sent).toMatchObject({ allowed: true, cluster: { allowed: true } });
    expect(sent.cluster.reason).toMatch(/decided by cluster "c1" itself/);
    // The gateway's grants still decide their part.
    expect(
      (await unsynced.can(who("olga"), { ...question, namespace: "other", decidedByCluster: true })).allowed,
    ).toBe(false);
  });

  it("lets a workspace admin create namespaces for its workspace only", async () => {
    const wes = who("wes");
    expect(
      (await access.can(wes, { verb: "create", kind: "Namespace", cluster: "c1", workspace: "retail" }))
        .allowed,
    ).toBe(true);
    expect(
      (await access.can(wes, { verb: "create", kind: "Namespace", cluster: "c1", workspace: "data" }))
        .allowed,
    ).toBe(false);
    expect((await access.scopeFor(wes)).namespacesIn("c1", "Secret")).toEqual(new Set(["shop"]));
  });

  it("narrows an API token to its restrictedTo roles", async () => {
    const token = who("pat", {
      source: "api-token",
      restrictedTo: [{ role: "viewer", cluster: "c1", namespace: "other" }],
    });
    const scope = await access.scopeFor(token);
    expect(scope.unrestricted).toBe(false);
    expect(scope.namespacesIn("c1", "Pod")).toEqual(new Set(["other"]));
    expect(scope.namespacesIn("c1", "Secret")).toEqual(new Set());
    expect(
      (await access.can(token, { verb: "delete", kind: "Pod", cluster: "c1", namespace: "other" })).allowed,
    ).toBe(false);
  });

  it("recomputes when a namespace joins the workspace", async () => {
    const local = setup(bindings);
    const sam = who("sam", { groups: ["shoppers"] });
    const before = await local.access.scopeFor(sam);
    expect(await local.access.scopeFor(sam)).toBe(before);
    local.add("c1", "Namespace", { metadata: { name: "till", labels: { [LABEL]: "retail" } } });
    expect((await local.access.scopeFor(sam)).namespacesIn("c1", "Namespace")).toEqual(
      new Set(["shop", "till"]),
    );
  });

  it("intersects an extra policy source's grants", async () => {
    const local = setup(bindings);
    const withPolicy = new AccessEvaluator({
      ...(local.access as unknown as { options: ConstructorParameters<typeof AccessEvaluator>[0] }).options,
      policy: {
        grants: () => Promise.resolve([{ cluster: "c2", namespaces: ["shop"], kinds: ["Pod"] }]),
        allow: () => Promise.resolve({ allowed: false, reason: "frozen" }),
      },
    });
    const scope = await withPolicy.scopeFor(who("pat"));
    expect(scope.namespacesIn("c2", "Pod")).toEqual(new Set(["shop"]));
    expect(scope.allowsCluster("c1")).toBe(false);
    const answer = await withPolicy.can(who("pat"), {
      verb: "get",
      kind: "Pod",
      cluster: "c2",
      namespace: "shop",
    });
    expect(answer).toMatchObject({ allowed: false, reason: "policy: frozen" });
  });
});
