/**
 * The gateway over real HTTP against a simulated HTTPS fleet: health and readiness, queries with
 * per-cluster freshness, GET with Apollo's CSRF rules, input errors, a cluster going down (its
 * cached data still served, marked stale, with a typed error), reloads that add and remove
 * clusters, and a shutdown that drains a request in flight.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/index.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import { eventually } from "../support/eventually.js";
import { baseUrl, fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

const POD = findResource("", "pods")!;

interface Outcome {
  clusterName: string;
  source: "CACHE" | "API_SERVER";
  synced: boolean;
  staleSince: string | null;
  resourceVersion: string;
  error: { code: string; retryable: boolean } | null;
}
interface PodsAnswer {
  pods: { totalCount: number; outcomes: Outcome[]; nodes: { name: string; clusterName: string }[] };
}

const PODS = `query Pods($filter: PodFilter) {
  pods(first: 5, filter: $filter, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    outcomes { clusterName source synced staleSince resourceVersion error { code retryable } }
    nodes { name namespaceName clusterName }
  }
}`;

let fleet: SimFleet;
let config: GatewayConfig;
let gateway: Gateway;
let names: string[];

const simPods = (...clusters: string[]) =>
  clusters.reduce((sum, name) => sum + fleet.cluster(name).store.count(POD), 0);

beforeAll(async () => {
  fleet = await startSimFleet("server-test");
  config = fleetConfig(fleet);
  names = fleet.clusters.map((c) => c.name);
  // One slow cluster keeps the gateway unready long enough to see /readyz say so.
  fleet.cluster(names[2]!).faults.set({ latencyMs: 1500 });
  gateway = await startTestGateway(config);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

describe("health and readiness", () => {
  it("/healthz and /livez answer while caches sync; /readyz flips from 503 (naming the pending cluster) to 200", async () => {
    for (const path of ["/healthz", "/livez"]) {
      const health = await fetch(`${baseUrl(gateway)}${path}`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe("ok");
    }

    const early = await fetch(`${baseUrl(gateway)}/readyz`);
    expect(early.status).toBe(503);
    const body = (await early.json()) as { ready: boolean; pending: string[] };
    expect(body.ready).toBe(false);
    expect(body.pending).toContain(names[2]);

    fleet.cluster(names[2]!).faults.reset();
    const ready = await eventually(async () => {
      const r = await fetch(`${baseUrl(gateway)}/readyz`);
      return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : false;
    });
    // Ready says what it is made of: every cluster, and the (default) policy applied.
    expect(ready).toMatchObject({ ready: true, clustersTotal: 3, gaveUp: [], pending: [] });
    expect((ready.synced as string[]).sort()).toEqual([...names].sort());
    expect(ready.policy).toEqual({ minSyncedClusters: 1, waitForAllClusters: true, requiredSynced: 1 });
  });
});

describe("queries over HTTP", () => {
  beforeAll(async () => {
    await gateway.fleetCache.whenSynced(20_000);
  });

  it("answers a pods query across every cluster with each cluster's freshness", async () => {
    const answer = await eventually(async () => {
      const r = await graphql<PodsAnswer>(gateway.url, PODS);
      return r.data?.pods.totalCount === simPods(...names) ? r : false;
    });
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const pods = answer.data!.pods;
    expect(pods.nodes).toHaveLength(5);
    expect(pods.nodes.map((p) => p.name)).toEqual([...pods.nodes.map((p) => p.name)].sort());
    expect(pods.outcomes.map((c) => c.clusterName).sort()).toEqual([...names].sort());
    for (const c of pods.outcomes) {
      expect(c).toMatchObject({ source: "CACHE", synced: true, staleSince: null, error: null });
      expect(c.resourceVersion).toMatch(/^\d+$/);
    }
  });

  it("warns in extensions.warnings of a cluster name it does not know, and answers the rest", async () => {
    const r = await graphql<PodsAnswer>(gateway.url, PODS, { filter: { clusters: [names[0], "atlantis"] } });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data!.pods.outcomes.map((c) => c.clusterName)).toEqual([names[0]]);
    expect(r.data!.pods.totalCount).toBe(simPods(names[0]!));
    expect(r.extensions?.warnings).toEqual([
      expect.objectContaining({ code: "UNKNOWN_CLUSTER", clusters: ["atlantis"] }),
    ]);
    const known = await graphql<PodsAnswer>(gateway.url, PODS, { filter: { clusters: [names[0]] } });
    expect(known.extensions?.warnings).toBeUndefined();
  });

  it("fans out only to the clusters a clusterSelector picks", async () => {
    const target = fleet.cluster(names[0]!);
    const selector = Object.entries(target.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const r = await graphql<PodsAnswer>(gateway.url, PODS, { filter: { clusterSelector: selector } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.pods.outcomes.map((c) => c.clusterName)).toEqual([target.name]);
    expect(r.data!.pods.totalCount).toBe(target.store.count(POD));
    expect(new Set(r.data!.pods.nodes.map((p) => p.clusterName))).toEqual(new Set([target.name]));
  });

  it("answers consistency: STRONG from the API servers, with the same objects as the caches", async () => {
    const query = `query ($c: Consistency!) { pods(first: 1000, consistency: $c, orderBy: { field: NAME, direction: ASC }) {
      nodes { name namespace: namespaceName cluster: clusterName } } }`;
    type Names = { pods: { nodes: { name: string; namespace: string; cluster: string }[] } };
    const strong = await graphql<Names>(gateway.url, query, { c: "STRONG" });
    expect(strong.errors).toBeUndefined();
    expect(strong.data!.pods.nodes).toHaveLength(simPods(...names));
    const cached = await graphql<Names>(gateway.url, query, { c: "CACHED" });
    const key = (p: { name: string; namespace: string; cluster: string }) =>
      `${p.cluster}/${p.namespace}/${p.name}`;
    expect(strong.data!.pods.nodes.map(key).sort()).toEqual(cached.data!.pods.nodes.map(key).sort());
  });

  it("reads any kind from one cluster's API server through Query.resources", async () => {
    const r = await graphql<{
      resources: { clusterName: string; totalCount: number; nodes: { metadata: { name: string } }[] };
    }>(
      gateway.url,
      `
        query ($c: String!) {
          resources(cluster: $c, apiVersion: "v1", kind: "Namespace", first: 100) {
            clusterName
            totalCount
            nodes
          }
        }
      `,
      { c: names[0] },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.resources.clusterName).toBe(names[0]);
    expect(r.data!.resources.nodes.map((n) => n.metadata.name)).toContain("kube-system");
  });

  it("serves GET /graphql when the CSRF-safe header is present, and refuses it otherwise", async () => {
    const url = `${gateway.url}?query=${encodeURIComponent("{ clusters { totalCount nodes { name } } }")}`;
    const allowed = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(allowed.status).toBe(200);
    const body = (await allowed.json()) as { data: { clusters: { totalCount: number } } };
    expect(body.data.clusters.totalCount).toBe(3);

    const refused = await fetch(url);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/CSRF/i);
  });

  it("reports input errors as BAD_USER_INPUT, not INTERNAL_SERVER_ERROR", async () => {
    const selector = await graphql(gateway.url, PODS, { filter: { labelSelector: "app in ((" } });
    expect(selector.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "labelSelector",
    });
    expect(selector.errors?.[0]?.message).toMatch(/app in \(\(/);
    expect(selector.errors?.[0]?.extensions).not.toHaveProperty("stacktrace");

    const variables = await graphql(gateway.url, "query ($n: Int) { pods(first: $n) { totalCount } }", {
      n: "ten",
    });
    expect(variables.status).toBe(400);
    expect(variables.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("a cluster that goes down", () => {
  it("still answers with every cluster's data, marks the down one stale and names it in a typed error", async () => {
    await gateway.fleetCache.whenSynced(20_000);
    const down = fleet.cluster(names[1]!);
    const cachedPods = down.store.count(POD);
    await down.goDown();
    try {
      const answer = await eventually(async () => {
        const r = await graphql<PodsAnswer>(gateway.url, PODS);
        const problem = r.errors?.find((e) => e.extensions?.cluster === down.name);
        return problem ? r : false;
      });
      expect(answer.status).toBe(200);
      expect(answer.errors).toEqual([
        expect.objectContaining({
          extensions: { code: "CLUSTER_UNAVAILABLE", cluster: down.name, retryable: true },
        }),
      ]);
      expect(answer.errors![0]!.message).toContain(down.name);
      const pods = answer.data!.pods;
      expect(pods.totalCount).toBe(simPods(...names));
      const freshness = pods.outcomes.find((c) => c.clusterName === down.name)!;
      expect(freshness.synced).toBe(true);
      expect(freshness.staleSince).not.toBeNull();
      expect(freshness.error).toEqual({ code: "CLUSTER_UNAVAILABLE", retryable: true });
      for (const c of pods.outcomes.filter((c) => c.clusterName !== down.name)) {
        expect(c.staleSince).toBeNull();
        expect(c.error).toBeNull();
      }

      // Its cached objects are still served on their own.
      const only = await graphql<PodsAnswer>(gateway.url, PODS, { filter: { clusters: [down.name] } });
      expect(only.data!.pods.totalCount).toBe(cachedPods);
    } finally {
      await down.comeBack();
    }
    await eventually(async () => {
      const r = await graphql<PodsAnswer>(gateway.url, PODS);
      return r.errors === undefined && r.data!.pods.outcomes.every((c) => c.staleSince === null);
    }, 20_000);
  });
});

describe("reload", () => {
  it("removes and adds clusters without a restart", async () => {
    const removed = names[2]!;
    const diff = gateway.reload({ ...config, clusters: config.clusters.filter((c) => c.name !== removed) });
    expect(diff.removed.map((c) => c.name)).toEqual([removed]);

    const fewer = await graphql<PodsAnswer & { clusters: { totalCount: number } }>(
      gateway.url,
      `
        {
          clusters {
            totalCount
          }
          pods {
            totalCount
            outcomes {
              clusterName
            }
          }
        }
      `,
    );
    expect(fewer.data!.clusters.totalCount).toBe(2);
    expect(fewer.data!.pods.outcomes.map((c) => c.clusterName)).not.toContain(removed);
    expect(fewer.data!.pods.totalCount).toBe(simPods(names[0]!, names[1]!));

    const back = gateway.reload(config);
    expect(back.added.map((c) => c.name)).toEqual([removed]);
    await eventually(async () => {
      const r = await graphql<PodsAnswer>(gateway.url, PODS);
      const freshness = r.data?.pods.outcomes.find((c) => c.clusterName === removed);
      return freshness?.synced === true && r.data!.pods.totalCount === simPods(...names);
    }, 20_000);
  });
});

describe("shutdown", () => {
  it("drains a request in flight before stopping, and refuses new connections", async () => {
    const draining = await startTestGateway(config);
    await draining.fleetCache.whenSynced(20_000);
    const body = JSON.stringify({ query: "{ clusters { totalCount } }" });
    const { port } = draining;

    // A request whose body is still arriving is in flight: stop() must wait for it.
    const req = request({
      host: "127.0.0.1",
      port,
      path: "/graphql",
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));

    let stopped = false;
    const stopping = draining.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    req.end(body.slice(10));
    const result = await answered;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text)).toEqual({ data: { clusters: { totalCount: 3 } } });
    await stopping;
    expect(stopped).toBe(true);
  });
});
