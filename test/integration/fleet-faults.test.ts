/**
 * ClusterConnection and HealthProbe against the real simulator and its fault switches: pages,
 * watches and 410s, health states, deadlines, the circuit breaker and the typed error codes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configFromKubeconfig, type ClusterConfig } from "../../src/config/index.js";
import { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import { ClusterError } from "../../src/fleet/errors.js";
import { HealthProbe } from "../../src/fleet/health.js";
import { pathOf } from "../../src/kinds/index.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findKind } from "../../sim/kinds.js";
import type { SimCluster } from "../../sim/cluster.js";
import { eventually } from "../support/eventually.js";

let fleet: SimFleet;
let sim: SimCluster;
let base: ClusterConfig;
const opened: ClusterConnection[] = [];

beforeAll(async () => {
  fleet = await startFleet({ clusters: 1, nodes: 2, pods: 40, seed: "fleet-faults" });
  sim = fleet.clusters[0]!;
  base = configFromKubeconfig(fleet.kubeconfigPath).clusters[0]!;
});

afterEach(() => {
  sim.faults.reset();
  for (const c of opened.splice(0)) c.close();
});

afterAll(async () => {
  await fleet?.stop();
});

function connect(overrides: Partial<ClusterConfig> = {}, breaker = { failureThreshold: 3, cooldownMs: 300 }) {
  const c = new ClusterConnection({ ...base, ...overrides }, { breaker });
  opened.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClusterError);
  return error as ClusterError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ClusterConnection over TLS to the simulator", () => {
  it("pages through pods with limit/continue and sees exactly the store's pods", async () => {
    const c = connect();
    const uids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let rv = "";
    do {
      const page = await c.listPage(pathOf("Pod"), { limit: 7, ...(token ? { continue: token } : {}) });
      uids.push(...page.items.map((p) => p.metadata.uid!));
      rv ||= page.resourceVersion;
      expect(page.resourceVersion).toBe(rv);
      token = page.continue;
      pages++;
    } while (token);
    const expected = sim.store.all(findKind("v1", "Pod")!).map((p) => p.metadata.uid!);
    expect(uids.sort()).toEqual(expected.sort());
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it("answers raw GETs (discovery) as JSON", async () => {
    const groups = await connect().request<{ kind: string; groups: { name: string }[] }>("/apis");
    expect(groups.kind).toBe("APIGroupList");
    expect(groups.groups.map((g) => g.name)).toContain("apps");
  });

  it("gets a 410 Expired ERROR event when watching from compacted history", async () => {
    sim.store.create(findKind("v1", "Service")!, {
      metadata: { name: "compact-me", namespace: "default" },
      spec: {},
    });
    const old = String(sim.store.revision - 1);
    sim.expireHistory();
    const error = await new Promise<ClusterError | undefined>((resolve) => {
      void connect().watch(pathOf("Service"), old, { onEvent: () => undefined, onClose: resolve });
    });
    expect(error?.expired).toBe(true);
    expect(error?.cluster).toBe(sim.name);
  });

  it("maps a user without rights to CLUSTER_FORBIDDEN (not retryable) without tripping the breaker", async () => {
    const c = connect(
      { auth: { token: fleet.user("mallory").token } },
      { failureThreshold: 2, cooldownMs: 10_000 },
    );
    for (let i = 0; i < 3; i++) {
      const error = await failure(c.listPage(pathOf("Pod"), { limit: 10 }));
      expect(error).toMatchObject({
        code: "CLUSTER_FORBIDDEN",
        retryable: false,
        cluster: sim.name,
        httpStatus: 403,
      });
      expect(error.message).toContain("forbidden");
    }
    expect(c.breaker.state).toBe("closed");
  });

  it("times out a cluster slower than its deadline with CLUSTER_TIMEOUT", async () => {
    sim.faults.set({ latencyMs: 500 });
    const error = await failure(connect({ requestTimeoutMs: 150 }).listPage(pathOf("Node")));
    expect(error).toMatchObject({ code: "CLUSTER_TIMEOUT", retryable: true, cluster: sim.name });
  });

  it("opens the breaker on repeated 5xx, fails fast while open, and closes after a good probe", async () => {
    sim.faults.set({ errorRate: 1, errorCode: 503 });
    const c = connect();
    for (let i = 0; i < 3; i++) {
      expect(await failure(c.request("/version"))).toMatchObject({
        code: "CLUSTER_UNAVAILABLE",
        retryable: true,
        httpStatus: 503,
      });
    }
    expect(c.breaker.state).toBe("open");
    const fast = await failure(c.request("/version"));
    expect(fast.code).toBe("CLUSTER_UNAVAILABLE");
    expect(fast.httpStatus).toBeUndefined();
    expect(fast.message).toContain("circuit breaker open");

    sim.faults.reset();
    await sleep(320);
    await expect(c.request<{ gitVersion: string }>("/version")).resolves.toMatchObject({
      gitVersion: expect.any(String),
    });
    expect(c.breaker.state).toBe("closed");
  });

  it("maps 429 to CLUSTER_UNAVAILABLE", async () => {
    sim.faults.set({ errorRate: 1, errorCode: 429 });
    expect(await failure(connect().request("/version"))).toMatchObject({
      code: "CLUSTER_UNAVAILABLE",
      httpStatus: 429,
    });
  });

  it("remembers a 429's Retry-After: later requests are answered throttled without calling the server until it ends", async () => {
    const c = connect();
    sim.faults.set({ errorRate: 1, errorCode: 429, retryAfterSeconds: 2 });
    expect(await failure(c.request("/version"))).toMatchObject({ httpStatus: 429, retryAfterSeconds: 2 });
    const sent = sim.faults.injected;
    const held = await failure(c.request("/version"));
    expect(held).toMatchObject({ code: "CLUSTER_UNAVAILABLE", httpStatus: 429, retryable: true });
    expect(held.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(held.retryAfterSeconds).toBeLessThanOrEqual(2);
    expect(held.message).toContain("retry after");
    // A call that reached the server would have been answered (and counted) by the fault.
    expect(sim.faults.injected).toBe(sent);
    expect(c.breaker.state).toBe("closed");
    sim.faults.reset();
    await sleep(2100);
    await expect(c.request("/version")).resolves.toMatchObject({ gitVersion: expect.any(String) });
  });
});

describe("HealthProbe", () => {
  it("reports READY with the Kubernetes version and latency", async () => {
    const health = await new HealthProbe(connect()).probe();
    expect(health.status).toBe("READY");
    expect(health.kubernetesVersion).toMatch(/^v1\.\d+/);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.lastProbeAt).toBeInstanceOf(Date);
    expect(health.lastError).toBeNull();
  });

  it("reports DEGRADED when slow, and when /readyz fails", async () => {
    sim.faults.set({ latencyMs: 120 });
    const slow = await new HealthProbe(connect(), { slowMs: 60 }).probe();
    expect(slow.status).toBe("DEGRADED");
    expect(slow.latencyMs).toBeGreaterThanOrEqual(100);

    sim.faults.set({ latencyMs: 0, errorRate: 1, errorCode: 500 });
    const failing = await new HealthProbe(connect({}, { failureThreshold: 100, cooldownMs: 100 })).probe();
    expect(failing.status).toBe("DEGRADED");
    expect(failing.lastError?.httpStatus).toBe(500);
  });

  it("probes on its interval, goes UNREACHABLE when the cluster dies and READY when it is back", async () => {
    const changes: string[] = [];
    const probe = new HealthProbe(connect({ requestTimeoutMs: 500 }), {
      intervalMs: 100,
      onChange: (h) => changes.push(h.status),
    });
    probe.start();
    try {
      await eventually(() => probe.health.status === "READY");
      const firstProbe = probe.health.lastProbeAt!.getTime();
      await eventually(() => probe.health.lastProbeAt!.getTime() > firstProbe);
      await sim.goDown();
      await eventually(() => probe.health.status === "UNREACHABLE");
      expect(probe.health.lastError?.code).toBe("CLUSTER_UNAVAILABLE");
      expect(probe.health.kubernetesVersion).toMatch(/^v1\./); // kept from the last good probe
      await sim.comeBack();
      await eventually(() => probe.health.status === "READY");
      expect(changes).toEqual(["READY", "UNREACHABLE", "READY"]);
    } finally {
      probe.stop();
      await sim.comeBack();
    }
  });
});
