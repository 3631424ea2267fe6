/**
 * PrometheusBackends from configs parsed by the real loader: which client and which cluster
 * matcher answer for each cluster, clients shared per backend, counting, reload and close.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrometheusBackends } from "../../src/backends/prometheus/backends.js";
import { PrometheusError } from "../../src/backends/prometheus/errors.js";
import { parseConfig } from "../../src/config/index.js";

let server: Server;
let url: string;
let hits: number;
const opened: PrometheusBackends[] = [];

beforeEach(async () => {
  hits = 0;
  server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const b of opened.splice(0)) b.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function backends(yaml: string): PrometheusBackends {
  const b = PrometheusBackends.fromConfig(parseConfig(yaml, "fleetgraph.yaml"));
  opened.push(b);
  return b;
}

const CLUSTERS = `clusters:
  - { name: east, server: https://east.example.com }
  - { name: west, server: https://west.example.com }
`;

describe("PrometheusBackends", () => {
  it("without a metrics section or a cluster's prometheus: nothing configured, no source", () => {
    const b = backends(CLUSTERS);
    expect(b.configured).toBe(false);
    expect(b.forCluster("east")).toBeUndefined();
    expect(b.queries).toBe(0);
  });

  it("a shared Prometheus is one client for every cluster, each told apart by the cluster label", () => {
    const b = backends(`metrics:\n  prometheus: { url: "${url}" }\n${CLUSTERS}`);
    const east = b.forCluster("east")!;
    const west = b.forCluster("west")!;
    expect(b.configured).toBe(true);
    expect(east.cluster).toBe("east");
    expect(east.clusterLabel).toEqual({ name: "cluster", value: "east" });
    expect(west.clusterLabel).toEqual({ name: "cluster", value: "west" });
    expect(east.client).toBe(west.client);
    expect(east.client.backend).toBe(url);
    // A cluster the config does not list (the embedded demo fleet's) is read from the shared one.
    const north = b.forCluster("north")!;
    expect(north.clusterLabel).toEqual({ name: "cluster", value: "north" });
    expect(north.client).toBe(east.client);
  });

  it("takes the shared Prometheus's clusterLabel as the matcher's name", () => {
    const b = backends(`metrics:\n  prometheus: { url: "${url}", clusterLabel: k8s_cluster }\n${CLUSTERS}`);
    expect(b.forCluster("west")!.clusterLabel).toEqual({ name: "k8s_cluster", value: "west" });
  });

  it("a cluster's own Prometheus wins, without a matcher unless its entry names a label", () => {
    const b = backends(`metrics:
  prometheus: { url: "${url}/shared" }
clusters:
  - name: east
    server: https://east.example.com
    prometheus: { url: "${url}/east" }
  - name: west
    server: https://west.example.com
    prometheus: { url: "${url}/thanos", clusterLabel: tenant_cluster }
  - { name: north, server: https://north.example.com }
`);
    const east = b.forCluster("east")!;
    expect(east.client.backend).toBe(`${url}/east`);
    expect(east.clusterLabel).toBeUndefined();
    expect(b.forCluster("west")).toMatchObject({ clusterLabel: { name: "tenant_cluster", value: "west" } });
    expect(b.forCluster("west")!.client.backend).toBe(`${url}/thanos`);
    expect(b.forCluster("north")!.client.backend).toBe(`${url}/shared`);
    expect(new Set([east.client, b.forCluster("west")!.client, b.forCluster("north")!.client]).size).toBe(3);
  });

  it("clusters naming the same Prometheus with the same settings share its client; other settings, another client", () => {
    const b = backends(`clusters:
  - { name: a, server: https://a.example.com, prometheus: { url: "${url}/thanos", clusterLabel: cluster } }
  - { name: b, server: https://b.example.com, prometheus: { url: "${url}/thanos/", clusterLabel: cluster } }
  - { name: c, server: https://c.example.com, prometheus: { url: "${url}/thanos", clusterLabel: cluster, timeoutMs: 9000 } }
`);
    expect(b.forCluster("a")!.client).toBe(b.forCluster("b")!.client);
    expect(b.forCluster("c")!.client).not.toBe(b.forCluster("a")!.client);
  });

  it("counts queries once per distinct client", async () => {
    const b = backends(`metrics:
  prometheus: { url: "${url}" }
clusters:
  - { name: east, server: https://east.example.com }
  - { name: west, server: https://west.example.com }
  - { name: own, server: https://own.example.com, prometheus: { url: "${url}/own" } }
`);
    await b.forCluster("east")!.client.instant("up");
    await b.forCluster("west")!.client.instant("up");
    await b.forCluster("own")!.client.instant("up");
    expect(hits).toBe(3);
    expect(b.queries).toBe(3);
  });

  it("reload keeps the clients whose settings did not change, closes the others and adds new clusters", async () => {
    const before = backends(`metrics:
  prometheus: { url: "${url}" }
clusters:
  - { name: east, server: https://east.example.com }
  - { name: west, server: https://west.example.com, prometheus: { url: "${url}/west" } }
`);
    const shared = before.forCluster("east")!.client;
    const oldWest = before.forCluster("west")!.client;
    const after = before.reload(
      parseConfig(
        `metrics:
  prometheus: { url: "${url}" }
clusters:
  - { name: east, server: https://east.example.com }
  - { name: west, server: https://west.example.com, prometheus: { url: "${url}/west", timeoutMs: 1000 } }
  - { name: north, server: https://north.example.com }
`,
        "fleetgraph.yaml",
      ),
    );
    opened.push(after);
    expect(after.forCluster("east")!.client).toBe(shared);
    expect(after.forCluster("north")!.client).toBe(shared);
    expect(after.forCluster("west")!.client).not.toBe(oldWest);
    const closed = await oldWest.instant("up").catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(PrometheusError);
    expect((closed as PrometheusError).message).toContain("closed");
    // The old instance no longer owns the carried-over client: closing it leaves the client working.
    before.close();
    await expect(shared.instant("up")).resolves.toEqual([]);
    await expect(after.forCluster("west")!.client.instant("up")).resolves.toEqual([]);
  });

  it("close() closes every client", async () => {
    const b = backends(`metrics:\n  prometheus: { url: "${url}" }\n${CLUSTERS}`);
    b.close();
    const error = await b
      .forCluster("east")!
      .client.instant("up")
      .catch((e: unknown) => e);
    expect((error as PrometheusError).code).toBe("PROMETHEUS_UNAVAILABLE");
    expect(hits).toBe(0);
  });
});
