/**
 * Watch ingestion throughput: a plain HTTP server streams realistic pod events as fast as the
 * socket takes them; connection + reflector + projection + IndexedStore must apply every one of
 * them in order. The rate is printed, not asserted (a benchmark is not a timed test: the `churn`
 * scenario of `npm run bench` measures it against the 5,000 events/s target).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { IndexedStore } from "../../src/cache/indexed-store.js";
import { Reflector } from "../../src/cache/reflector.js";
import { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import { kindOf } from "../../src/kinds/index.js";
import { eventually } from "../support/eventually.js";

const PODS = 2000;
const EVENTS = 30_000;

function pod(i: number, rv: number): object {
  return {
    metadata: {
      name: `web-7d9c8b6f5-${i}`,
      namespace: `team-${i % 20}`,
      uid: `0000-${i}`,
      resourceVersion: String(rv),
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels: { app: "web", "pod-template-hash": "7d9c8b6f5", tier: i % 2 ? "frontend" : "backend" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9c8b6f5", uid: "rs-1", controller: true },
      ],
      managedFields: [
        { manager: "kube-controller-manager", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1" },
      ],
    },
    spec: {
      nodeName: `node-${i % 50}`,
      containers: [
        { name: "web", image: "registry.example.com/web:1.2.3", resources: { requests: { cpu: "100m" } } },
      ],
    },
    status: {
      phase: "Running",
      podIP: `10.0.${i % 250}.${i % 200}`,
      hostIP: "192.168.0.1",
      startTime: "2026-01-01T00:00:01Z",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [
        {
          name: "web",
          image: "registry.example.com/web:1.2.3",
          ready: true,
          restartCount: rv % 3,
          state: { running: { startedAt: "2026-01-01T00:00:02Z" } },
        },
      ],
    },
  };
}

let server: Server;
let url: string;

beforeAll(async () => {
  const list = JSON.stringify({
    kind: "PodList",
    metadata: { resourceVersion: "1" },
    items: Array.from({ length: PODS }, (_, i) => pod(i, 1)),
  });
  const events: string[] = [];
  for (let e = 0; e < EVENTS; e++)
    events.push(JSON.stringify({ type: "MODIFIED", object: pod(e % PODS, e + 2) }) + "\n");
  const body = events.join("");
  server = createServer((req, res) => {
    res.setHeader("Content-Type", "application/json");
    if (!req.url?.includes("watch=true")) return res.end(list);
    if (!req.url.includes("resourceVersion=1&")) return; // resumed watches stay open and quiet
    res.writeHead(200);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it(`applies all ${EVENTS} streamed watch events`, async () => {
  const connection = new ClusterConnection({
    name: "bench",
    displayName: "bench",
    labels: {},
    server: url,
    tls: { insecureSkipVerify: false },
    auth: { token: "t" },
    requestTimeoutMs: 10_000,
    maxConcurrentRequests: 4,
    source: "config",
  });
  const store = new IndexedStore("bench", kindOf("Pod"));
  const reflector = new Reflector(connection, kindOf("Pod"), store);
  reflector.start();
  try {
    await eventually(() => reflector.isSynced, 10_000, 5);
    const started = performance.now();
    const alreadyApplied = reflector.status().eventsApplied;
    await eventually(() => reflector.status().eventsApplied >= EVENTS, 20_000, 5);
    const perSecond = (EVENTS - alreadyApplied) / ((performance.now() - started) / 1000);
    console.log(`watch ingestion: ${Math.round(perSecond)} events/s`);
    expect(store.size).toBe(PODS);
    expect(reflector.status().resourceVersion).toBe(String(EVENTS + 1));
  } finally {
    await reflector.stop();
    connection.close();
  }
});
