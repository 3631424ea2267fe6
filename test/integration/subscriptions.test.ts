/**
 * Subscriptions over graphql-ws against a churning simulated fleet, with the real graphql-ws
 * client. Ground truth is each simulated API server's own change stream (its store's events):
 * what a subscriber receives must be exactly those changes, once each, in order per object.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { RESOURCE_KINDS } from "../../sim/kinds.js";
import { eventually } from "../support/eventually.js";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

const POD_KIND = RESOURCE_KINDS.find((k) => k.kind === "Pod")!;

interface PodChange {
  type: string;
  id: string | null;
  cluster: string | null;
  cursor: string;
  object: { name: string; namespaceName: string; resourceVersion: string } | null;
}

const POD_CHANGES = `subscription ($filter: PodFilter, $after: String, $sendInitial: Boolean) {
  podChanges(filter: $filter, after: $after, sendInitial: $sendInitial) {
    type id cluster cursor object { name namespaceName resourceVersion }
  }
}`;

/** A change as the API server saw it: cluster, pod uid, and the resourceVersion it made. */
interface TruthEvent {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  type: string;
  revision: number;
}

let sim: SimFleet;
let gateway: Gateway;
const truth: TruthEvent[] = [];

beforeAll(async () => {
  sim = await startSimFleet("subscriptions", { clusters: 2, nodes: 2, pods: 60 });
  for (const cluster of sim.clusters) {
    cluster.store.onChange((e) => {
      if (e.resource.kind !== "Pod") return;
      truth.push({
        cluster: cluster.name,
        namespace: e.object.metadata.namespace ?? "",
        name: e.object.metadata.name ?? "",
        uid: e.object.metadata.uid ?? "",
        type: e.type,
        revision: e.revision,
      });
    });
  }
  gateway = await startTestGateway(fleetConfig(sim), {
    limits: { maxDepth: 6 },
  });
  const synced = await gateway.fleetCache.whenSynced(30_000);
  expect(synced.complete).toBe(true);
}, 120_000);

afterAll(async () => {
  sim?.churn.setRate(0);
  await gateway?.stop();
  await sim?.stop();
});

/** The resourceVersions each object went through, per "cluster/uid", from `events`. */
function sequences(events: { key: string; revision: number }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const { key, revision } of events) {
    const list = out.get(key) ?? [];
    list.push(revision);
    out.set(key, list);
  }
  return out;
}

function uidOf(id: string): string {
  // Global ids are opaque: compare by (cluster, name) through the object instead where needed.
  return id;
}

async function busiestNamespace(): Promise<string> {
  const answer = await graphql<{ namespaces: { nodes: { name: string; pods: { totalCount: number } }[] } }>(
    gateway.url,
    `
      {
        namespaces(first: 100) {
          nodes {
            name
            pods(first: 1) {
              totalCount
            }
          }
        }
      }
    `,
  );
  const nodes = answer.data!.namespaces.nodes.filter((n) => !n.name.startsWith("kube-"));
  nodes.sort((a, b) => b.pods.totalCount - a.pods.totalCount);
  return nodes[0]!.name;
}

