/**
 * Slow consumers, with a raw `ws` client speaking graphql-transport-ws that stops reading its
 * socket (ws's pause(): the kernel's buffers fill, then the gateway's sends wait, then its queue
 * for that subscriber grows). With `subscriptions.maxQueuedEvents: 20` no subscription ever holds
 * more than 20 events (sampled through Gateway.subscriptionStats() all along), the gateway's heap
 * does not grow with the backlog, and the consumer is either coalesced (it gets SYNCED once it
 * reads again) or closed with 4420. A consumer that falls behind on a few objects and reads again
 * gets the latest state of each, then SYNCED, then every change again.
 *
 * Events are made large on purpose (each pod's namespace carries ~20 KB of labels, selected in
 * every event): a few hundred events fill the loopback buffers (about 4 MB), so the gateway's own
 * queue is reached within seconds.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { RESOURCE_KINDS } from "../../sim/kinds.js";
import { eventually } from "../support/eventually.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

const MAX_QUEUED = 20;
const POD_KIND = RESOURCE_KINDS.find((k) => k.kind === "Pod")!;
const NAMESPACE_KIND = RESOURCE_KINDS.find((k) => k.kind === "Namespace")!;
const PAD_LABELS = 8;
const PAD_VALUE = "x".repeat(2500);

const POD_CHANGES = `subscription ($filter: PodFilter) {
  podChanges(filter: $filter) {
    type id cluster
    object { name namespaceName resourceVersion namespace { labels { key value } } }
  }
}`;

interface PodChange {
  type: string;
  id: string | null;
  cluster: string | null;
  object: { name: string; namespaceName: string; resourceVersion: string } | null;
}

/**
 * graphql-transport-ws by hand: connection_init, connection_ack, subscribe; every `next`
 * payload kept. `pause()` stops reading the socket (nothing is consumed), `resume()` reads again.
 */
class RawSubscriber {
  readonly changes: PodChange[] = [];
  readonly errors: unknown[] = [];
  bytes = 0;
  closed: { code: number; reason: string } | undefined;
  private constructor(private readonly socket: WebSocket) {}

