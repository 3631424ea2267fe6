/**
 * eventHistory and eventHistogram over HTTP, as real demo users, against a gateway whose
 * `logs.elasticsearch` is the simulated fleet's log store (fed with every version of every Event
 * the clusters hold, only when a test calls feedLogs). Ground truth: the store's documents (read
 * with the official client) and the simulated clusters' live Events, merged as the API promises —
 * each event once, at its newest version — and narrowed by the filter and the user's namespaces.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { EVENTS } from "../../sim/controllers/resources.js";
import { NAMESPACES } from "../../sim/generator/catalog.js";
import { eventually } from "../support/eventually.js";
import { eventTimeOf, startLogStoreGateway, walk, type LogStoreGateway } from "./log-store-fixture.js";

const HISTORY = `query($filter: EventHistoryFilter, $first: Int, $after: String, $direction: LogDirection) {
  eventHistory(filter: $filter, first: $first, after: $after, direction: $direction) {
    edges { cursor node {
      time firstTimestamp count type reason message clusterName namespace name uid source sourceComponent
      involvedObject { kind name namespaceName uid object { __typename } }
      cluster { name }
    } }
    pageInfo { hasNextPage endCursor }
    outcomes { clusterName source error { code } }
  }
}`;

interface Entry {
  time: string;
  count: number;
  type: string;
  reason: string;
  message: string;
  clusterName: string;
  namespace: string;
  name: string;
  uid: string;
  source: "CACHE" | "LOG_STORE";
  sourceComponent: string | null;
  involvedObject: {
    kind: string;
    name: string;
    namespaceName: string;
    object: { __typename: string } | null;
  };
  cluster: { name: string };
}

/** One version of an event: a stored document or a live object. */
interface Version {
  cluster: string;
  uid: string;
  namespace: string;
  time: number;
  count: number;
  type: string;
  reason: string;
  message: string;
  involvedKind: string;
  involvedName: string;
  live: boolean;
}

const BOB = ["search", "analytics"];
const RETAIL = NAMESPACES.filter((n) => n.workspace === "retail").map((n) => n.name);
const MARK = `hist${Date.now().toString(36)}`;

let gw: LogStoreGateway;
let range: { start: string; end: string };
let east: string;
let west: string;

beforeAll(async () => {
  gw = await startLogStoreGateway("event-history");
  [east, west] = gw.sim.clusters.map((c) => c.name) as [string, string];
  const now = Date.now();
  range = { start: new Date(now - 2 * 3600_000).toISOString(), end: new Date(now + 3600_000).toISOString() };
}, 120_000);

afterAll(async () => {
  await gw?.stop();
});

// ---- ground truth -----------------------------------------------------------------------------

function versionOf(cluster: string, o: Record<string, unknown>, live: boolean): Version {
  const meta = o.metadata as { uid: string; namespace?: string };
  const involved = (o.involvedObject ?? {}) as { kind?: string; name?: string };
  return {
    cluster,
    uid: meta.uid,
    namespace: meta.namespace ?? "",
    time: eventTimeOf(o),
    count: typeof o.count === "number" ? o.count : 1,
    type: (o.type as string) ?? "Normal",
    reason: (o.reason as string) ?? "",
    message: (o.message as string) ?? "",
    involvedKind: involved.kind ?? "",
    involvedName: involved.name ?? "",
    live,
  };
}

/** Every stored version in the range, in the store's NEWEST_FIRST order reversed (oldest first). */
async function storedVersions(): Promise<Version[]> {
  const answer = await gw.store.search<Record<string, unknown>>({
    index: "ks-logstash-events-*",
    size: 10_000,
    track_total_hits: true,
    query: { range: { lastTimestamp: { gte: range.start, lte: range.end } } },
    sort: [{ lastTimestamp: { order: "asc" } }, { _index: { order: "asc" } }, { _doc: { order: "asc" } }],
  });
  const total = answer.hits.total as { value: number };
  expect(total.value).toBeLessThan(10_000);
  return answer.hits.hits.map((h) => versionOf(h._source!.cluster as string, h._source!, false));
}

