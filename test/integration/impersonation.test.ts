/**
 * Calls made for a caller go to the simulated API servers as that caller (impersonated by the
 * gateway's own identity, fleetgraph-gateway), so each cluster's RBAC decides what comes back:
 * the gateway's answers are compared with real kubectl run `--as` the same user and groups.
 * Users (sim/generator/users.ts): bob views search and analytics; carol views everything;
 * alice administers the retail namespaces; the gateway may impersonate anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Subject } from "../../auth/subject.js";
import { Scope } from "../../src/cache/scope.js";
import { findKind } from "../../sim/kinds.js";
import { kubectl } from "../support/kubectl.js";
import { simKind, startGatewayFixture, type GatewayFixture, type RunResult } from "./gateway-fixture.js";

let gw: GatewayFixture;
let east: string;
let west: string;

const BOB: Subject = { user: "bob", groups: [], source: "oidc" };
const CAROL: Subject = { user: "carol", groups: ["auditors"], source: "oidc" };
const ALICE: Subject = { user: "alice", groups: ["workspace:retail"], source: "oidc" };
/** Unknown to the clusters by name: whatever dave may do, he may through a group. */
const DAVE: Subject = { user: "dave", groups: ["auditors", "night-shift"], source: "session" };

const VAULT = {
  username: Buffer.from("app").toString("base64"),
  password: Buffer.from("s3cr3t").toString("base64"),
};

beforeAll(async () => {
  gw = await startGatewayFixture({
    fleet: { clusters: 2, nodes: 2, pods: 40, seed: "impersonation" },
    gatewayUser: "fleetgraph-gateway",
  });
  [east, west] = gw.sim.clusters.map((c) => c.name) as [string, string];
  const cluster = gw.sim.clusters[0]!;
  cluster.store.create(findKind("v1", "Secret")!, {
    metadata: { name: "vault", namespace: "payments" },
    type: "Opaque",
    data: VAULT,
  });
  // Only the first cluster lets the group night-shift view: a joined "auditors,night-shift"
  // header would match no binding.
  cluster.store.create(findKind("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")!, {
    metadata: { name: "night-shift-view" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "night-shift" }],
  });
});

afterAll(async () => {
  await gw?.stop();
});

/** namespace/name of every object kubectl lists as the user, or the refusal. */
async function kubectlAs(
  subject: Subject,
  cluster: string,
  args: string[],
): Promise<{ names: string[]; forbidden: boolean }> {
  const as = [`--as=${subject.user}`, ...subject.groups.map((g) => `--as-group=${g}`)];
  const jsonpath = '-o=jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}';
  const result = await kubectl(gw.sim.kubeconfigPath, [
    `--context=${cluster}`,
    ...as,
    "get",
    ...args,
    jsonpath,
  ]);
  const forbidden = result.code !== 0 && /forbidden/i.test(result.stderr);
  if (result.code !== 0 && !forbidden) throw new Error(`kubectl failed: ${result.stderr}`);
  return {
    names: result.stdout
      .split("\n")
      .filter((l) => l !== "")
      .sort(),
    forbidden,
  };
}

const STRONG_PODS = `query ($filter: PodFilter) {
  pods(first: 1000, filter: $filter, consistency: STRONG) {
    nodes { clusterName namespaceName name }
    outcomes { clusterName source error { code message } }
  }
}`;

interface PodsPage {
  nodes: { clusterName: string; namespaceName: string; name: string }[];
  outcomes: { clusterName: string; source: string; error: { code: string; message: string } | null }[];
}

async function strongPods(subject: Subject, scope: Scope, filter: Record<string, unknown>) {
  const result = await gw.run(STRONG_PODS, { filter }, scope, subject);
  return { page: result.data?.pods as PodsPage, errors: result.errors };
}

const namesIn = (page: PodsPage, cluster: string) =>
  page.nodes
    .filter((p) => p.clusterName === cluster)
    .map((p) => `${p.namespaceName}/${p.name}`)
    .sort();

function forbiddenFor(result: { errors: RunResult["errors"] }, cluster: string) {
  return result.errors.filter(
    (e) => e.extensions?.cluster === cluster && e.extensions?.code === "CLUSTER_FORBIDDEN",
  );
}