describe("podChanges", () => {
  let namespace: string;

  beforeAll(async () => {
    namespace = await busiestNamespace();
  });

  it("after a list's watchCursor delivers exactly the changes since the list, once each, in order", async () => {
    const list = await graphql<{ pods: { watchCursor: string; totalCount: number } }>(
      gateway.url,
      `
        query ($ns: [String!]) {
          pods(first: 1, filter: { namespaces: $ns }) {
            totalCount
            watchCursor
          }
        }
      `,
      { ns: [namespace] },
    );
    expect(list.errors).toBeUndefined();
    const cursor = list.data!.pods.watchCursor;
    expect(cursor).toMatch(/^wc1:/);
    const since = JSON.parse(Buffer.from(cursor.slice(4), "base64url").toString()) as Record<
      string,
      { Pod: string }
    >;
    const subscriber = subscribe<{ podChanges: PodChange }>({
      url: gateway.url,
      query: POD_CHANGES,
      variables: { filter: { namespaces: [namespace] }, after: cursor },
    });
    try {
      sim.churn.setRate(40);
      await new Promise((r) => setTimeout(r, 3000));
      sim.churn.setRate(0);
      const expected = truth.filter(
        (t) => t.namespace === namespace && t.revision > Number(since[t.cluster]!.Pod),
      );
      expect(expected.length).toBeGreaterThan(0);
      const last = expected[expected.length - 1]!;
      // Everything the API servers did has reached the subscriber (the last change included).
      await subscriber.until(
        (events) =>
          events.filter((e) => e.data?.podChanges.type !== "SYNCED").length >= expected.length &&
          events.some(
            (e) =>
              e.data?.podChanges.cluster === last.cluster &&
              (e.data.podChanges.object?.resourceVersion === String(last.revision) ||
                (last.type === "DELETED" && e.data.podChanges.type === "DELETED")),
          ),
        20_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      const got = subscriber.events.map((e) => e.data!.podChanges);
      expect(got.every((c) => c.type === "ADDED" || c.type === "UPDATED" || c.type === "DELETED")).toBe(true);
      // Per object: the subscriber's changes are the API server's, in order, none twice.
      const byName = (cluster: string, name: string) => `${cluster}/${name}`;
      const want = sequences(
        expected
          .filter((t) => t.type !== "DELETED")
          .map((t) => ({ key: byName(t.cluster, t.name), revision: t.revision })),
      );
      const seen = sequences(
        got
          .filter((c) => c.type !== "DELETED")
          .map((c) => ({
            key: byName(c.cluster!, c.object!.name),
            revision: Number(c.object!.resourceVersion),
          })),
      );
      expect(seen).toEqual(want);
      const deletions = (list: { type: string; cluster: string | null; id: string | null }[]) =>
        list.filter((c) => c.type === "DELETED").length;
      expect(deletions(got)).toBe(expected.filter((t) => t.type === "DELETED").length);
      // Every event's cursor is a watch cursor one can resume after.
      expect(got.every((c) => c.cursor.startsWith("wc1:"))).toBe(true);
      expect(new Set(got.map((c) => uidOf(c.id!))).size).toBeLessThanOrEqual(got.length);
    } finally {
      sim.churn.setRate(0);
      await subscriber.close();
    }
  }, 60_000);

  it("sendInitial delivers the matching objects, then SYNCED", async () => {
    const list = await graphql<{ pods: { totalCount: number } }>(
      gateway.url,
      `
        query ($ns: [String!]) {
          pods(first: 1, filter: { namespaces: $ns }) {
            totalCount
          }
        }
      `,
      { ns: [namespace] },
    );
    const subscriber = subscribe<{ podChanges: PodChange }>({
      url: gateway.url,
      query: POD_CHANGES,
      variables: { filter: { namespaces: [namespace] }, sendInitial: true },
    });
    try {
      await subscriber.until((events) => events.some((e) => e.data?.podChanges.type === "SYNCED"));
      const before = subscriber.events.map((e) => e.data!.podChanges);
      const synced = before.findIndex((c) => c.type === "SYNCED");
      expect(before.slice(0, synced).every((c) => c.type === "ADDED")).toBe(true);
      expect(synced).toBe(list.data!.pods.totalCount);
      expect(before.slice(0, synced).every((c) => c.object?.namespaceName === namespace)).toBe(true);
    } finally {
      await subscriber.close();
    }
  });

  it("a deletion made while a cluster's watches are down arrives after the relist", async () => {
    const cluster = sim.clusters[0]!;
    const victim = cluster.store.all(POD_KIND, namespace)[0]!;
    const subscriber = subscribe<{ podChanges: PodChange }>({
      url: gateway.url,
      query: POD_CHANGES,
      variables: { filter: { namespaces: [namespace], clusters: [cluster.name] } },
    });
    try {
      // Let the subscription register before the outage.
      await new Promise((r) => setTimeout(r, 500));
      await cluster.goDown();
      cluster.store.delete(POD_KIND, namespace, victim.metadata.name!);
      // The API server forgets what happened: the gateway cannot resume and must relist.
      cluster.expireHistory();
      await cluster.comeBack();
      await subscriber.until(
        (events) =>
          events.some(
            (e) =>
              e.data?.podChanges.type === "DELETED" &&
              e.data.podChanges.cluster === cluster.name &&
              e.data.podChanges.id !== null,
          ),
        30_000,
      );
      const deleted = subscriber.events.filter((e) => e.data?.podChanges.type === "DELETED");
      expect(deleted).toHaveLength(1);
    } finally {
      await subscriber.close();
    }
  }, 60_000);

  it("every change a relist implies arrives, though they share its resourceVersion", async () => {
    const cluster = sim.clusters[1]!;
    const victims = cluster.store.all(POD_KIND, namespace).slice(0, 2);
    expect(victims).toHaveLength(2);
    const before = new Set(cluster.store.all(POD_KIND, namespace).map((p) => p.metadata.uid!));
    const subscriber = subscribe<{ podChanges: PodChange }>({
      url: gateway.url,
      query: POD_CHANGES,
      variables: { filter: { namespaces: [namespace], clusters: [cluster.name] } },
    });
    try {
      await new Promise((r) => setTimeout(r, 500));
      await cluster.goDown();
      for (const victim of victims) cluster.store.delete(POD_KIND, namespace, victim.metadata.name!);
      cluster.expireHistory();
      await cluster.comeBack();
      // Both deletions, and the replacements the ReplicaSets made while the watch was down.
      await subscriber.until(
        (events) => events.filter((e) => e.data?.podChanges.type === "DELETED").length >= 2,
        30_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      const got = subscriber.events.map((e) => e.data!.podChanges);
      expect(new Set(got.filter((c) => c.type === "DELETED").map((c) => c.id)).size).toBe(2);
      const replacements = cluster.store
        .all(POD_KIND, namespace)
        .filter((p) => !before.has(p.metadata.uid!))
        .map((p) => p.metadata.name!);
      expect(replacements.length).toBeGreaterThan(0);
      expect(new Set(got.filter((c) => c.type === "ADDED").map((c) => c.object!.name))).toEqual(
        new Set(replacements),
      );
    } finally {
      await subscriber.close();
    }
  }, 60_000);

  it("resuming after an event's cursor replays the gap", async () => {
    const first = subscribe<{ podChanges: PodChange }>({
      url: gateway.url,
      query: POD_CHANGES,
      variables: { filter: { namespaces: [namespace] } },
    });
    let cursor: string;
    try {
      sim.churn.setRate(30);
      await first.until((events) => events.length >= 1);
      cursor = first.events[0]!.data!.podChanges.cursor;
    } finally {
      await first.close();
    }
    const missedFrom = truth.length;
    await new Promise((r) => setTimeout(r, 1500));
    sim.churn.setRate(0);
    await new Promise((r) => setTimeout(r, 500));
    const missed = truth.slice(missedFrom).filter((t) => t.namespace === namespace && t.type !== "DELETED");
    expect(missed.length).toBeGreaterThan(0);
    const resumed = subscribe<{ podChanges: PodChange }>({
      url: gateway.url,
      query: POD_CHANGES,
      variables: { filter: { namespaces: [namespace] }, after: cursor },
    });
    try {
      await resumed.until((events) =>
        missed.every((m) =>
          events.some(
            (e) =>
              e.data?.podChanges.cluster === m.cluster &&
              e.data.podChanges.object?.resourceVersion === String(m.revision),
          ),
        ),
      );
      expect(resumed.events.some((e) => e.data?.podChanges.type === "RESET")).toBe(false);
    } finally {
      await resumed.close();
    }
  }, 30_000);

  it("refuses a bad cursor, an unknown kind and a too deep selection with codes", async () => {
    /** graphql-ws sends execution errors in a `next` payload, validation errors as `error`. */
    const refusal = async (query: string, variables?: Record<string, unknown>): Promise<string> => {
      const s = subscribe({ url: gateway.url, query, ...(variables ? { variables } : {}) });
      try {
        return await eventually(() =>
          s.failure() !== undefined
            ? JSON.stringify(s.failure())
            : s.events[0]?.errors
              ? JSON.stringify(s.events[0].errors)
              : undefined,
        );
      } finally {
        await s.close();
      }
    };
    const bad = await refusal(POD_CHANGES, { after: "not-a-cursor" });
    expect(bad).toContain("BAD_USER_INPUT");
    expect(bad).toContain("watch cursor");
    const unknown = await refusal(`subscription { objectChanges(kinds: ["Gadget"]) { type } }`);
    expect(unknown).toContain("BAD_USER_INPUT");
    const deep = await refusal(
      `subscription { podChanges { object { namespace { pods(first: 5) { nodes { node { pods(first: 5) { nodes { name } } } } } } } } }`,
    );
    expect(deep).toMatch(/depth|deep/i);
  });

  it("answers a subscription sent over HTTP with 400 and where to send it", async () => {
    const answer = await graphql(
      gateway.url,
      `
        subscription {
          podChanges {
            type
          }
        }
      `,
    );
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.message).toMatch(/WebSocket/);
  });
});

describe("RESET", () => {
  let small: Gateway;
  beforeAll(async () => {
    small = await startTestGateway({ ...fleetConfig(sim), subscriptions: { historyPerCluster: 3 } });
    expect((await small.fleetCache.whenSynced(30_000)).complete).toBe(true);
  }, 60_000);
  afterAll(async () => {
    sim.churn.setRate(0);
    await small?.stop();
  });

  it("is sent when the history no longer reaches back to the cursor", async () => {
    const list = await graphql<{ pods: { watchCursor: string } }>(
      small.url,
      `
        {
          pods(first: 1) {
            watchCursor
          }
        }
      `,
    );
    const cursor = list.data!.pods.watchCursor;
    const from = truth.length;
    sim.churn.setRate(40);
    await eventually(() => truth.length - from > 20, 10_000);
    sim.churn.setRate(0);
    await new Promise((r) => setTimeout(r, 500));
    const subscriber: Subscriber<{ podChanges: PodChange }> = subscribe({
      url: small.url,
      query: POD_CHANGES,
      variables: { after: cursor },
    });
    try {
      await subscriber.until((events) => events.length >= 1);
      expect(subscriber.events[0]!.data!.podChanges.type).toBe("RESET");
    } finally {
      await subscriber.close();
    }
  }, 30_000);
});

describe("a cluster joining the fleet", () => {
  let partial: Gateway;
  let joining: string;
  beforeAll(async () => {
    const config = fleetConfig(sim);
    joining = config.clusters[1]!.name;
    partial = await startTestGateway({ ...config, clusters: config.clusters.slice(0, 1) });
    expect((await partial.fleetCache.whenSynced(30_000)).complete).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await partial?.stop();
  });

  it("is told as ADDED objects to fleet-wide subscribers", async () => {
    const expected = sim.cluster(joining).store.all(POD_KIND).length;
    const subscriber = subscribe<{ podChanges: PodChange }>({
      url: partial.url,
      query: POD_CHANGES,
      variables: {},
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      partial.reload(fleetConfig(sim));
      await subscriber.until(
        (events) => events.filter((e) => e.data?.podChanges.cluster === joining).length >= expected,
        20_000,
      );
      const joined = subscriber.events.filter((e) => e.data?.podChanges.cluster === joining);
      expect(joined.every((e) => e.data!.podChanges.type === "ADDED")).toBe(true);
      expect(new Set(joined.map((e) => e.data!.podChanges.id)).size).toBe(joined.length);
    } finally {
      await subscriber.close();
    }
  }, 30_000);
});
