/**
 * /readyz under the readiness policy, against a real gateway: a fleet whose every cluster is
 * unreachable is not ready by default (it used to be), the policy comes from the config and
 * changes on reload, and the body lists the clusters and the policy applied.
 */
import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ClusterConfig, GatewayConfig } from "../../src/config/index.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimCluster } from "../../sim/cluster.js";
import type { SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { baseUrl, fleetConfig, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let base: GatewayConfig;
let gateway: Gateway | undefined;

beforeAll(async () => {
  fleet = await startSimFleet("readiness-test", { clusters: 1, pods: 5 });
  base = fleetConfig(fleet);
});

afterEach(async () => {
  fleet.clusters[0]!.faults.reset();
  await gateway?.stop();
  gateway = undefined;
});

afterAll(async () => {
  await fleet?.stop();
});

/** A cluster nothing answers for (a port nothing listens on). */
async function deadCluster(name: string): Promise<ClusterConfig> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return { ...base.clusters[0]!, name, server: `https://127.0.0.1:${port}` };
}

interface ReadyBody {
  ready: boolean;
  reason?: string;
  clustersTotal: number;
  synced: string[];
  gaveUp: string[];
  pending: string[];
  objects: number;
  failures: { cluster: string; reason: string; message: string }[];
  syncing: { cluster: string; state: string; kindsSynced: number; kinds: number; listedPages: number }[];
  policy: { minSyncedClusters: number | string; waitForAllClusters: boolean; requiredSynced: number };
  trustGatewayGrants: string[];
}

async function readyz(): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${baseUrl(gateway!)}/readyz`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

describe("/readyz", () => {
  it("is 503 while every cluster is unreachable, saying so, though /healthz and /livez are 200", async () => {
    const clusters = [await deadCluster("dead-a"), await deadCluster("dead-b")];
    gateway = await startTestGateway({ ...base, clusters });
    await gateway.fleetCache.whenSynced(10_000);
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body).toEqual({
      ready: false,
      reason: "0 of 2 clusters synced, 1 required; 2 failed: dead-a (unreachable), dead-b (unreachable)",
      clustersTotal: 2,
      synced: [],
      gaveUp: ["dead-a", "dead-b"],
      pending: [],
      failures: [
        { cluster: "dead-a", reason: "unreachable", message: expect.stringContaining("ECONNREFUSED") },
        { cluster: "dead-b", reason: "unreachable", message: expect.stringContaining("ECONNREFUSED") },
      ],
      syncing: [],
      objects: 0,
      policy: { minSyncedClusters: 1, waitForAllClusters: true, requiredSynced: 1 },
      trustGatewayGrants: [],
    });
    // The cluster's own sync says the same (Cluster.sync in the API).
    expect(gateway.fleetCache.syncProgress("dead-a")).toMatchObject({
      state: "failed",
      kindsSynced: 0,
      failure: { reason: "unreachable", message: expect.stringContaining("ECONNREFUSED") },
    });
    for (const path of ["/healthz", "/livez"])
      expect((await fetch(`${baseUrl(gateway)}${path}`)).status).toBe(200);
  });

  it("names the clusters that trust the gateway's grants alone", async () => {
    const [first, second] = [base.clusters[0]!, await deadCluster("dead")];
    gateway = await startTestGateway({ ...base, clusters: [{ ...first, trustGatewayGrants: true }, second] });
    const { body } = await readyz();
    expect(body.trustGatewayGrants).toEqual([first.name]);
  });

  it("follows the config's policy, and a reload's", async () => {
    const config = { ...base, clusters: [base.clusters[0]!, await deadCluster("dead")] };
    gateway = await startTestGateway({ ...config, readiness: { minSyncedClusters: "100%" } });
    await gateway.fleetCache.whenSynced(10_000);
    const strict = await readyz();
    expect(strict.status).toBe(503);
    expect(strict.body).toMatchObject({
      synced: [fleet.clusters[0]!.name],
      gaveUp: ["dead"],
      reason: "1 of 2 clusters synced, 2 required; 1 failed: dead (unreachable)",
      policy: { minSyncedClusters: "100%", requiredSynced: 2 },
    });
    gateway.reload({ ...config, readiness: { minSyncedClusters: "50%" } });
    const relaxed = await readyz();
    expect(relaxed.status).toBe(200);
    expect(relaxed.body).toMatchObject({
      ready: true,
      policy: { minSyncedClusters: "50%", requiredSynced: 1 },
    });
    expect(relaxed.body.reason).toBeUndefined();
  });

  it("reports a cluster slower than the request deadline as syncing, never failed, and is 503 until it synced", async () => {
    const two = await startSimFleet("readiness-slow", { clusters: 2, pods: 5 });
    try {
      const [fast, slow] = two.clusters as [SimCluster, SimCluster];
      // Every body in 4 chunks 250 ms apart: a list page takes ~750 ms, beyond the 400 ms deadline
      // of a query; the health probe's "ok" is too short to be slowed.
      slow.faults.set({ slowBodyMs: 250 });
      const config = fleetConfig(two);
      const clusters = config.clusters.map((c) => ({ ...c, requestTimeoutMs: 400 }));
      gateway = await startTestGateway({ ...config, clusters, sync: { listPageTimeoutMs: 15_000 } });
      const seen: { status: number; body: ReadyBody }[] = [];
      const poll = async () => {
        const answer = await readyz();
        seen.push(answer);
        return answer;
      };
      await eventually(async () => (await poll()).body.synced.includes(fast.name), 20_000);
      const syncing = await poll();
      expect(syncing.status).toBe(503);
      expect(syncing.body).toMatchObject({ ready: false, pending: [slow.name], gaveUp: [], failures: [] });
      expect(syncing.body.reason).toMatch(
        new RegExp(
          `^waiting for 1 of 2 clusters to finish their initial sync \\(${slow.name}: \\d+ of \\d+ kinds`,
        ),
      );
      expect(syncing.body.syncing).toEqual([
        expect.objectContaining({ cluster: slow.name, state: "syncing" }),
      ]);
      const ready = await eventually(async () => {
        const answer = await poll();
        return answer.status === 200 ? answer : false;
      }, 90_000);
      expect([...ready.body.synced].sort()).toEqual([fast.name, slow.name].sort());
      expect(ready.body.objects).toBeGreaterThan(0);
      // Never given up on, never ready with a cluster pending.
      for (const answer of seen) {
        expect(answer.body.gaveUp).toEqual([]);
        if (answer.status === 200) expect(answer.body.pending).toEqual([]);
      }
      // The probe times out on /version, but the server answers: slow, not UNREACHABLE.
      expect(gateway.registry.health(slow.name)?.status).not.toBe("UNREACHABLE");
      expect(gateway.fleetCache.status(slow.name)?.kinds.Pod?.listFailures).toBe(0);
    } finally {
      await gateway?.stop();
      gateway = undefined;
      await two.stop();
    }
  });

  it("without waitForAllClusters, is ready once enough clusters synced, however slow the rest", async () => {
    const slow = fleet.clusters[0]!;
    slow.faults.set({ latencyMs: 3000 });
    const clusters = [{ ...base.clusters[0]!, requestTimeoutMs: 10_000 }];
    gateway = await startTestGateway({
      ...base,
      clusters,
      readiness: { minSyncedClusters: 0, waitForAllClusters: false },
    });
    const early = await readyz();
    expect(early.body).toMatchObject({ ready: true, pending: [slow.name], synced: [] });
    await gateway.stop();

    gateway = await startTestGateway({ ...base, clusters, readiness: { waitForAllClusters: false } });
    expect((await readyz()).body).toMatchObject({
      ready: false,
      reason: "0 of 1 clusters synced, 1 required",
    });
    slow.faults.reset();
    await eventually(async () => (await readyz()).status === 200, 20_000);
  });
});