describe("STRONG reads as the caller", () => {
  it("give bob what kubectl --as bob gives him in the namespaces he may view", async () => {
    const scope = Scope.of([{ cluster: east, namespaces: ["search", "analytics"] }]);
    const { page, errors } = await strongPods(BOB, scope, { clusters: [east] });
    expect(errors).toEqual([]);
    const want = [
      ...(await kubectlAs(BOB, east, ["pods", "-n", "search"])).names,
      ...(await kubectlAs(BOB, east, ["pods", "-n", "analytics"])).names,
    ].sort();
    expect(want.length).toBeGreaterThan(0);
    expect(namesIn(page, east)).toEqual(want);
  });

  it("answer FORBIDDEN for a namespace the cluster does not let bob read, even when the gateway's Scope would", async () => {
    const ns = "payments";
    expect((await kubectlAs(BOB, east, ["pods", "-n", ns])).forbidden).toBe(true);
    expect(gw.sim.clusters[0]!.store.all(simKind("Pod")).some((p) => p.metadata.namespace === ns)).toBe(true);
    const scope = Scope.of([{ cluster: east, namespaces: [ns, "search"] }]);
    const result = await strongPods(BOB, scope, { clusters: [east] });
    expect(result.page.nodes).toEqual([]);
    expect(result.page.outcomes).toMatchObject([{ clusterName: east, error: { code: "CLUSTER_FORBIDDEN" } }]);
    const [error] = forbiddenFor(result, east);
    expect(error?.message).toContain(`cluster "${east}"`);
    expect(error?.message).toContain(`user "bob" may not list pods in namespace "${ns}"`);
  });

  it("refuse bob's every-namespace read where he may not list namespaces, as kubectl -A is refused", async () => {
    expect((await kubectlAs(BOB, east, ["pods", "-A"])).forbidden).toBe(true);
    const result = await strongPods(BOB, Scope.everything(), {});
    expect(result.page.nodes).toEqual([]);
    expect(forbiddenFor(result, east)[0]?.message).toContain('user "bob" may not list namespaces');
    expect(forbiddenFor(result, west)).toHaveLength(1);
  });

  it("give carol every pod of the fleet, as kubectl --as carol -A does", async () => {
    const { page, errors } = await strongPods(CAROL, Scope.everything(), {});
    expect(errors).toEqual([]);
    for (const cluster of [east, west]) {
      const want = await kubectlAs(CAROL, cluster, ["pods", "-A"]);
      expect(want.forbidden).toBe(false);
      expect(namesIn(page, cluster)).toEqual(want.names);
    }
  });

  it("send each group as its own header: dave reads through night-shift where it is bound, nowhere else", async () => {
    const { page, errors } = await strongPods(DAVE, Scope.everything(), { namespaces: ["search"] });
    const want = await kubectlAs(DAVE, east, ["pods", "-n", "search"]);
    expect(want.names.length).toBeGreaterThan(0);
    expect(namesIn(page, east)).toEqual(want.names);
    expect((await kubectlAs(DAVE, west, ["pods", "-n", "search"])).forbidden).toBe(true);
    expect(namesIn(page, west)).toEqual([]);
    expect(errors.map((e) => [e.extensions?.cluster, e.extensions?.code])).toEqual([
      [west, "CLUSTER_FORBIDDEN"],
    ]);
  });
});

const RESOURCES = `query ($cluster: String!, $kind: String!, $namespace: String, $reveal: Boolean) {
  resources(cluster: $cluster, apiVersion: "v1", kind: $kind, namespace: $namespace, first: 1000,
      revealSecretData: $reveal) {
    nodes
  }
}`;

type Obj = { metadata: { name: string; namespace: string }; data?: Record<string, string | null> };

const vault = (objects: Obj[] | null) => objects?.find((o) => o.metadata.name === "vault");

async function resources(subject: Subject, variables: Record<string, unknown>, scope = Scope.everything()) {
  const result = await gw.run(RESOURCES, { cluster: east, ...variables }, scope, subject);
  const page = result.data?.resources as { nodes: Obj[] } | null;
  return { ...result, objects: page?.nodes ?? null };
}

