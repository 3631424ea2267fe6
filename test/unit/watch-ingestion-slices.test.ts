/**
 * Watch ingestion in slices (src/fleet/ingestion-slices.ts): the slice accounting itself, then a
 * real watch stream from a node:http server through ClusterConnection, the Reflector, an
 * IndexedStore and the ChangeFeed. Applied in slices that pause the stream after every chunk, a
 * stream of events — ADDED then DELETED of one object, a BOOKMARK in the middle, a name deleted and
 * recreated under a new uid, hundreds of updates, then ERROR 410 — leaves the store and the change
 * feed exactly as applying it without pauses does, and as the events say.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CacheChange } from "../../src/cache/change.js";
import { ChangeFeed } from "../../src/cache/change-feed.js";
import { IndexedStore } from "../../src/cache/indexed-store.js";
import { Reflector } from "../../src/cache/reflector.js";
import type { ClusterConfig } from "../../src/config/index.js";
import { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import { IngestionSlices } from "../../src/fleet/ingestion-slices.js";
import { kindOf } from "../../src/kinds/index.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A clock that moves only when work says it took time; all of it active (nothing idle). */
let clock = 0;
const now = () => clock;
function busy(ms: number): void {
  clock += ms;
}
/** One chunk that takes `ms`, from a stream that says when it is resumed (or nobody is told). */
const chunk = (slices: IngestionSlices, ms: number, resume: () => unknown = () => undefined): boolean =>
  slices.run(() => busy(ms), resume);

describe("IngestionSlices", () => {
  it("lets chunks run until the turn's slice is spent, then pauses each stream until the next turn", async () => {
    const slices = new IngestionSlices(5, now, now);
    const resumed: string[] = [];
    expect(chunk(slices, 2, () => resumed.push("a"))).toBe(false);
    expect(chunk(slices, 4, () => resumed.push("b"))).toBe(true);
    // Over the slice, every later chunk of this turn pauses its stream, however small.
    expect(chunk(slices, 0, () => resumed.push("c"))).toBe(true);
    expect(resumed).toEqual([]);
    await nextTurn();
    expect(resumed).toEqual(["b", "c"]);
    // A new turn, a new slice.
    expect(chunk(slices, 2, () => resumed.push("d"))).toBe(false);
    expect(slices.stats().yields).toBe(2);
  });

  it("lets a turn's streams take as long as the thread was busy with other work in the previous turn", async () => {
    const slices = new IngestionSlices(4, now, now);
    expect(chunk(slices, 1)).toBe(false);
    await nextTurn(); // the first turn: the slice
    expect(chunk(slices, 3)).toBe(false);
    clock += 9; // requests took 9 ms of this turn
    await nextTurn();
    expect(chunk(slices, 8)).toBe(false);
    expect(chunk(slices, 1)).toBe(true);
    clock += 100; // a turn of long requests: as long for the streams
    await nextTurn();
    expect(chunk(slices, 99)).toBe(false);
    expect(chunk(slices, 1)).toBe(true);
    await nextTurn(); // nothing else ran: back to the slice
    expect(chunk(slices, 4)).toBe(true);
  });

  it("counts the chunk's time even when its work throws", async () => {
    const slices = new IngestionSlices(1, now, now);
    expect(() =>
      slices.run(
        () => {
          busy(2);
          throw new Error("bad line");
        },
        () => undefined,
      ),
    ).toThrow("bad line");
    expect(
      slices.run(
        () => undefined,
        () => undefined,
      ),
    ).toBe(true);
    await nextTurn();
    expect(
      slices.run(
        () => undefined,
        () => undefined,
      ),
    ).toBe(false);
  });
});

/** A pod with a resourceVersion and an annotation that makes a line about as large as a real one. */
function pod(name: string, uid: string, rv: number): KubeObject {
  return {
    metadata: {
      name,
      namespace: "ns",
      uid,
      resourceVersion: String(rv),
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels: { app: "web" },
      annotations: { padding: "x".repeat(1500) },
    },
    spec: { nodeName: "n1", containers: [{ name: "c", image: "img" }] },
    status: { phase: "Running" },
  };
}

type Event = { type: string; object: unknown };

/** The events of the watch from resourceVersion 11, and the state they leave (a relist's answer). */
function script(): { events: Event[]; final: KubeObject[]; finalRv: number } {
  const events: Event[] = [];
  let rv = 11;
  const add = (type: string, object: KubeObject) => events.push({ type, object });
  add("ADDED", pod("c", "uid-c", ++rv)); // 12
  add("MODIFIED", pod("a", "uid-a", ++rv)); // 13
  events.push({ type: "BOOKMARK", object: { metadata: { resourceVersion: String(++rv) } } }); // 14
  add("DELETED", pod("c", "uid-c", ++rv)); // 15
  add("ADDED", pod("d", "uid-d1", ++rv)); // 16
  add("DELETED", pod("d", "uid-d1", ++rv)); // 17
  add("ADDED", pod("d", "uid-d2", ++rv)); // 18
  let b = pod("b", "uid-b", 11);
  for (let i = 0; i < 400; i++) add("MODIFIED", (b = pod("b", "uid-b", ++rv)));
  events.push({
    type: "ERROR",
    object: {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      code: 410,
      reason: "Expired",
      message: "too old",
    },
  });
  return { events, final: [pod("a", "uid-a", 13), b, pod("d", "uid-d2", 18)], finalRv: rv };
}

