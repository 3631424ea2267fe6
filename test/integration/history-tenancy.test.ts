/**
 * Event history and API-server audit stay inside each demo user's Scope (issue 12: "for each demo
 * user: no log line, event or audit entry from outside their Scope"), with authentication on, over
 * a simulated fleet whose shared log store is fed once, deterministically, after audit activity in
 * namespaces of every workspace. What each user may read is computed without the gateway, as
 * logs-tenancy.test.ts does: the gateway grant (DEMO_GRANTS) and `kubectl auth can-i list events`
 * (and `list nodes`) as the user. Ground truth: the store's documents, read with the official
 * client, and the simulated clusters' live Events. Each user's pages must hold exactly the expected
 * entries (safe and complete), each once, in order; the histogram must count them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { EVENTS } from "../../sim/controllers/resources.js";
import { eventually } from "../support/eventually.js";
import { DEMO_USERS } from "./auth-gateway-fixture.js";
import {
  eventTimeOf,
  startLogStoreGateway,
  storedAudit as auditDocsIn,
  walk,
  type AuditDoc,
  type LogStoreGateway,
} from "./log-store-fixture.js";
import {
  DEMO_GRANTS,
  kubectlCanI,
  namespacesReadable,
  type ClusterNamespace,
} from "./tenant-expectations.js";

type User = (typeof DEMO_USERS)[number];

const HISTORY = `query($filter: EventHistoryFilter, $first: Int, $after: String, $direction: LogDirection) {
  eventHistory(filter: $filter, first: $first, after: $after, direction: $direction) {
    edges { cursor node { time count clusterName namespace uid source } }
    pageInfo { hasNextPage endCursor }
    outcomes { clusterName error { code } }
  }
}`;

const AUDIT = `query($filter: AuditFilter, $first: Int, $after: String, $direction: LogDirection) {
  auditEvents(filter: $filter, first: $first, after: $after, direction: $direction) {
    edges { cursor node { time clusterName namespace auditId stage requestURI user } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const HISTOGRAM = `query($filter: EventHistoryFilter) {
  eventHistogram(filter: $filter, interval: "10m") { total buckets { time count } outcomes { error { code } } }
}`;

interface EventEntry {
  time: string;
  count: number;
  clusterName: string;
  namespace: string;
  uid: string;
  source: "CACHE" | "LOG_STORE";
}

interface AuditEntry {
  time: string;
  clusterName: string;
  namespace: string | null;
  auditId: string;
  stage: string;
  requestURI: string;
  user: string;
}

/**
 * One audit event: an auditID alone does not name one, since the gateway sends its request id
 * as Audit-ID with every call it makes for a request.
 */
const docKey = (d: AuditDoc) =>
  `${d.cluster}/${d.auditID}/${d.stage}/${d.requestURI}/${Date.parse(d.requestReceivedTimestamp)}`;
const entryKey = (e: AuditEntry) =>
  `${e.clusterName}/${e.auditId}/${e.stage}/${e.requestURI}/${Date.parse(e.time)}`;

/** One version of an event: a stored document or a live object. */
interface Version {
  cluster: string;
  uid: string;
  namespace: string;
  time: number;
  count: number;
  live: boolean;
}

/** What a user may read, per the grant and kubectl. */
interface Access {
  /** "cluster/namespace" where it may list events. */
  events: Set<string>;
  /** Clusters where it may list nodes. */
  nodes: Set<string>;
}

const AGENT = `history-tenancy-test/${Date.now().toString(36)}`;
/** Namespaces of each workspace (and one of none) where every user makes requests. */
const ACTIVITY_NAMESPACES = ["payments", "cart", "search", "auth", "monitoring", "batch-jobs"];

let gw: LogStoreGateway;
let range: { start: string; end: string };
/** "cluster/namespace" -> the namespace with its labels, as admin lists them. */
const namespaces = new Map<string, ClusterNamespace & { cluster: string }>();
const access = new Map<User, Access>();
/** The store's documents of the range, read once after the only feed. */
let storedEvents: Version[];
let storedAudit: AuditDoc[];

