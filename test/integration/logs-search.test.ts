/**
 * Container-log search through the gateway over HTTP, as admin, against one shared log store
 * (documents told apart by their `cluster` field). The documents are written here for the fleet's
 * real pods (their labels included, so workload selectors match), so every expected answer is
 * computed from what was written: each filter of LogFilter, paging in both directions with ties
 * at the same millisecond in one cluster and across both, exact totals, histogram buckets,
 * Pod.logs and Workload.logs from the store, LogEntry.pod, and the inputs refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import { DEPLOYMENTS, STATEFULSETS } from "../../sim/controllers/resources.js";
import { logStoreSettings, startLogStore } from "../support/log-store.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import {
  codes,
  DocBook,
  entryOf,
  fleetPods,
  hasPhrase,
  HISTOGRAM,
  inOrder,
  LOGS,
  LOGS_FLEET,
  normalised,
  PAGE_FIELDS,
  pageAll,
  rangeOf,
  type Direction,
  type EntryPage,
  type SimPod,
  type WrittenDoc,
} from "./logs-fixture.js";

const MINUTE = 60_000;
let store: LogStoreServer;
let fixture: AuthGateway;
let pods: SimPod[];
const book = new DocBook();
/** Documents inside the default range (the last hour) — all but the old one. */
let recent: WrittenDoc[];
let old: WrittenDoc;
let T0: number;
let TIE: number;
/** namespace "cluster/name" -> its workspace */
const workspaceOf = new Map<string, string | null>();
let clusterA: string;
let clusterB: string;
let gonePodDoc: WrittenDoc;
let impostorDoc: WrittenDoc;
let workloadIds: {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  selector: Record<string, string>;
}[];

const KEYWORD_LINES = [
  "Payment FAILED for order 1001",
  "failed payment for order 1002",
  "payment failed: timeout after 30s",
  "upstream timeout, payment retried",
  "PAYMENT   failed twice",
];