describe("resources as the caller", () => {
  it("lists for bob what kubectl --as bob lists, and refuses where the cluster refuses him", async () => {
    const mine = await resources(BOB, { kind: "ConfigMap", namespace: "search" });
    expect(mine.errors).toEqual([]);
    const want = await kubectlAs(BOB, east, ["configmaps", "-n", "search"]);
    expect(mine.objects!.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(want.names);

    const theirs = await resources(BOB, { kind: "ConfigMap", namespace: "payments" });
    expect((await kubectlAs(BOB, east, ["configmaps", "-n", "payments"])).forbidden).toBe(true);
    expect(theirs.objects).toBeNull();
    expect(forbiddenFor(theirs, east)[0]?.message).toContain(
      'user "bob" may not list configmaps in namespace "payments"',
    );
  });
});

describe("Secret values", () => {
  it("are withheld by default, keys kept, even for alice who may read them", async () => {
    const { objects, errors, warnings } = await resources(ALICE, { kind: "Secret", namespace: "payments" });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(vault(objects)?.data).toEqual({ username: null, password: null });
  });

  it("are revealed to alice when asked, in her namespace, as kubectl --as alice shows them", async () => {
    const { objects, errors } = await resources(ALICE, {
      kind: "Secret",
      namespace: "payments",
      reveal: true,
    });
    expect(errors).toEqual([]);
    const seen = await kubectl(gw.sim.kubeconfigPath, [
      `--context=${east}`,
      "--as=alice",
      "--as-group=workspace:retail",
      "get",
      "secret",
      "vault",
      "-n",
      "payments",
      "-o=jsonpath={.data.password}",
    ]);
    expect(seen.code).toBe(0);
    expect(vault(objects)?.data).toEqual(VAULT);
    expect(vault(objects)?.data?.password).toBe(seen.stdout);
  });

  it("are never shown to carol, whose view role excludes Secrets: the cluster refuses the list", async () => {
    expect((await kubectlAs(CAROL, east, ["secrets", "-n", "payments"])).forbidden).toBe(true);
    const result = await resources(CAROL, { kind: "Secret", namespace: "payments", reveal: true });
    expect(result.objects).toBeNull();
    expect(forbiddenFor(result, east)[0]?.message).toContain(
      'user "carol" may not list secrets in namespace "payments"',
    );
    expect(JSON.stringify(result)).not.toContain(VAULT.password);
  });

  it("stay withheld when authentication is off, with a warning saying why", async () => {
    const anonymous = await gw.run(RESOURCES, {
      cluster: east,
      kind: "Secret",
      namespace: "payments",
      reveal: true,
    });
    const objects = (anonymous.data?.resources as { nodes: Obj[] }).nodes;
    expect(vault(objects)?.data).toEqual({ username: null, password: null });
    expect(anonymous.warnings).toMatchObject([{ code: "SECRET_DATA_WITHHELD" }]);
    expect(anonymous.warnings[0]?.message).toContain("authentication is off");
  });
});

describe("a cluster that trusts the gateway's grants", () => {
  it("is called as the gateway: bob reads what the Scope allows, and Secret values stay withheld", async () => {
    const configs = gw.registry.names().map((name) => gw.registry.config(name)!);
    gw.registry.replace(configs.map((c) => (c.name === east ? { ...c, trustGatewayGrants: true } : c)));
    try {
      const scope = Scope.of([{ cluster: east, namespaces: ["payments"] }]);
      const { page, errors } = await strongPods(BOB, scope, { clusters: [east] });
      expect(errors).toEqual([]);
      const all = await kubectlAs(CAROL, east, ["pods", "-n", "payments"]);
      expect(all.names.length).toBeGreaterThan(0);
      expect(namesIn(page, east)).toEqual(all.names);

      const secrets = await resources(ALICE, { kind: "Secret", namespace: "payments", reveal: true });
      expect(vault(secrets.objects)?.data).toEqual({ username: null, password: null });
      expect(secrets.warnings[0]?.message).toContain(`cluster "${east}" trusts the gateway's grants`);
    } finally {
      gw.registry.replace(configs);
    }
  });
});
