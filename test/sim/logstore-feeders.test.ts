import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@elastic/elasticsearch";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { readFleetFile } from "./fleet-clients.js";

let fleet: SimFleet;
let es: Client;

interface LogDoc {
  log: string;
  time: string;
  cluster: string;
  kubernetes: {
    namespace_name: string;
    pod_name: string;
    container_name: string;
    labels: Record<string, string>;
  };
}

interface AuditDoc {
  verb: string;
  stage: string;
  user: { username?: string; groups?: string[] };
  impersonatedUser?: { username: string; groups: string[] };
  objectRef?: { resource: string; namespace?: string; apiVersion: string };
  responseStatus: { code: number; reason?: string; status?: string };
  sourceIPs: string[];
  annotations?: Record<string, string>;
  cluster: string;
}

beforeAll(async () => {
  fleet = await startFleet({
    clusters: 2,
    nodes: 1,
    pods: 12,
    seed: "logstore-feed",
    http: true,
    metrics: false,
  });
  es = new Client({ node: fleet.logStoreUrl(fleet.clusters[0]!.name)! });
});
afterAll(async () => {
  await es?.close();
  await fleet?.stop();
});

describe("the fleet's log store", () => {
  it("is shared by default, named in the fleet file, and per cluster on request", async () => {
    const [a, b] = fleet.clusters;
    expect(fleet.logStoreUrl(a!.name)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fleet.logStoreUrl(a!.name)).toBe(fleet.logStoreUrl(b!.name));
    const file = readFleetFile(fleet.fleetFilePath);
    expect(file.clusters.map((c) => c.logStoreUrl)).toEqual([
      fleet.logStoreUrl(a!.name),
      fleet.logStoreUrl(b!.name),
    ]);
    const apart = await startFleet({
      clusters: 2,
      nodes: 1,
      pods: 4,
      seed: "apart",
      http: true,
      metrics: false,
      logStore: "per-cluster",
    });
    const none = await startFleet({
      clusters: 1,
      nodes: 1,
      pods: 2,
      seed: "none",
      http: true,
      metrics: false,
      logStore: false,
    });
    try {
      expect(apart.logStoreUrl(apart.clusters[0]!.name)).not.toBe(apart.logStoreUrl(apart.clusters[1]!.name));
      const client = new Client({ node: apart.logStoreUrl(apart.clusters[1]!.name)! });
      const agg = await client.search({
        index: "ks-logstash-log-*",
        size: 0,
        aggs: { c: { terms: { field: "cluster.keyword" } } },
      });
      expect((agg.aggregations!.c as { buckets: { key: string }[] }).buckets.map((x) => x.key)).toEqual([
        apart.clusters[1]!.name,
      ]);
      await client.close();
      expect(none.logStoreUrl(none.clusters[0]!.name)).toBeUndefined();
    } finally {
      await apart.stop();
      await none.stop();
    }
  });

  it("holds container log lines exactly as pods/log shows them", async () => {
    const res = await es.search<LogDoc>({
      index: "ks-logstash-log-*",
      size: 5,
      query: { term: { "cluster.keyword": fleet.clusters[0]!.name } },
      sort: [{ time: "desc" }],
    });
    expect(res.hits.hits.length).toBe(5);
    const hit = res.hits.hits[0]!._source!;
    expect(res.hits.hits[0]!._index).toMatch(/^ks-logstash-log-\d{4}\.\d{2}\.\d{2}$/);
    expect(hit.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    const cluster = fleet.cluster(hit.cluster);
    const url = `${cluster.url}/api/v1/namespaces/${hit.kubernetes.namespace_name}/pods/${hit.kubernetes.pod_name}/log?container=${hit.kubernetes.container_name}&timestamps=true`;
    const log = await (
      await fetch(url, { headers: { authorization: `Bearer ${fleet.user("admin").token}` } })
    ).text();
    expect(log.split("\n")).toContain(`${hit.time} ${hit.log}`);
    // Label keys have their dots replaced, as fluent-bit's Replace_Dots does.
    expect(Object.keys(hit.kubernetes.labels).some((k) => k.includes("."))).toBe(false);
    // A keyword search over the logs finds lines with that word.
    const word = hit.log.match(/[a-z]{4,}/i)![0];
    const found = await es.search<LogDoc>({ index: "ks-logstash-log-*", query: { match: { log: word } } });
    expect(found.hits.hits.every((h) => h._source!.log.toLowerCase().includes(word.toLowerCase()))).toBe(
      true,
    );
  });

  it("holds the clusters' events", async () => {
    const res = await es.search<{
      reason: string;
      involvedObject: { kind: string };
      lastTimestamp: string;
      cluster: string;
    }>({
      index: "ks-logstash-events-*",
      query: {
        bool: {
          filter: [
            { term: { "reason.keyword": "Scheduled" } },
            { term: { "cluster.keyword": fleet.clusters[1]!.name } },
          ],
        },
      },
    });
    expect(res.hits.hits.length).toBeGreaterThan(0);
    expect(res.hits.hits[0]!._source!.involvedObject.kind).toBe("Pod");
    expect(Date.parse(res.hits.hits[0]!._source!.lastTimestamp)).toBeGreaterThan(0);
  });

  it("records API requests as audit events: user, impersonated user, verb, object, code (a 403 too)", async () => {
    const cluster = fleet.clusters[0]!;
    const gateway = fleet.user("fleetgraph-gateway").token;
    const asBob = {
      authorization: `Bearer ${gateway}`,
      "impersonate-user": "bob",
      "user-agent": "audit-test/1.0",
    };
    const ok = await fetch(`${cluster.url}/api/v1/namespaces/search/pods`, { headers: asBob });
    expect(ok.status).toBe(200);
    const denied = await fetch(`${cluster.url}/api/v1/namespaces/kube-system/secrets/x`, { headers: asBob });
    expect(denied.status).toBe(403);
    const unknown = await fetch(`${cluster.url}/api/v1/namespaces`, {
      headers: { authorization: "Bearer nope", "user-agent": "audit-test/1.0" },
    });
    expect(unknown.status).toBe(401);
    fleet.feedLogs();
    const res = await es.search<AuditDoc>({
      index: "ks-logstash-auditing-*",
      size: 10,
      query: {
        bool: {
          filter: [
            { term: { "userAgent.keyword": "audit-test/1.0" } },
            { term: { "cluster.keyword": cluster.name } },
          ],
        },
      },
      sort: [{ requestReceivedTimestamp: "asc" }],
    });
    const events = res.hits.hits.map((h) => h._source!);
    expect(events.length).toBe(3);
    const [list, forbidden, unauthenticated] = events as [AuditDoc, AuditDoc, AuditDoc];
    expect(list).toMatchObject({
      verb: "list",
      stage: "ResponseComplete",
      user: { username: "fleetgraph-gateway" },
      impersonatedUser: { username: "bob" },
      objectRef: { resource: "pods", namespace: "search", apiVersion: "v1" },
      responseStatus: { code: 200 },
      sourceIPs: ["127.0.0.1"],
    });
    expect(list.annotations?.["authorization.k8s.io/decision"]).toBe("allow");
    expect(forbidden).toMatchObject({
      verb: "get",
      impersonatedUser: { username: "bob" },
      objectRef: { resource: "secrets", namespace: "kube-system", name: "x" },
      responseStatus: { code: 403, reason: "Forbidden", status: "Failure" },
    });
    expect(forbidden.annotations?.["authorization.k8s.io/decision"]).toBe("forbid");
    expect(unauthenticated.responseStatus.code).toBe(401);
    expect(unauthenticated.user).toEqual({});
    const [first] = res.hits.hits;
    // The auditID and the event's place: a client's Audit-ID can be shared by several requests.
    expect(first!._id).toMatch(/^[0-9a-f-]{36}\.\d+$/);
  });

  it("can be made unreachable and brought back for the gateway's fault tests", async () => {
    const store = fleet.logStore(fleet.clusters[0]!.name)!;
    await store.goDown();
    await expect(fetch(fleet.logStoreUrl(fleet.clusters[0]!.name)!)).rejects.toThrow();
    await store.comeBack();
    expect((await fetch(fleet.logStoreUrl(fleet.clusters[0]!.name)!)).status).toBe(200);
  });
});