beforeAll(async () => {
  gw = await startLogStoreGateway("history-tenancy", {}, DEMO_USERS);
  const now = Date.now();
  range = { start: new Date(now - 2 * 3600_000).toISOString(), end: new Date(now + 3600_000).toISOString() };
  const listed = await gw.query<{
    namespaces: { nodes: { name: string; clusterName: string; labels: { key: string; value: string }[] }[] };
  }>("admin", `{ namespaces(first: 500) { nodes { name clusterName labels { key value } } } }`);
  expect(listed.errors).toBeUndefined();
  for (const n of listed.data!.namespaces.nodes)
    namespaces.set(`${n.clusterName}/${n.name}`, {
      name: n.name,
      cluster: n.clusterName,
      labels: Object.fromEntries(n.labels.map((l) => [l.key, l.value])),
    });
  for (const user of DEMO_USERS) access.set(user, await accessOf(user));
  await makeActivity();
  const marked = await writeEvents(now - 10 * 60_000);
  // The only feed after the start: the store does not change under the comparisons.
  gw.sim.feedLogs();
  await afterFeed(marked, now - 10 * 60_000);
  storedEvents = await readStoredEvents();
  storedAudit = await auditDocsIn(gw.store, range);
}, 120_000);

afterAll(async () => {
  await gw?.stop();
});

/** The gateway grant and the cluster's RBAC both, by kubectl auth can-i as the user. */
async function accessOf(user: User): Promise<Access> {
  const who = { user, groups: gw.sim.user(user).groups };
  const { kubeconfigPath } = gw.sim;
  const events = await namespacesReadable(kubeconfigPath, user, who, namespaces.values(), "Event", "events");
  const nodes = new Set<string>();
  for (const cluster of gw.sim.clusters.map((c) => c.name))
    if (
      DEMO_GRANTS[user]!("Node", undefined) &&
      (await kubectlCanI(kubeconfigPath, cluster, who, "list", "nodes"))
    )
      nodes.add(cluster);
  return { events, nodes };
}

/**
 * Audit activity in namespaces of every workspace, by every user: straight to each simulated API
 * server with the user's token (allowed or refused, both audited in the namespace), and through
 * the gateway's `resources` (impersonated by the gateway's identity), plus a cluster-wide request.
 */
async function makeActivity(): Promise<void> {
  const direct = async (cluster: string, user: User, path: string) => {
    const response = await fetch(`${gw.sim.cluster(cluster).url}${path}`, {
      headers: { authorization: `Bearer ${gw.sim.user(user).token}`, "user-agent": AGENT },
    });
    await response.arrayBuffer();
  };
  const RESOURCES = `query($cluster: String!, $namespace: String!) {
    resources(cluster: $cluster, apiVersion: "v1", kind: "ConfigMap", namespace: $namespace, first: 2) { nodes }
  }`;
  for (const cluster of gw.sim.clusters.map((c) => c.name))
    for (const user of DEMO_USERS) {
      await Promise.all([
        ...ACTIVITY_NAMESPACES.map((ns) => direct(cluster, user, `/api/v1/namespaces/${ns}/configmaps`)),
        direct(cluster, user, "/api/v1/nodes"),
      ]);
      // Refusals are answered as errors, the requests still audited where they reached the cluster.
      await Promise.all(
        ACTIVITY_NAMESPACES.map((namespace) => gw.query(user, RESOURCES, { cluster, namespace })),
      );
    }
}

// ---- events of several versions -------------------------------------------------------------

const MARK = `histten${Date.now().toString(36)}`;
/** One namespace of each workspace. */
const EVENT_NAMESPACES = ["payments", "search", "auth", "monitoring"];

