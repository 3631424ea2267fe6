/**
 * A cluster's RBAC changes reach the gateway's answers without a restart: bob holds a gateway
 * role (viewer) in a namespace whose cluster RBAC gives him nothing, so he sees nothing there;
 * a RoleBinding created with kubectl on one cluster lets him see that namespace's pods on that
 * cluster only, within seconds; deleting it takes them away again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";

const NAMESPACE = "cart";
const BINDING = "bob-view-cart";
/** A namespace where bob gets the cluster's half only: still nothing through the gateway. */
const UNGRANTED = "checkout";

let fixture: AuthGateway;
let changed: string;
let unchanged: string;

beforeAll(async () => {
  fixture = await startAuthGateway({
    seed: "rbac-changes",
    fleet: { clusters: 2, nodes: 1, pods: 30 },
    users: ["bob"],
    // The gateway's half of the grant; the cluster's half is what the test adds and removes.
    extraRoleBindings: [{ role: "viewer", namespace: NAMESPACE, users: ["bob"], groups: [] }],
  });
  [changed, unchanged] = fixture.sim.clusters.map((c) => c.name) as [string, string];
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

/** The pods of `namespace` bob gets from the gateway, as "cluster/name". */
async function bobsPods(namespace = NAMESPACE): Promise<string[]> {
  const answer = await fixture.query<{
    pods: { totalCount: number; nodes: { name: string; clusterName: string }[] };
  }>(
    "bob",
    `query ($ns: [String!]) { pods(first: 200, filter: { namespaces: $ns }) { totalCount nodes { name clusterName } } }`,
    {
      ns: [namespace],
    },
  );
  expect(answer.errors).toBeUndefined();
  expect(answer.data!.pods.totalCount).toBe(answer.data!.pods.nodes.length);
  return answer.data!.pods.nodes.map((p) => `${p.clusterName}/${p.name}`).sort();
}

/** The pods kubectl lists as bob in `namespace` of `cluster` (empty when forbidden). */
async function kubectlPods(cluster: string, namespace = NAMESPACE): Promise<string[]> {
  const r = await kubectl(fixture.sim.kubeconfigPath, [
    `--context=${cluster}`,
    "get",
    "pods",
    "-n",
    namespace,
    "--as=bob",
    "-o",
    "jsonpath={.items[*].metadata.name}",
  ]);
  if (r.code !== 0) {
    expect(r.stderr).toMatch(/Forbidden/);
    return [];
  }
  return r.stdout
    .split(" ")
    .filter((n) => n !== "")
    .map((n) => `${cluster}/${n}`)
    .sort();
}

describe("RBAC changes on a cluster", () => {
  it("a kubectl RoleBinding shows bob the namespace's pods on that cluster only, within seconds", async () => {
    // The gateway's viewer role alone is not enough: the clusters' RBAC gives bob nothing in NAMESPACE.
    expect(await kubectlPods(changed)).toEqual([]);
    expect(await bobsPods()).toEqual([]);

    const created = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${changed}`,
      "create",
      "rolebinding",
      BINDING,
      "--clusterrole=view",
      "--user=bob",
      "-n",
      NAMESPACE,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const started = Date.now();
    const visible = await eventually(
      async () => {
        const [gateway, cluster] = await Promise.all([bobsPods(), kubectlPods(changed)]);
        expect(cluster.length).toBeGreaterThan(0);
        expect(gateway).toEqual(cluster);
        return gateway;
      },
      5_000,
      100,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(visible.every((key) => key.startsWith(`${changed}/`))).toBe(true);
    expect(await kubectlPods(unchanged)).toEqual([]);
  }, 60_000);

  it("a kubectl RoleBinding without a gateway role shows bob nothing", async () => {
    const created = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${changed}`,
      "create",
      "rolebinding",
      "bob-view-checkout",
      "--clusterrole=view",
      "--user=bob",
      "-n",
      UNGRANTED,
    ]);
    expect(created.code, created.stderr).toBe(0);
    await eventually(async () => (await kubectlPods(changed, UNGRANTED)).length > 0, 5_000, 100);
    // Given the time the granted namespace needs to show, and a margin: still nothing.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await bobsPods(UNGRANTED)).toEqual([]);
  }, 30_000);

  it("deleting the RoleBinding hides the namespace's pods again", async () => {
    expect(await bobsPods()).not.toEqual([]);

    const deleted = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${changed}`,
      "delete",
      "rolebinding",
      BINDING,
      "-n",
      NAMESPACE,
    ]);
    expect(deleted.code, deleted.stderr).toBe(0);
    await eventually(
      async () => {
        expect(await bobsPods()).toEqual([]);
        return true;
      },
      5_000,
      100,
    );
    expect(await kubectlPods(changed)).toEqual([]);
  }, 60_000);
});