  static async open(url: string, variables: Record<string, unknown>): Promise<RawSubscriber> {
    const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
    const subscriber = new RawSubscriber(socket);
    socket.on("error", (error) => subscriber.errors.push(String(error)));
    const acked = new Promise<void>((resolve, reject) => {
      socket.on("message", (data: Buffer) => {
        subscriber.bytes += data.length;
        const message = JSON.parse(data.toString()) as {
          type: string;
          payload?: { data?: { podChanges: PodChange }; errors?: unknown[] };
        };
        if (message.type === "connection_ack") resolve();
        else if (message.type === "next" && message.payload?.data)
          subscriber.changes.push(message.payload.data.podChanges);
        else if (message.type === "next" || message.type === "error") subscriber.errors.push(message.payload);
      });
      socket.on("close", (code, reason) => {
        subscriber.closed = { code, reason: reason.toString() };
        reject(new Error(`closed ${code} before connection_ack`));
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
    await acked;
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: POD_CHANGES, variables } }));
    return subscriber;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Ends the connection at once (a paused socket would never read the close handshake). */
  close(): void {
    this.socket.resume();
    this.socket.terminate();
  }
}

/** The gateway's heap after a full collection (the test runs in the gateway's process). */
function heapAfterGc(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Samples Gateway.subscriptionStats() until stopped: the most any subscription held. */
function sampleStats(gateway: Gateway) {
  const seen = { largestQueue: 0, coalescing: 0, queued: 0, samples: 0 };
  const timer = setInterval(() => {
    const stats = gateway.subscriptionStats();
    seen.samples++;
    seen.largestQueue = Math.max(seen.largestQueue, stats.largestQueue);
    seen.coalescing = Math.max(seen.coalescing, stats.coalescing);
    seen.queued = Math.max(seen.queued, stats.queued);
  }, 10);
  return {
    seen,
    stop: () => clearInterval(timer),
  };
}

let sim: SimFleet;
let gateway: Gateway;

beforeAll(async () => {
  sim = await startSimFleet("subscription-backpressure", { clusters: 2, nodes: 2, pods: 60 });
  gateway = await startTestGateway({
    ...fleetConfig(sim),
    subscriptions: { maxQueuedEvents: MAX_QUEUED },
  });
  expect((await gateway.fleetCache.whenSynced(30_000)).complete).toBe(true);
  // Every namespace carries ~20 KB of labels, which every event below selects.
  for (const cluster of sim.clusters) {
    for (const namespace of cluster.store.all(NAMESPACE_KIND)) {
      cluster.store.mutate(NAMESPACE_KIND, undefined, namespace.metadata.name!, (draft) => {
        const labels = (draft.metadata.labels ??= {});
        for (let i = 0; i < PAD_LABELS; i++) labels[`pad-${i}`] = PAD_VALUE;
      });
    }
  }
  await eventually(
    async () => {
      const answer = await graphql<{ namespaces: { nodes: { labels: { key: string }[] }[] } }>(
        gateway.url,
        `
          {
            namespaces(first: 1000) {
              nodes {
                labels {
                  key
                }
              }
            }
          }
        `,
      );
      const nodes = answer.data!.namespaces.nodes;
      return (
        nodes.length > 0 &&
        nodes.every((n) => n.labels.filter((l) => l.key.startsWith("pad-")).length === PAD_LABELS)
      );
    },
    15_000,
    200,
  );
}, 120_000);

afterAll(async () => {
  sim?.churn.setRate(0);
  await gateway?.stop();
  await sim?.stop();
});

/** Resolves once the gateway holds exactly `count` object subscriptions. */
const subscriptionsAre = (count: number) =>
  eventually(() => gateway.subscriptionStats().subscriptions === count, 10_000, 20);

describe("a consumer that stops reading while the fleet churns", () => {
  it("is held to maxQueuedEvents, costs no heap for its backlog, and is coalesced or closed with 4420", async () => {
    await subscriptionsAre(0);
    const consumer = await RawSubscriber.open(gateway.url, {});
    const sampler = sampleStats(gateway);
    try {
      await subscriptionsAre(1);
      const heapBefore = heapAfterGc();
      consumer.pause();
      sim.churn.setRate(100);
      // Until the backlog has reached the gateway's queue: coalesced, or failed and dropped.
      const reached = await eventually(
        () => sampler.seen.coalescing > 0 || gateway.subscriptionStats().subscriptions === 0,
        20_000,
        20,
      ).then(
        () => true,
        () => false,
      );
      // Keep the churn on a little longer: the bound must hold over time, not just once.
      await new Promise((r) => setTimeout(r, 2000));
      const heapDuring = heapAfterGc();
      sim.churn.setRate(0);
      const changesMade = sim.churn.changes;
      consumer.resume();
      // Coalesced: the backlog ends with SYNCED. Failed: the socket closes 4420 once it reads on.
      await eventually(
        () => consumer.closed !== undefined || consumer.changes.some((c) => c.type === "SYNCED"),
        20_000,
        50,
      );
      sampler.stop();
      const outcome = consumer.closed ? `closed ${consumer.closed.code}` : "coalesced";
      console.info(
        `slow consumer: ${outcome}; ${consumer.changes.length} events (${(consumer.bytes / 1e6).toFixed(1)} MB) ` +
          `read after ${changesMade} churn changes; largest queue ${sampler.seen.largestQueue} ` +
          `(bound ${MAX_QUEUED}) over ${sampler.seen.samples} samples; heap ${(heapBefore / 1e6).toFixed(1)} MB -> ` +
          `${(heapDuring / 1e6).toFixed(1)} MB with the consumer stalled`,
      );
      expect(reached, "the backlog never reached the gateway's queue").toBe(true);
      expect(sampler.seen.largestQueue).toBeLessThanOrEqual(MAX_QUEUED);
      expect(sampler.seen.queued).toBeLessThanOrEqual(MAX_QUEUED);
      if (consumer.closed) {
        expect(consumer.closed.code).toBe(4420);
        expect(consumer.closed.reason).toMatch(/behind/);
      } else {
        expect(consumer.changes.some((c) => c.type === "SYNCED")).toBe(true);
      }
      // A stalled consumer costs its bounded queue and one pending send, not its backlog (the
      // simulator's own history, in this process too, accounts for most of any growth).
      expect(heapDuring - heapBefore).toBeLessThan(32e6);
      expect(consumer.errors).toEqual([]);
    } finally {
      sampler.stop();
      sim.churn.setRate(0);
      consumer.close();
    }
  }, 60_000);
});

describe("a consumer that falls behind on a few objects", () => {
  it("reads the latest state of each object, then SYNCED, then every change again", async () => {
    await subscriptionsAre(0);
    const cluster = sim.clusters[0]!;
    // The namespace of the cluster with the most running pods; a few of them change.
    await new Promise((r) => setTimeout(r, 1000)); // the churn's last changes settle
    const running = cluster.store
      .all(POD_KIND)
      .filter((p) => (p.status as { phase?: string } | undefined)?.phase === "Running");
    const byNamespace = new Map<string, string[]>();
    for (const p of running) {
      const list = byNamespace.get(p.metadata.namespace!) ?? [];
      list.push(p.metadata.name!);
      byNamespace.set(p.metadata.namespace!, list);
    }
    const [namespace, names] = [...byNamespace].sort((a, b) => b[1].length - a[1].length)[0]!;
    const changing = names.slice(0, 4);
    expect(changing.length).toBeGreaterThanOrEqual(2);

    const consumer = await RawSubscriber.open(gateway.url, {
      filter: { namespaces: [namespace], clusters: [cluster.name] },
    });
    const sampler = sampleStats(gateway);
    try {
      await subscriptionsAre(1);
      consumer.pause();
      let made = 0;
      const deadline = Date.now() + 15_000;
      let coalescedSince: number | undefined;
      // Change the same few pods over and over until the gateway has coalesced for a while.
      while (Date.now() < deadline) {
        for (const name of changing) {
          cluster.restartContainer(namespace, name);
          made++;
        }
        await new Promise((r) => setTimeout(r, 5));
        if (sampler.seen.coalescing > 0) coalescedSince ??= made;
        if (coalescedSince !== undefined && made - coalescedSince >= 200) break;
      }
      expect(coalescedSince, "the backlog never reached the gateway's queue").toBeDefined();
      // The gateway has applied every change (the last of each pod is in its cache).
      const finalVersion = new Map(
        changing.map((name) => [
          name,
          cluster.store.get(POD_KIND, namespace, name)!.metadata.resourceVersion!,
        ]),
      );
      await eventually(
        async () => {
          const answer = await graphql<{ pods: { nodes: { name: string; resourceVersion: string }[] } }>(
            gateway.url,
            `
              query ($ns: [String!], $c: [String!]) {
                pods(first: 100, filter: { namespaces: $ns, clusters: $c }) {
                  nodes {
                    name
                    resourceVersion
                  }
                }
              }
            `,
            { ns: [namespace], c: [cluster.name] },
          );
          return changing.every(
            (name) =>
              answer.data!.pods.nodes.find((p) => p.name === name)?.resourceVersion ===
              finalVersion.get(name),
          );
        },
        10_000,
        50,
      );
      expect(gateway.subscriptionStats()).toMatchObject({ subscriptions: 1, coalescing: 1 });

      consumer.resume();
      await eventually(() => consumer.changes.some((c) => c.type === "SYNCED"), 20_000, 50);
      sampler.stop();
      const synced = consumer.changes.findIndex((c) => c.type === "SYNCED");
      const before = consumer.changes.slice(0, synced);
      // The coalesced stretch: the run of distinct objects that ends at SYNCED.
      const stretch: PodChange[] = [];
      for (let i = before.length - 1; i >= 0; i--) {
        if (stretch.some((c) => c.id === before[i]!.id)) break;
        stretch.unshift(before[i]!);
      }
      console.info(
        `fell behind: ${made} changes of ${changing.length} pods, ${before.length} events read before SYNCED ` +
          `(${(consumer.bytes / 1e6).toFixed(1)} MB); largest queue ${sampler.seen.largestQueue}`,
      );
      expect(sampler.seen.largestQueue).toBeLessThanOrEqual(MAX_QUEUED);
      expect(before.length).toBeLessThan(made);
      expect(before.every((c) => c.type === "UPDATED")).toBe(true);
      // Other pods of the namespace may change too (controllers settling): those of the test are there.
      const latest = new Map(
        stretch
          .filter((c) => finalVersion.has(c.object!.name))
          .map((c) => [c.object!.name, c.object!.resourceVersion]),
      );
      expect(latest).toEqual(finalVersion);
      expect(consumer.closed).toBeUndefined();

      // Caught up: every change is told again, one event each.
      const from = consumer.changes.length;
      cluster.restartContainer(namespace, changing[0]!);
      cluster.restartContainer(namespace, changing[0]!);
      const last = cluster.store.get(POD_KIND, namespace, changing[0]!)!.metadata.resourceVersion!;
      await eventually(() => consumer.changes.some((c) => c.object?.resourceVersion === last), 10_000, 20);
      expect(consumer.changes.slice(from).map((c) => c.type)).toEqual(["UPDATED", "UPDATED"]);
      expect(consumer.errors).toEqual([]);
    } finally {
      sampler.stop();
      consumer.close();
    }
  }, 60_000);
});