async function api(cluster: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${gw.sim.cluster(cluster).url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${gw.sim.user("admin").token}`,
      "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json",
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
}

const second = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();

/**
 * In one namespace of each workspace of each cluster, before the feed: an event updated twice
 * (three stored versions, the cache to move past them after the feed) and one updated once (to be
 * deleted after the feed: the store's newest version only). Returns the "cluster/namespace/name"s.
 */
async function writeEvents(t0: number): Promise<string[][]> {
  const made: string[][] = [];
  for (const cluster of gw.sim.clusters.map((c) => c.name))
    for (const ns of EVENT_NAMESPACES) {
      const base = `/api/v1/namespaces/${ns}/events`;
      const event = (name: string, at: number) => ({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace: ns },
        involvedObject: { kind: "Pod", namespace: ns, name: `${name}-pod` },
        reason: "HistoryTenancy",
        message: `history tenancy ${name}`,
        type: "Warning",
        count: 1,
        firstTimestamp: second(at),
        lastTimestamp: second(at),
        source: { component: "history-tenancy-test" },
      });
      const [agg, gone] = [`${MARK}-agg-${ns}`, `${MARK}-gone-${ns}`];
      await api(cluster, "POST", base, event(agg, t0));
      await api(cluster, "POST", base, event(gone, t0 + 500));
      await api(cluster, "PATCH", `${base}/${agg}`, { count: 2, lastTimestamp: second(t0 + 1000) });
      await api(cluster, "PATCH", `${base}/${gone}`, { count: 2, lastTimestamp: second(t0 + 1500) });
      await api(cluster, "PATCH", `${base}/${agg}`, { count: 3, lastTimestamp: second(t0 + 2000) });
      made.push([cluster, ns, agg, gone]);
    }
  return made;
}

/** After the feed: the aggregated events move on in the cache only, the others are forgotten. */
async function afterFeed(made: string[][], t0: number): Promise<void> {
  for (const [cluster, ns, agg, gone] of made) {
    const base = `/api/v1/namespaces/${ns!}/events`;
    await api(cluster!, "PATCH", `${base}/${agg!}`, { count: 4, lastTimestamp: second(t0 + 3000) });
    await api(cluster!, "DELETE", `${base}/${gone!}`);
  }
}

// ---- ground truth -----------------------------------------------------------------------------

function versionOf(cluster: string, o: Record<string, unknown>, live: boolean): Version {
  const meta = o.metadata as { uid: string; namespace?: string };
  return {
    cluster,
    uid: meta.uid,
    namespace: meta.namespace ?? "",
    time: eventTimeOf(o),
    count: typeof o.count === "number" ? o.count : 1,
    live,
  };
}

/** Every stored event version in the range, oldest first (ties in the order written). */
async function readStoredEvents(): Promise<Version[]> {
  const answer = await gw.store.search<Record<string, unknown>>({
    index: "ks-logstash-events-*",
    size: 10_000,
    track_total_hits: true,
    query: { range: { lastTimestamp: { gte: range.start, lte: range.end } } },
    sort: [{ lastTimestamp: { order: "asc" } }, { _index: { order: "asc" } }, { _doc: { order: "asc" } }],
  });
  expect((answer.hits.total as { value: number }).value).toBeLessThan(10_000);
  return answer.hits.hits.map((h) => versionOf(h._source!.cluster as string, h._source!, false));
}

function liveVersions(): Version[] {
  const [start, end] = [Date.parse(range.start), Date.parse(range.end)];
  return gw.sim.clusters
    .flatMap((c) => c.store.all(EVENTS).map((o: KubeObject) => versionOf(c.name, o, true)))
    .filter((v) => v.time >= start && v.time <= end);
}

const canReadEvents = (user: User, cluster: string, namespace: string) =>
  access.get(user)!.events.has(`${cluster}/${namespace}`);

/** Whether `user` reads every namespace's events in `cluster` (as kubectl and the grant say). */
function everyNamespace(user: User, cluster: string): boolean {
  const inCluster = [...namespaces.values()].filter((n) => n.cluster === cluster);
  return inCluster.length > 0 && inCluster.every((n) => canReadEvents(user, cluster, n.name));
}

/** The events `user` must see: per cluster+uid, its newest version, where it may read events. */
function expectedEvents(user: User): Map<string, Version> {
  const newest = new Map<string, Version>();
  for (const v of [...storedEvents, ...liveVersions()]) {
    if (!canReadEvents(user, v.cluster, v.namespace)) continue;
    const key = `${v.cluster}/${v.uid}`;
    const seen = newest.get(key);
    // Stored versions come oldest first, the live one last: it wins unless a stored one is newer.
    if (!seen || v.time >= seen.time) newest.set(key, v);
  }
  return newest;
}

/**
 * The audit entries `user` must see: "who may see the activity in a namespace = who may read its
 * events"; an entry without a namespace only with every namespace's events and the nodes.
 */
function expectedAudit(user: User): Map<string, AuditDoc> {
  const visible = (d: AuditDoc) => {
    const namespace = d.objectRef?.namespace ?? "";
    if (namespace === "") return everyNamespace(user, d.cluster) && access.get(user)!.nodes.has(d.cluster);
    return everyNamespace(user, d.cluster) || canReadEvents(user, d.cluster, namespace);
  };
  return new Map(storedAudit.filter(visible).map((d) => [docKey(d), d]));
}

function checkOrder(times: string[], direction: "NEWEST_FIRST" | "OLDEST_FIRST"): void {
  for (let i = 1; i < times.length; i++) {
    const [a, b] = [Date.parse(times[i - 1]!), Date.parse(times[i]!)];
    if (direction === "NEWEST_FIRST") expect(a, `entry ${i}`).toBeGreaterThanOrEqual(b);
    else expect(a, `entry ${i}`).toBeLessThanOrEqual(b);
  }
}

// ---- tests --------------------------------------------------------------------------------------

describe("the premise", () => {
  it("the store holds events and audit activity of namespaces in several workspaces", () => {
    const workspaceOf = (cluster: string, namespace: string) =>
      namespaces.get(`${cluster}/${namespace}`)?.labels["kubesphere.io/workspace"];
    const audited = new Set(
      storedAudit
        .filter((d) => d.objectRef?.namespace)
        .map((d) => workspaceOf(d.cluster, d.objectRef!.namespace!))
        .filter((w) => w !== undefined),
    );
    expect([...audited].sort()).toEqual(expect.arrayContaining(["data", "identity", "platform", "retail"]));
    expect(storedAudit.some((d) => !d.objectRef?.namespace)).toBe(true);
    // Made by every user, straight and (but for mallory, refused by the gateway) impersonated.
    const namespaced = storedAudit.filter((d) => d.objectRef?.namespace);
    for (const user of DEMO_USERS) {
      expect(namespaced.some((d) => !d.impersonatedUser && d.user.username === user)).toBe(true);
      if (user !== "mallory")
        expect(namespaced.some((d) => d.impersonatedUser?.username === user)).toBe(true);
    }
    const evented = new Set(storedEvents.map((v) => workspaceOf(v.cluster, v.namespace)));
    expect(evented.size).toBeGreaterThan(2);
    // Events of several versions in every workspace: newer in the cache, or only in the store.
    const all = expectedEvents("admin");
    const mine = [...all.values()].filter((v) =>
      storedEvents.some((s) => s.uid === v.uid && s.count < v.count),
    );
    const live = mine.filter((v) => v.live);
    const gone = mine.filter((v) => !v.live);
    expect(live.map((v) => v.count)).toEqual(Array(EVENT_NAMESPACES.length * 2).fill(4));
    expect(gone.map((v) => v.count)).toEqual(Array(EVENT_NAMESPACES.length * 2).fill(2));
    expect(new Set(mine.map((v) => workspaceOf(v.cluster, v.namespace))).size).toBe(4);
    // The users differ: bob and alice some namespaces, carol every namespace but no nodes.
    for (const cluster of gw.sim.clusters.map((c) => c.name)) {
      expect(everyNamespace("admin", cluster) && access.get("admin")!.nodes.has(cluster)).toBe(true);
      expect(everyNamespace("carol", cluster)).toBe(true);
      expect(access.get("carol")!.nodes.has(cluster)).toBe(false);
      for (const user of ["alice", "bob"] as const) expect(everyNamespace(user, cluster)).toBe(false);
    }
    expect(access.get("mallory")!.events.size).toBe(0);
  });
});

describe.each(DEMO_USERS)("%s", (user) => {
  it("eventHistory pages through exactly the events of the namespaces where it may read events", async () => {
    await eventually(
      async () => {
        const want = expectedEvents(user);
        const all = expectedEvents("admin");
        if (user === "mallory") expect(want.size).toBe(0);
        if (user === "admin" || user === "carol") expect(want.size).toBe(all.size);
        if (user === "alice" || user === "bob") {
          expect(want.size).toBeGreaterThan(0);
          expect(want.size).toBeLessThan(all.size);
        }
        for (const [direction, first] of [
          ["NEWEST_FIRST", 9],
          ["OLDEST_FIRST", 13],
        ] as const) {
          const { nodes, pages } = await walk<EventEntry>(
            gw,
            user,
            HISTORY,
            "eventHistory",
            { filter: { range }, direction },
            first,
          );
          if (want.size > 2 * first) expect(pages).toBeGreaterThan(2);
          // Safe: every entry in a namespace where the user may read events ...
          for (const e of nodes)
            expect(canReadEvents(user, e.clusterName, e.namespace), `${e.clusterName}/${e.namespace}`).toBe(
              true,
            );
          // ... complete and each once ...
          const keys = nodes.map((e) => `${e.clusterName}/${e.uid}`);
          expect(new Set(keys).size).toBe(keys.length);
          expect([...keys].sort()).toEqual([...want.keys()].sort());
          // ... at its newest version, in order.
          checkOrder(
            nodes.map((e) => e.time),
            direction,
          );
          for (const e of nodes) {
            const v = want.get(`${e.clusterName}/${e.uid}`)!;
            expect({ time: Date.parse(e.time), count: e.count, source: e.source }).toEqual({
              time: v.time,
              count: v.count,
              source: v.live ? "CACHE" : "LOG_STORE",
            });
          }
        }
        return true;
      },
      10_000,
      500,
    );
  });

  it("eventHistory for every namespace by name adds nothing out of reach", async () => {
    const names = [...new Set([...namespaces.values()].map((n) => n.name))];
    const { nodes } = await walk<EventEntry>(
      gw,
      user,
      HISTORY,
      "eventHistory",
      { filter: { range, namespaces: names } },
      500,
    );
    expect(nodes.map((e) => `${e.clusterName}/${e.uid}`).sort()).toEqual(
      [...expectedEvents(user).keys()].sort(),
    );
  });

  it("eventHistogram counts exactly the stored versions of its namespaces", async () => {
    const stored = storedEvents.filter((v) => canReadEvents(user, v.cluster, v.namespace));
    if (user === "mallory") expect(stored).toEqual([]);
    else expect(stored.length).toBeGreaterThan(0);
    const answer = await gw.query<{
      eventHistogram: { total: number; buckets: { time: string; count: number }[] };
    }>(user, HISTOGRAM, { filter: { range } });
    expect(answer.errors).toBeUndefined();
    const { total, buckets } = answer.data!.eventHistogram;
    expect(total).toBe(stored.length);
    expect(buckets.reduce((s, b) => s + b.count, 0)).toBe(stored.length);
    for (const b of buckets) {
      const start = Date.parse(b.time);
      expect(b.count, b.time).toBe(stored.filter((v) => v.time >= start && v.time < start + 600_000).length);
    }
  });

  it("auditEvents pages through exactly the activity it may see", async () => {
    const want = expectedAudit(user);
    const withoutNamespace = [...want.values()].filter((d) => !d.objectRef?.namespace).length;
    if (user === "mallory") expect(want.size).toBe(0);
    if (user === "admin") expect(want.size).toBe(storedAudit.length);
    if (user === "admin") expect(withoutNamespace).toBeGreaterThan(0);
    else expect(withoutNamespace).toBe(0);
    if (user === "alice" || user === "bob" || user === "carol") {
      expect(want.size).toBeGreaterThan(0);
      expect(want.size).toBeLessThan(storedAudit.length);
    }
    for (const [direction, first] of [
      ["NEWEST_FIRST", 7],
      ["OLDEST_FIRST", 11],
    ] as const) {
      const { nodes, pages } = await walk<AuditEntry>(
        gw,
        user,
        AUDIT,
        "auditEvents",
        { filter: { range }, direction },
        first,
      );
      if (want.size > 2 * first) expect(pages).toBeGreaterThan(2);
      // Safe ...
      for (const e of nodes) {
        const where = `${e.clusterName}/${e.namespace ?? ""}`;
        if (e.namespace === null)
          expect(
            everyNamespace(user, e.clusterName) && access.get(user)!.nodes.has(e.clusterName),
            where,
          ).toBe(true);
        else
          expect(
            everyNamespace(user, e.clusterName) || canReadEvents(user, e.clusterName, e.namespace),
            where,
          ).toBe(true);
      }
      // ... complete, each once, in order.
      const keys = nodes.map(entryKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual([...want.keys()].sort());
      checkOrder(
        nodes.map((e) => e.time),
        direction,
      );
      for (const e of nodes)
        expect(Date.parse(e.time)).toBe(Date.parse(want.get(entryKey(e))!.requestReceivedTimestamp));
    }
  });
});
