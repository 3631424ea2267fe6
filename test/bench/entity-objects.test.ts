/** The entity-objects scenario's pieces that need no process: the answers reduced to keys, and its table. */
import { describe, expect, it } from "vitest";
import { renderReport } from "../../bench/report.js";
import type { BenchResult } from "../../bench/results.js";
import {
  backstageKeys,
  countByKind,
  differences,
  ENTITY_OBJECTS,
  fleetgraphKeys,
  OBJECT_TYPES,
  type BackstageAnswer,
  type FleetgraphAnswer,
} from "../../bench/scenarios/entity-answers.js";

const object = (cluster: string, name: string, uid: string, rv = "7") => ({
  clusterName: cluster,
  namespaceName: "payments",
  name,
  uid,
  resourceVersion: rv,
});

const metadata = (name: string, uid: string, rv = "7") => ({
  metadata: { name, namespace: "payments", uid, resourceVersion: rv, labels: { tier: "api" } },
  spec: {},
});

/** The same fleet twice: two clusters, a Deployment with its ReplicaSet, pods, a Service. */
const FLEETGRAPH: FleetgraphAnswer = {
  requests: 1,
  pages: new Map([
    ["pods", [object("c1", "api-1", "p1"), object("c2", "api-2", "p2")]],
    ["services", [object("c1", "api", "s1")]],
    [
      "deployments",
      [{ ...object("c1", "api", "d1"), revisions: { nodes: [object("c1", "api-5d9", "r1")] } }],
    ],
  ]),
};

const BACKSTAGE: BackstageAnswer = {
  items: [
    {
      cluster: { name: "c1" },
      errors: [],
      resources: [
        { type: "pods", resources: [metadata("api-1", "p1")] },
        { type: "services", resources: [metadata("api", "s1")] },
        { type: "deployments", resources: [metadata("api", "d1")] },
        { type: "replicasets", resources: [metadata("api-5d9", "r1")] },
        { type: "jobs", resources: [] },
      ],
    },
    {
      cluster: { name: "c2" },
      errors: [],
      resources: [{ type: "pods", resources: [metadata("api-2", "p2")] }],
    },
  ],
};

describe("entity-objects answers", () => {
  it("asks Fleetgraph for every one of Backstage's 13 default object types", () => {
    expect(OBJECT_TYPES).toHaveLength(13);
    expect(new Set(OBJECT_TYPES).size).toBe(13);
    for (const type of OBJECT_TYPES.filter((t) => t !== "replicasets"))
      expect(ENTITY_OBJECTS).toContain(`${type}: `);
    // ReplicaSets come as the Deployments' revisions.
    expect(ENTITY_OBJECTS).toMatch(/DEPLOYMENT[^]*revisions\(/);
  });

  it("reduces both answers to the same keys, ReplicaSets from the Deployments' revisions", () => {
    const a = fleetgraphKeys(FLEETGRAPH);
    const b = backstageKeys(BACKSTAGE);
    expect(a).toEqual(b);
    expect(countByKind(a)).toEqual({ Pod: 2, Service: 1, Deployment: 1, ReplicaSet: 1 });
    expect(a).toContain("c1/ReplicaSet/payments/api-5d9 r1@7");
    expect(differences(a, b)).toEqual({ onlyA: [], onlyB: [] });
  });

  it("tells apart an object at another resourceVersion, and says which side has what", () => {
    const stale: BackstageAnswer = {
      items: [
        {
          ...BACKSTAGE.items[0]!,
          resources: BACKSTAGE.items[0]!.resources.map((r) =>
            r.type === "pods" ? { type: "pods", resources: [metadata("api-1", "p1", "8")] } : r,
          ),
        },
        BACKSTAGE.items[1]!,
      ],
    };
    const b = backstageKeys(stale);
    expect(b).not.toEqual(fleetgraphKeys(FLEETGRAPH));
    expect(differences(fleetgraphKeys(FLEETGRAPH), b)).toEqual({
      onlyA: ["c1/Pod/payments/api-1 p1@7"],
      onlyB: ["c1/Pod/payments/api-1 p1@8"],
    });
  });

  it("refuses a Backstage answer with a cluster's errors: it is incomplete", () => {
    const failed: BackstageAnswer = {
      items: [
        {
          cluster: { name: "c2" },
          errors: [{ errorType: "FETCH_ERROR", message: "ECONNREFUSED" }],
          resources: [],
        },
      ],
    };
    expect(() => backstageKeys(failed)).toThrow(/backstage answered with errors for c2: .*FETCH_ERROR/);
    const unasked: BackstageAnswer = {
      items: [{ cluster: { name: "c1" }, errors: [], resources: [{ type: "secrets", resources: [] }] }],
    };
    expect(() => backstageKeys(unasked)).toThrow("an object type it was not asked for: secrets");
  });
});

describe("the entity-objects table", () => {
  it("puts Backstage's figures beside the gateway's, with the ratio and the objects compared", () => {
    const figures = { p50_ms: 50, p95_ms: 80, p99_ms: 100, rps: 20, samples: 200, heap_bytes: 2 ** 27 };
    const result: BenchResult = {
      scenario: "entity-objects",
      fleet: { clusters: 10, pods: 2000, pods_total: 20000 },
      fleetgraph: { ...figures, api_requests_per_answer: 0, http_requests_per_answer: 3 },
      peers: {
        backstage: {
          ...figures,
          p50_ms: 1000,
          rps: 1,
          api_requests_per_answer: 130,
          http_requests_per_answer: 1,
          answer_matches_gateway: true,
        },
        passthrough: { skipped: "n/a" },
        "raw-fanout": { skipped: "n/a" },
        "graphql-constant": { skipped: "n/a" },
      },
      machine: { cpus: 2, cpu_model: "Test CPU", memory_bytes: 2 ** 34, node: "v24.0.0", kernel: "6.1" },
      started_at: "2026-12-06T10:00:00.000Z",
      wall_s: 60,
      method: {
        selector: "app.kubernetes.io/part-of=payments",
        objects: 2875,
        objects_by_kind: { Pod: 2745, Service: 30 },
        object_types: OBJECT_TYPES,
        fleetgraph_requests_per_answer: 3,
        backstage: { version: "0.21.15" },
        connections: 1,
        duration_s: 10,
      },
    };
    const page = renderReport(new Map([["entity-objects", result]]), "");
    expect(page).toContain("## entity-objects");
    expect(page).toContain("| p50 | 50 ms | 1000 ms (20.0) |");
    expect(page).toContain("| API-server requests per answer | 0 | 130 |");
    expect(page).toContain("2,875 objects (2,745 Pod, 30 Service)");
    expect(page).toContain("@backstage/plugin-kubernetes-backend 0.21.15");
    expect(page).toContain("Both answers named the same objects");
  });
});