function liveVersions(): Version[] {
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  return gw.sim.clusters
    .flatMap((c) => c.store.all(EVENTS).map((o: KubeObject) => versionOf(c.name, o, true)))
    .filter((v) => v.time >= start && v.time <= end);
}

/** What eventHistory must list: per event, its newest matching version (the live one when current). */
async function expected(match: (v: Version) => boolean): Promise<Map<string, Version>> {
  const newest = new Map<string, Version>();
  for (const v of [...(await storedVersions()), ...liveVersions()].filter(match)) {
    const key = `${v.cluster}/${v.uid}`;
    const seen = newest.get(key);
    // Stored versions arrive oldest first; the live one last, winning unless a stored one is newer.
    if (!seen || v.time >= seen.time) newest.set(key, v);
  }
  return newest;
}

async function history(
  user: string,
  filter: Record<string, unknown>,
  direction = "NEWEST_FIRST",
  first = 40,
) {
  return walk<Entry>(gw, user, HISTORY, "eventHistory", { filter: { range, ...filter }, direction }, first);
}

/** Each entry once, in order, exactly the expected events with their newest counts. */
function checkAgainst(entries: Entry[], want: Map<string, Version>, direction = "NEWEST_FIRST"): void {
  const keys = entries.map((e) => `${e.clusterName}/${e.uid}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect([...keys].sort()).toEqual([...want.keys()].sort());
  for (let i = 1; i < entries.length; i++) {
    const [a, b] = [Date.parse(entries[i - 1]!.time), Date.parse(entries[i]!.time)];
    if (direction === "NEWEST_FIRST") expect(a).toBeGreaterThanOrEqual(b);
    else expect(a).toBeLessThanOrEqual(b);
  }
  for (const e of entries) {
    const v = want.get(`${e.clusterName}/${e.uid}`)!;
    expect({ count: e.count, time: Date.parse(e.time), source: e.source }).toEqual({
      count: v.count,
      time: v.time,
      source: v.live ? "CACHE" : "LOG_STORE",
    });
  }
}

// ---- the simulated API server, as admin --------------------------------------------------------

async function api(
  cluster: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
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
  return JSON.parse(text) as Record<string, unknown>;
}

const second = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();

async function createEvent(cluster: string, namespace: string, name: string, at: number, extra: object = {}) {
  return api(cluster, "POST", `/api/v1/namespaces/${namespace}/events`, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace },
    involvedObject: { kind: "Pod", namespace, name: `${name}-pod` },
    reason: "HistoryTestBackOff",
    message: `Back-off restarting failed container: disk pressure on volume ${name}`,
    type: "Warning",
    count: 1,
    firstTimestamp: second(at),
    lastTimestamp: second(at),
    source: { component: "history-test" },
    ...extra,
  });
}

async function bump(cluster: string, namespace: string, name: string, count: number, at: number) {
  await api(cluster, "PATCH", `/api/v1/namespaces/${namespace}/events/${name}`, {
    count,
    lastTimestamp: second(at),
  });
}

async function storedCopies(uid: string): Promise<number> {
  const answer = await gw.store.count({
    index: "ks-logstash-events-*",
    query: { term: { "metadata.uid.keyword": uid } },
  });
  return answer.count;
}

async function only(user: string, name: string): Promise<Entry[]> {
  return (await history(user, { involvedNames: [`${name}-pod`] })).nodes;
}

// ---- tests --------------------------------------------------------------------------------------

describe("eventHistory", () => {
  it("lists every event once, at its newest version, in order, paging through the whole history both ways", async () => {
    gw.sim.feedLogs();
    await eventually(
      async () => {
        const want = await expected(() => true);
        expect(want.size).toBeGreaterThan(20);
        const newest = await history("admin", {}, "NEWEST_FIRST", 25);
        expect(newest.pages).toBeGreaterThan(1);
        checkAgainst(newest.nodes, want);
        const oldest = await history("admin", {}, "OLDEST_FIRST", 33);
        checkAgainst(oldest.nodes, want, "OLDEST_FIRST");
        return true;
      },
      20_000,
      500,
    );
  });

  it("shows an event updated several times once: the cache's current version, then (forgotten) the store's newest", async () => {
    const name = `${MARK}-agg`;
    const t0 = Date.now() - 60_000;
    const created = await createEvent(east, "search", name, t0);
    const uid = (created.metadata as { uid: string }).uid;
    gw.sim.feedLogs();
    await bump(east, "search", name, 2, t0 + 1000);
    gw.sim.feedLogs();
    await bump(east, "search", name, 3, t0 + 1000); // the same second: a tie in the store
    gw.sim.feedLogs();
    await bump(east, "search", name, 4, t0 + 2000); // not fed: only the cache has it
    expect(await storedCopies(uid)).toBe(3);

    const live = await eventually(async () => {
      const entries = await only("admin", name);
      return entries.length === 1 && entries[0]!.count === 4 ? entries : undefined;
    });
    expect(live[0]).toMatchObject({ source: "CACHE", uid, namespace: "search", type: "WARNING" });

    gw.sim.feedLogs();
    expect(await storedCopies(uid)).toBe(4);
    expect(await only("admin", name)).toMatchObject([{ count: 4, source: "CACHE" }]);

    await api(east, "DELETE", `/api/v1/namespaces/search/events/${name}`);
    const forgotten = await eventually(async () => {
      const entries = await only("admin", name);
      return entries.length === 1 && entries[0]!.source === "LOG_STORE" ? entries : undefined;
    });
    expect(forgotten[0]).toMatchObject({ count: 4, uid });
    expect(Date.parse(forgotten[0]!.time)).toBe(Date.parse(second(t0 + 2000)));
  });

  it("resolves ties in the store to the version written last (two updates within one second)", async () => {
    const name = `${MARK}-tie`;
    const t0 = Date.now() - 50_000;
    const created = await createEvent(west, "analytics", name, t0);
    const uid = (created.metadata as { uid: string }).uid;
    gw.sim.feedLogs();
    await bump(west, "analytics", name, 2, t0 + 1000);
    gw.sim.feedLogs();
    await bump(west, "analytics", name, 3, t0 + 1000);
    gw.sim.feedLogs();
    await api(west, "DELETE", `/api/v1/namespaces/analytics/events/${name}`);
    expect(await storedCopies(uid)).toBe(3);
    const entries = await eventually(async () => {
      const found = await only("admin", name);
      return found.length === 1 && found[0]!.source === "LOG_STORE" ? found : undefined;
    });
    expect(entries[0]!.count).toBe(3);
  });

  it("includes a live event the store has not received yet", async () => {
    const name = `${MARK}-new`;
    const created = await createEvent(east, "analytics", name, Date.now() - 5000);
    const uid = (created.metadata as { uid: string }).uid;
    const entries = await eventually(async () => {
      const found = await only("admin", name);
      return found.length === 1 ? found : undefined;
    });
    expect(entries[0]).toMatchObject({ uid, source: "CACHE", count: 1, sourceComponent: "history-test" });
    expect(await storedCopies(uid)).toBe(0);
  });

  describe("filters", () => {
    const cases: [string, Record<string, unknown>, (v: Version) => boolean][] = [
      ["namespaces", { namespaces: ["search"] }, (v) => v.namespace === "search"],
      ["workspaces", { workspaces: ["retail"] }, (v) => RETAIL.includes(v.namespace)],
      ["clusters", { clusters: ["<west>"] }, (v) => v.cluster === west],
      [
        "involvedKinds",
        { involvedKinds: ["ReplicaSet", "Deployment"] },
        (v) => ["ReplicaSet", "Deployment"].includes(v.involvedKind),
      ],
      [
        "reasons",
        { reasons: ["Scheduled", "HistoryTestBackOff"] },
        (v) => ["Scheduled", "HistoryTestBackOff"].includes(v.reason),
      ],
      ["types", { types: ["WARNING"] }, (v) => v.type === "Warning"],
      ["keywords", { keywords: ["DISK pressure"] }, (v) => /disk pressure/i.test(v.message)],
      ["an empty list", { reasons: [] }, () => false],
    ];
    for (const [what, filter, match] of cases)
      it(`narrows by ${what}, as the store and the clusters hold them`, async () => {
        await createEvent(
          west,
          "search",
          `${MARK}-f-${what.replace(/\W/g, "").toLowerCase()}`,
          Date.now() - 3000,
        );
        gw.sim.feedLogs();
        const asked = JSON.parse(JSON.stringify(filter).replace("<west>", west)) as Record<string, unknown>;
        await eventually(
          async () => {
            const want = await expected(match);
            if (what !== "an empty list") expect(want.size).toBeGreaterThan(0);
            checkAgainst((await history("admin", asked)).nodes, want);
            return true;
          },
          15_000,
          300,
        );
      });

    it("narrows by a cluster selector", async () => {
      const labels = gw.sim.cluster(east).labels;
      const key = Object.keys(labels).find((k) => gw.sim.cluster(west).labels[k] !== labels[k])!;
      expect(key).toBeDefined();
      const entries = (await history("admin", { clusterSelector: `${key}=${labels[key]}` })).nodes;
      expect(entries.length).toBeGreaterThan(0);
      expect(new Set(entries.map((e) => e.clusterName))).toEqual(new Set([east]));
    });

    it("refuses a value that is not a kind, naming the argument", async () => {
      const answer = await gw.query("admin", HISTORY, { filter: { involvedKinds: ['Pod" OR *'] } });
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        argument: "filter.involvedKinds",
      });
    });
  });

  it("shows each user only the events of namespaces where they may read events", async () => {
    gw.sim.feedLogs();
    await eventually(
      async () => {
        const bob = (await history("bob", {})).nodes;
        expect(bob.length).toBeGreaterThan(0);
        expect(new Set(bob.map((e) => e.namespace))).toEqual(new Set(BOB));
        checkAgainst(bob, await expected((v) => BOB.includes(v.namespace)));
        const carol = (await history("carol", {})).nodes;
        checkAgainst(carol, await expected(() => true));
        expect(carol.length).toBeGreaterThan(bob.length);
        return true;
      },
      20_000,
      500,
    );
  });

  it("resolves the involved object where it is cached and in scope, and names the cluster", async () => {
    const entries = (await history("admin", { involvedKinds: ["Pod"], reasons: ["Scheduled"] })).nodes;
    expect(entries.length).toBeGreaterThan(0);
    const resolved = entries.filter((e) => e.involvedObject.object !== null);
    expect(resolved.length).toBeGreaterThan(0);
    for (const e of resolved) expect(e.involvedObject.object!.__typename).toBe("Pod");
    for (const e of entries) expect(e.cluster.name).toBe(e.clusterName);
  });
});

describe("eventHistogram", () => {
  it("counts the stored versions per interval, within the user's namespaces", async () => {
    gw.sim.feedLogs();
    const HISTOGRAM = `query($filter: EventHistoryFilter) {
      eventHistogram(filter: $filter, interval: "10m") { interval total buckets { time count } outcomes { clusterName error { code } } }
    }`;
    const stored = (await storedVersions()).filter((v) => BOB.includes(v.namespace));
    const answer = await gw.query<{
      eventHistogram: { interval: string; total: number; buckets: { time: string; count: number }[] };
    }>("bob", HISTOGRAM, { filter: { range } });
    expect(answer.errors).toBeUndefined();
    const h = answer.data!.eventHistogram;
    expect(h.interval).toBe("10m");
    expect(h.total).toBe(stored.length);
    expect(h.buckets.reduce((s, b) => s + b.count, 0)).toBe(stored.length);
    for (const b of h.buckets) {
      const start = Date.parse(b.time);
      expect(b.count).toBe(stored.filter((v) => v.time >= start && v.time < start + 600_000).length);
    }
  });
});