interface Outcome {
  store: [string, string | number][];
  told: [string, string, string][];
  resourceVersion: string;
  eventsApplied: number;
  relistsByCause: Record<string, number>;
  yields: number;
}

const servers: Server[] = [];
const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Serves the list, the scripted watch in many small writes, then (after the 410) a quiet watch. */
async function serve(): Promise<string> {
  const { events, final, finalRv } = script();
  let watches = 0;
  const server = createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.writeHead(200, { "Content-Type": "application/json" });
    if (url.searchParams.get("watch") !== "true") {
      // The first list is the state at 11; the relist after the 410 is the final state.
      const items = watches === 0 ? [pod("a", "uid-a", 10), pod("b", "uid-b", 11)] : final;
      res.end(JSON.stringify({ items, metadata: { resourceVersion: String(watches === 0 ? 11 : finalRv) } }));
      return;
    }
    if (watches++ > 0) {
      res.flushHeaders(); // the watch after the relist: open, quiet
      return;
    }
    void (async () => {
      // Several events per write, a turn between writes: the client reads many chunks.
      for (let i = 0; i < events.length; i += 5) {
        res.write(
          events
            .slice(i, i + 5)
            .map((e) => `${JSON.stringify(e)}\n`)
            .join(""),
        );
        await nextTurn();
      }
    })();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function config(server: string): ClusterConfig {
  return {
    name: "east",
    displayName: "East",
    labels: {},
    server,
    tls: { insecureSkipVerify: false },
    auth: { token: "t" },
    requestTimeoutMs: 5000,
    maxConcurrentRequests: 4,
    source: "config",
  };
}

async function ingest(sliceMs: number): Promise<Outcome> {
  // Nothing else counts as busy: the slice alone decides (0: pause after every chunk).
  const slices = new IngestionSlices(sliceMs, undefined, () => 0);
  const connection = new ClusterConnection(config(await serve()), { ingestion: slices });
  const spec = kindOf("Pod");
  const store = new IndexedStore("east", spec);
  const feed = new ChangeFeed();
  const told: CacheChange[] = [];
  feed.subscribe({ kinds: ["Pod"] }, (change) => told.push(change));
  const reflector = new Reflector(connection, spec, store, {
    backoff: { initialMs: 10, maxMs: 50 },
    onChange: feed.publish,
    onListed: (r, version) => feed.listed(r.cluster, r.kind, version),
  });
  stops.push(
    () => reflector.stop(),
    () => connection.close(),
  );
  reflector.start();
  await eventually(() => {
    const s = reflector.status();
    if (!(s.relists === 1 && s.connected)) throw new Error(JSON.stringify({ ...s, told: told.length }));
    return true;
  }, 20_000);
  const status = reflector.status();
  return {
    store: [...store.all()].map((e) => [e.uid, e.resourceVersion] as [string, string | number]).sort(),
    told: told.map((c) => [c.type, c.entry.uid, c.resourceVersion]),
    resourceVersion: status.resourceVersion,
    eventsApplied: status.eventsApplied,
    relistsByCause: status.relistsByCause,
    yields: slices.stats().yields,
  };
}

describe("a watch stream applied in slices", () => {
  it("leaves the store and the change feed exactly as applying it without pauses does", async () => {
    const paced = await ingest(0);
    const unpaced = await ingest(Infinity);
    // Paused after every chunk in one run, never in the other.
    expect(paced.yields).toBeGreaterThan(10);
    expect(unpaced.yields).toBe(0);
    const { yields: _p, ...pacedState } = paced;
    const { yields: _u, ...unpacedState } = unpaced;
    expect(pacedState).toEqual(unpacedState);

    // And that state is the one the events describe.
    const { finalRv } = script();
    expect(paced.store).toEqual([
      ["uid-a", 13],
      ["uid-b", finalRv],
      ["uid-d2", 18],
    ]);
    expect(paced.told.slice(0, 6)).toEqual([
      ["ADDED", "uid-c", "12"],
      ["MODIFIED", "uid-a", "13"],
      ["DELETED", "uid-c", "15"],
      ["ADDED", "uid-d1", "16"],
      ["DELETED", "uid-d1", "17"],
      ["ADDED", "uid-d2", "18"],
    ]);
    // Every update of b told once, in order; the relist to the same state tells nothing more.
    const updates = paced.told.slice(6);
    expect(updates).toHaveLength(400);
    expect(updates.map(([, , rv]) => Number(rv))).toEqual(Array.from({ length: 400 }, (_, i) => 19 + i));
    expect(paced.eventsApplied).toBe(407);
    expect(paced.resourceVersion).toBe(String(finalRv));
    expect(paced.relistsByCause).toEqual({ expired: 1 });
  }, 60_000);
});