beforeAll(async () => {
  store = await startLogStore();
  fixture = await startAuthGateway({
    seed: "logs-search",
    fleet: LOGS_FLEET,
    users: ["admin"],
    configFor: () => Promise.resolve({ logs: { elasticsearch: logStoreSettings(store.url) } }),
  });
  pods = fleetPods(fixture.sim);
  [clusterA, clusterB] = fixture.sim.clusters.map((c) => c.name) as [string, string];
  // Whole minutes, so histogram buckets line up with known times; half an hour ago.
  T0 = Math.floor((Date.now() - 40 * MINUTE) / MINUTE) * MINUTE;
  TIE = T0 + 5 * MINUTE + 123;
  // Three lines per pod, ten seconds apart per pod; every fifth pod a keyword line.
  pods.forEach((pod, i) => {
    const at = T0 + i * 10_000;
    book.line(pod, at, `starting ${pod.name} line a`);
    book.line(pod, at + 17, `GET /healthz 200 served by ${pod.name} line b`);
    book.line(pod, at + 311, KEYWORD_LINES[i % KEYWORD_LINES.length]!);
  });
  // Ties: four lines at one millisecond in cluster A, three in B (all pods of both clusters).
  const inA = pods.filter((p) => p.cluster === clusterA).slice(0, 4);
  const inB = pods.filter((p) => p.cluster === clusterB).slice(0, 3);
  // Written interleaved, so write order and the merged order differ across clusters.
  for (let i = 0; i < 4; i++) {
    book.line(inA[i]!, TIE, `tie ${i} in A`);
    if (inB[i]) book.line(inB[i]!, TIE, `tie ${i} in B`);
  }
  // A second tie, in cluster A only, at the same pod.
  for (let i = 0; i < 3; i++) book.line(inA[0]!, TIE + 1, `same pod tie ${i}`);
  // A side container no pod has, and an old line outside the default range.
  book.line(pods[1]!, T0 + 20 * MINUTE, "sidecar says hello", { container: "istio-proxy" });
  old = book.line(pods[2]!, Date.now() - 2 * 60 * MINUTE, "an old line from two hours ago");

  // Workloads: a Deployment in A and a StatefulSet in B, with their selectors from the simulator.
  const listed = await fixture.query<{
    workloads: {
      nodes: { id: string; kind: string; name: string; namespaceName: string; clusterName: string }[];
    };
    namespaces: { nodes: { name: string; clusterName: string; workspaceName: string | null }[] };
  }>(
    "admin",
    `{ workloads(first: 500) { nodes { id kind name namespaceName clusterName } }
       namespaces(first: 500) { nodes { name clusterName workspaceName } } }`,
  );
  expect(listed.errors).toBeUndefined();
  for (const n of listed.data!.namespaces.nodes)
    workspaceOf.set(`${n.clusterName}/${n.name}`, n.workspaceName);
  const selectorOf = (cluster: string, kind: "DEPLOYMENT" | "STATEFUL_SET", ns: string, name: string) => {
    const resource = kind === "DEPLOYMENT" ? DEPLOYMENTS : STATEFULSETS;
    const object = fixture.sim.cluster(cluster).store.get(resource, ns, name)!;
    return (object.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
  };
  const pick = (cluster: string, kind: "DEPLOYMENT" | "STATEFUL_SET") => {
    const w = listed.data!.workloads.nodes.find(
      (n) =>
        n.clusterName === cluster &&
        n.kind === kind &&
        pods.some((p) => p.cluster === cluster && p.namespace === n.namespaceName),
    )!;
    return {
      id: w.id,
      cluster,
      namespace: w.namespaceName,
      name: w.name,
      selector: selectorOf(cluster, kind, w.namespaceName, w.name),
    };
  };
  const deployment = pick(clusterA, "DEPLOYMENT");
  const statefulSet = pick(clusterB, "STATEFUL_SET");
  workloadIds = [deployment, statefulSet];
  // A pod of the Deployment since deleted (its labels, a name no pod has now), and a pod in the
  // same namespace with other labels.
  const member = pods.find(
    (p) =>
      p.cluster === clusterA &&
      p.namespace === deployment.namespace &&
      matches(p.labels, deployment.selector),
  )!;
  gonePodDoc = book.line(
    { ...member, name: `${deployment.name}-6d4cf56db6-gone1` },
    T0 + 21 * MINUTE,
    "a line of a pod since deleted",
  );
  impostorDoc = book.line(
    {
      ...member,
      name: "impostor-7c9d8-xk2lp",
      labels: { "app.kubernetes.io/name": "impostor", tier: "backend" },
    },
    T0 + 21 * MINUTE + 1,
    "a line of a pod with other labels",
  );
  await book.write(() => store.url);
  recent = book.docs.filter((d) => d !== old);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  await store?.close();
});

function matches(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

type Filter = Record<string, unknown>;

/** Every page of `filter` (first 7) equals `expected` in the direction's order, counted exactly. */
async function expectSearch(filter: Filter, expected: WrittenDoc[], direction: Direction = "NEWEST_FIRST") {
  const all = await pageAll(fixture, "admin", filter, 7, direction);
  expect(all.entries).toEqual(inOrder(expected, direction).map(entryOf));
  for (const total of all.totalCounts) expect(total).toBe(expected.length);
  return all;
}

const everything = () => ({ range: rangeOf(recent) });

describe("logs: every filter of LogFilter", () => {
  it("without a filter: the last hour of both clusters, the old line left out", async () => {
    const all = await expectSearch({}, recent);
    expect(new Set(all.entries.map((e) => e.clusterName))).toEqual(new Set([clusterA, clusterB]));
    expect(all.entries.map((e) => e.message)).not.toContain(old.log);
  });

  it("clusters and clusterSelector", async () => {
    await expectSearch(
      { ...everything(), clusters: [clusterB] },
      recent.filter((d) => d.cluster === clusterB),
    );
    const prod = fixture.sim.clusters.find((c) => c.labels.environment === "prod")!.name;
    await expectSearch(
      { ...everything(), clusterSelector: "environment=prod" },
      recent.filter((d) => d.cluster === prod),
    );
    await expectSearch({ ...everything(), clusterSelector: "environment=nowhere" }, []);
  });

  it("workspaces and namespaces", async () => {
    const someWorkspace = [...workspaceOf.values()].find((w) => w !== null)!;
    const inWorkspace = recent.filter(
      (d) => workspaceOf.get(`${d.cluster}/${d.namespace}`) === someWorkspace,
    );
    expect(inWorkspace.length).toBeGreaterThan(0);
    expect(inWorkspace.length).toBeLessThan(recent.length);
    await expectSearch({ ...everything(), workspaces: [someWorkspace] }, inWorkspace);
    const namespaces = [pods[0]!.namespace, pods.at(-1)!.namespace];
    await expectSearch(
      { ...everything(), namespaces },
      recent.filter((d) => namespaces.includes(d.namespace)),
    );
  });

  it("workloads: their selectors over the documents' labels, a deleted pod's lines included", async () => {
    const expected = recent.filter((d) =>
      workloadIds.some(
        (w) => w.cluster === d.cluster && w.namespace === d.namespace && matches(d.labels!, w.selector),
      ),
    );
    expect(expected).toContain(gonePodDoc);
    expect(expected).not.toContain(impostorDoc);
    expect(new Set(expected.map((d) => d.cluster)).size).toBe(2);
    const all = await expectSearch({ ...everything(), workloads: workloadIds.map((w) => w.id) }, expected);
    expect(all.entries.map((e) => e.podName)).toContain(gonePodDoc.pod);
    expect(all.entries.map((e) => e.podName)).not.toContain(impostorDoc.pod);
    // A workload id that is not a workload's is refused.
    const refused = await fixture.query("admin", LOGS, {
      filter: { workloads: [Buffer.from("not an id").toString("base64")] },
    });
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
  });

  it("pods and containers", async () => {
    const names = [pods[3]!.name, pods.at(-2)!.name];
    await expectSearch(
      { ...everything(), pods: names },
      recent.filter((d) => names.includes(d.pod)),
    );
    await expectSearch(
      { ...everything(), containers: ["istio-proxy"] },
      recent.filter((d) => d.container === "istio-proxy"),
    );
    const container = pods[5]!.containers[0]!;
    await expectSearch(
      { ...everything(), containers: [container] },
      recent.filter((d) => d.container === container),
    );
  });

  it("keywords: phrases, case-insensitive, every one required", async () => {
    const phrase = recent.filter((d) => hasPhrase(d.log, "payment failed"));
    // The phrase, not the words: "failed payment" does not match, "Payment FAILED for" does.
    expect(phrase.map((d) => d.log)).toContain("Payment FAILED for order 1001");
    expect(phrase.map((d) => d.log)).not.toContain("failed payment for order 1002");
    const all = await expectSearch({ ...everything(), keywords: ["payment failed"] }, phrase);
    expect(all.entries.map((e) => e.message)).not.toContain("failed payment for order 1002");
    const both = recent.filter((d) => hasPhrase(d.log, "payment failed") && hasPhrase(d.log, "timeout"));
    expect(both.length).toBeGreaterThan(0);
    expect(both.length).toBeLessThan(phrase.length);
    await expectSearch({ ...everything(), keywords: ["payment failed", "timeout"] }, both);
  });

  it("range: both ends inclusive; the default is the last hour", async () => {
    const a = pods[4]!;
    const first = recent.find((d) => d.pod === a.name && d.cluster === a.cluster)!;
    const start = first.time;
    const end = first.time + 17;
    const inside = recent.filter((d) => d.time >= start && d.time <= end);
    expect(inside.length).toBeGreaterThanOrEqual(2);
    await expectSearch(
      { range: { start: new Date(start).toISOString(), end: new Date(end).toISOString() } },
      inside,
      "OLDEST_FIRST",
    );
    // One millisecond narrower at each end leaves out the lines at the ends.
    await expectSearch(
      { range: { start: new Date(start + 1).toISOString(), end: new Date(end - 1).toISOString() } },
      recent.filter((d) => d.time > start && d.time < end),
    );
    // The old line is there when the range reaches back to it.
    await expectSearch(
      { range: { start: new Date(old.time).toISOString(), end: new Date(old.time).toISOString() } },
      [old],
    );
  });
});

describe("logs: paging", () => {
  it.each(["NEWEST_FIRST", "OLDEST_FIRST"] as const)(
    "%s: every entry once, in order, ties at one millisecond in one cluster and across both",
    async (direction) => {
      const ties = recent.filter((d) => d.time === TIE);
      expect(new Set(ties.map((d) => d.cluster)).size).toBe(2);
      // Pages of 3 cut through the ties.
      const all = await pageAll(fixture, "admin", everything(), 3, direction);
      expect(all.entries).toEqual(inOrder(recent, direction).map(entryOf));
      expect(all.pages).toBe(Math.ceil(recent.length / 3));
      // Only the ties, in pages of one.
      const tied = await pageAll(
        fixture,
        "admin",
        { range: { start: new Date(TIE).toISOString(), end: new Date(TIE + 1).toISOString() } },
        1,
        direction,
      );
      const expected = inOrder(
        recent.filter((d) => d.time === TIE || d.time === TIE + 1),
        direction,
      );
      expect(tied.entries).toEqual(expected.map(entryOf));
      expect(tied.totalCounts.every((t) => t === expected.length)).toBe(true);
    },
  );

  it("first: 0 gives no entries and the count", async () => {
    const answer = await fixture.query<{ logs: EntryPage }>("admin", LOGS, {
      filter: everything(),
      first: 0,
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.logs.edges).toEqual([]);
    expect(answer.data!.logs.totalCount).toBe(recent.length);
    expect(answer.data!.logs.pageInfo.hasNextPage).toBe(recent.length > 0);
  });
});

describe("logHistogram", () => {
  const expectedBuckets = (start: number, end: number, step: number) => {
    const buckets: { time: string; count: number }[] = [];
    for (let t = Math.floor(start / step) * step; t <= end; t += step)
      buckets.push({
        time: new Date(t).toISOString(),
        count: book.docs.filter((d) => d.time >= Math.max(t, start) && d.time < t + step && d.time <= end)
          .length,
      });
    return buckets;
  };

  it.each([
    ["1m", MINUTE],
    ["30s", 30_000],
    ["1h", 60 * MINUTE],
  ])("counts per %s interval, empty intervals included", async (interval, step) => {
    const start = T0 - 5 * MINUTE;
    const end = T0 + 25 * MINUTE;
    const answer = await fixture.query<{
      logHistogram: { interval: string; total: number; buckets: { time: string; count: number }[] };
    }>("admin", HISTOGRAM, {
      filter: { range: { start: new Date(start).toISOString(), end: new Date(end).toISOString() } },
      interval,
    });
    expect(answer.errors).toBeUndefined();
    const got = answer.data!.logHistogram;
    expect(got.interval).toBe(interval);
    const expected = expectedBuckets(start, end, step);
    expect(got.buckets.map((b) => ({ time: new Date(b.time).toISOString(), count: b.count }))).toEqual(
      expected,
    );
    if (interval !== "1h") expect(expected.some((b) => b.count === 0)).toBe(true);
    expect(got.total).toBe(expected.reduce((s, b) => s + b.count, 0));
    expect(got.total).toBe(recent.filter((d) => d.time >= start && d.time <= end).length);
  });

  it("narrowed by the filter like logs", async () => {
    const range = {
      start: new Date(T0 - MINUTE).toISOString(),
      end: new Date(T0 + 30 * MINUTE).toISOString(),
    };
    const answer = await fixture.query<{ logHistogram: { total: number; buckets: { count: number }[] } }>(
      "admin",
      HISTOGRAM,
      { filter: { range, clusters: [clusterA], keywords: ["payment failed"] }, interval: "5m" },
    );
    expect(answer.errors).toBeUndefined();
    const expected = recent.filter((d) => d.cluster === clusterA && hasPhrase(d.log, "payment failed"));
    expect(answer.data!.logHistogram.total).toBe(expected.length);
    expect(answer.data!.logHistogram.buckets.reduce((s, b) => s + b.count, 0)).toBe(expected.length);
  });

  it("refuses a bad interval and more than 1,000 buckets with BAD_USER_INPUT", async () => {
    for (const interval of ["5x", "0m", "1.5m", "-1h", "1w"]) {
      const answer = await fixture.query("admin", HISTOGRAM, { interval });
      expect(codes(answer), interval).toEqual(["BAD_USER_INPUT"]);
    }
    const day = { start: new Date(T0 - 24 * 60 * MINUTE).toISOString(), end: new Date(T0).toISOString() };
    const tooMany = await fixture.query("admin", HISTOGRAM, { filter: { range: day }, interval: "1m" });
    expect(codes(tooMany)).toEqual(["BAD_USER_INPUT"]);
    expect(tooMany.errors![0]!.message).toMatch(/1,?000/);
    const enough = await fixture.query("admin", HISTOGRAM, { filter: { range: day }, interval: "2m" });
    expect(enough.errors).toBeUndefined();
  });
});

describe("Pod.logs, Workload.logs and LogEntry.pod", () => {
  it("Pod.logs reads the pod's lines from the store (AUTO with a store)", async () => {
    const pod = pods.find(
      (p) => p.cluster === clusterA && recent.filter((d) => d.pod === p.name).length >= 3,
    )!;
    const answer = await fixture.query<{ pod: { logs: EntryPage } }>(
      "admin",
      `query P($cluster: String!, $namespace: String!, $name: String!, $filter: ObjectLogFilter) {
        pod(cluster: $cluster, namespace: $namespace, name: $name) {
          logs(filter: $filter, first: 100, direction: OLDEST_FIRST) { ${PAGE_FIELDS} } } }`,
      { cluster: pod.cluster, namespace: pod.namespace, name: pod.name, filter: everything() },
    );
    expect(answer.errors).toBeUndefined();
    const logs = answer.data!.pod.logs;
    const expected = recent.filter(
      (d) => d.cluster === pod.cluster && d.namespace === pod.namespace && d.pod === pod.name,
    );
    expect(logs.edges.map((e) => normalised(e.node))).toEqual(inOrder(expected, "OLDEST_FIRST").map(entryOf));
    expect(logs.totalCount).toBe(expected.length);
    expect(logs.outcomes.map((o) => [o.clusterName, o.source, o.error])).toEqual([
      [pod.cluster, "LOG_STORE", null],
    ]);
  });

  it("Workload.logs: the lines of the pods its selector matches, the deleted pod's included", async () => {
    const w = workloadIds[0]!;
    const answer = await fixture.query<{ workload: { logs: EntryPage } }>(
      "admin",
      `query W($cluster: String!, $namespace: String!, $name: String!, $filter: ObjectLogFilter) {
        workload(cluster: $cluster, kind: DEPLOYMENT, namespace: $namespace, name: $name) {
          logs(filter: $filter, first: 100) { ${PAGE_FIELDS} } } }`,
      { cluster: w.cluster, namespace: w.namespace, name: w.name, filter: everything() },
    );
    expect(answer.errors).toBeUndefined();
    const expected = recent.filter(
      (d) => d.cluster === w.cluster && d.namespace === w.namespace && matches(d.labels!, w.selector),
    );
    expect(expected).toContain(gonePodDoc);
    const logs = answer.data!.workload.logs;
    expect(logs.edges.map((e) => normalised(e.node))).toEqual(inOrder(expected, "NEWEST_FIRST").map(entryOf));
    expect(logs.totalCount).toBe(expected.length);
  });

  it("LogEntry.pod resolves for a live pod and is null for a gone one", async () => {
    const answer = await fixture.query<{
      logs: {
        nodes: { podName: string; clusterName: string; pod: { name: string; clusterName: string } | null }[];
      };
    }>(
      "admin",
      `query L($filter: LogFilter) { logs(filter: $filter, first: 10) { nodes { podName clusterName pod { name clusterName } } } }`,
      { filter: { ...everything(), pods: [gonePodDoc.pod, pods[0]!.name] } },
    );
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.logs.nodes;
    const gone = nodes.filter((n) => n.podName === gonePodDoc.pod);
    const live = nodes.filter((n) => n.podName === pods[0]!.name);
    expect(gone.length).toBe(1);
    expect(live.length).toBeGreaterThan(0);
    for (const n of gone) expect(n.pod).toBeNull();
    for (const n of live) expect(n.pod).toEqual({ name: n.podName, clusterName: n.clusterName });
  });
});

describe("refused with BAD_USER_INPUT", () => {
  const day = 24 * 60 * MINUTE;
  it.each<[string, () => Record<string, unknown>]>([
    [
      "a range over 31 days",
      () => ({
        filter: { range: { start: new Date(T0 - 32 * day).toISOString(), end: new Date(T0).toISOString() } },
      }),
    ],
    [
      "a range starting after it ends",
      () => ({
        filter: { range: { start: new Date(T0).toISOString(), end: new Date(T0 - 1).toISOString() } },
      }),
    ],
    ["17 keywords", () => ({ filter: { keywords: Array.from({ length: 17 }, (_, i) => `k${i}`) } })],
    ["an invalid namespace name", () => ({ filter: { namespaces: ["Not_A_Namespace"] } })],
    ["an invalid pod name", () => ({ filter: { pods: ["bad pod"] } })],
    ["a garbage cursor", () => ({ after: "definitely-not-a-cursor" })],
    ["first over 1,000", () => ({ first: 1001 })],
  ])("%s", async (_what, variables) => {
    const answer = await fixture.query("admin", LOGS, variables());
    expect(codes(answer), JSON.stringify(answer.errors)).toEqual(["BAD_USER_INPUT"]);
    expect(answer.data?.logs ?? null).toBeNull();
  });

  it("31 days exactly and 16 keywords are accepted", async () => {
    const answer = await fixture.query("admin", LOGS, {
      filter: {
        range: { start: new Date(T0 - 31 * day).toISOString(), end: new Date(T0).toISOString() },
        keywords: Array.from({ length: 16 }, (_, i) => `k${i}`),
      },
    });
    expect(answer.errors).toBeUndefined();
  });

  it("a cursor from the other direction", async () => {
    const first = await fixture.query<{ logs: EntryPage }>("admin", LOGS, {
      filter: everything(),
      first: 2,
      direction: "OLDEST_FIRST",
    });
    const cursor = first.data!.logs.pageInfo.endCursor!;
    const same = await fixture.query("admin", LOGS, {
      filter: everything(),
      first: 2,
      after: cursor,
      direction: "OLDEST_FIRST",
    });
    expect(same.errors).toBeUndefined();
    const other = await fixture.query("admin", LOGS, {
      filter: everything(),
      first: 2,
      after: cursor,
      direction: "NEWEST_FIRST",
    });
    expect(codes(other)).toEqual(["BAD_USER_INPUT"]);
    expect(other.errors![0]!.message).toContain("OLDEST_FIRST");
  });
});
