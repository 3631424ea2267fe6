/**
 * The steps of the subscriptions scenario, the same for the gateway and for the pass-through
 * peer: open more subscribers and wait until the server holds them, weigh the server idle, and
 * measure a window of churn.
 */
import type { DebugMemory } from "../../src/http/debug-routes.js";
import type { SubscriberStats } from "../load/subscribers-spec.js";
import type { Gateway } from "../processes/gateway.js";
import type { PeerServer } from "../processes/peer-servers.js";
import type { Simulator } from "../processes/simulator.js";
import type { SubscriberLoad } from "../processes/subscriber-load.js";
import { round, UsageWindow, type ProcessUsage } from "../proc-stats.js";
import type { Figures } from "../results.js";
import { joinLatency } from "./subscription-latency.js";
import { POD_CHANGES, type SubscriptionWorkload } from "./subscription-workload.js";

/** The gateway or the peer, as the steps see it. */
export interface SubscriptionServer {
  pid: number;
  url: string;
  token?: string | undefined;
  /** After a full collection. */
  memory(): Promise<DebugMemory>;
  /** Subscriptions held with their upstream in place (the peer: watches up, one per subscription). */
  held(): Promise<number>;
  /** What it says of itself (queues, watches). */
  stats(): Promise<Figures>;
}

export function gatewayServer(gateway: Gateway): SubscriptionServer {
  return {
    pid: gateway.pid,
    url: gateway.url,
    token: gateway.token,
    memory: () => gateway.memory(true),
    held: async () => (await gateway.subscriptions()).subscriptions,
    stats: async () => {
      const s = await gateway.subscriptions();
      return { queued: s.queued, largest_queue: s.largestQueue, coalescing: s.coalescing };
    },
  };
}

interface PeerSubscriptions {
  subscriptions: number;
  connections: number;
  watches: {
    open: number;
    requests: number;
    reopened: number;
    expired: number;
    failures: Record<string, number>;
  };
}

export function peerServer(peer: PeerServer): SubscriptionServer {
  return {
    pid: peer.pid,
    url: peer.url,
    memory: () => peer.memory(true),
    held: async () => (await peer.debug<PeerSubscriptions>("subscriptions")).watches.open,
    stats: async () => {
      const s = await peer.debug<PeerSubscriptions>("subscriptions");
      return {
        subscriptions: s.subscriptions,
        watches_open: s.watches.open,
        watch_requests: s.watches.requests,
        watches_reopened: s.watches.reopened,
        watches_expired: s.watches.expired,
        watch_failures: s.watches.failures,
      };
    },
  };
}

export interface StepContext {
  sim: Simulator;
  load: SubscriberLoad;
  workload: SubscriptionWorkload;
  churnPerS: number;
  warmupS: number;
  durationS: number;
  log(message: string): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const CONNECT_CONCURRENCY = 100;
const HOLD_DEADLINE_MS = 60_000;

/** Watches open on every API server now (the gateway's, the peer's, anyone's). */
export async function upstreamWatches(sim: Simulator): Promise<number> {
  return (await sim.revisions()).reduce((n, c) => n + c.watches, 0);
}

/** Memory after the server has settled: two full collections half a second apart. */
export async function settledMemory(server: SubscriptionServer): Promise<DebugMemory> {
  await sleep(1000);
  await server.memory();
  await sleep(500);
  return server.memory();
}

export interface Growth {
  /** Subscribers open now, over every call. */
  open: number;
  held: number;
  connect_s: number;
  failed: number;
  /** Left unopened at the deadline. */
  skipped: number;
  connect_errors: Record<string, number>;
}

/** Opens subscribers `open`..`to`-1 and waits (bounded) until the server holds them. */
export async function grow(
  ctx: StepContext,
  server: SubscriptionServer,
  open: number,
  to: number,
  deadlineMs: number,
): Promise<Growth> {
  const started = performance.now();
  const answer = await ctx.load.subscribe({
    url: server.url,
    ...(server.token ? { token: server.token } : {}),
    query: POD_CHANGES,
    filters: ctx.workload.filters(open, to),
    concurrency: CONNECT_CONCURRENCY,
    deadlineMs,
  });
  const now = open + answer.connected;
  const until = performance.now() + HOLD_DEADLINE_MS;
  let held = -1;
  for (;;) {
    // A server out of file descriptors may not answer its debug route either.
    held = await server.held().catch(() => -1);
    if (held >= now || performance.now() > until) break;
    await sleep(250);
  }
  return {
    open: now,
    held,
    connect_s: round((performance.now() - started) / 1000, 1),
    failed: answer.failed,
    skipped: answer.skipped,
    connect_errors: answer.errors,
  };
}

/** Closes subscribers down to `to` and waits (bounded) until the server has let them go. */
export async function shrink(server: SubscriptionServer, load: SubscriberLoad, to: number): Promise<void> {
  const { open } = await load.stats();
  if (open > to) await load.close(open - to);
  const until = performance.now() + HOLD_DEADLINE_MS;
  while ((await server.held().catch(() => to)) > to && performance.now() < until) await sleep(250);
}

export interface Idle {
  rss_bytes: number;
  heap_bytes: number;
  rss_bytes_per_subscriber: number | null;
  heap_bytes_per_subscriber: number | null;
  upstream_watches: number;
}

/** The server at rest with `open` subscribers, against its weight with none. */
export async function idle(
  ctx: StepContext,
  server: SubscriptionServer,
  open: number,
  base: DebugMemory,
): Promise<Idle> {
  const memory = await settledMemory(server);
  const per = (now: number, before: number): number | null =>
    open > 0 ? round((now - before) / open, 0) : null;
  return {
    rss_bytes: memory.rss,
    heap_bytes: memory.heapUsed,
    rss_bytes_per_subscriber: per(memory.rss, base.rss),
    heap_bytes_per_subscriber: per(memory.heapUsed, base.heapUsed),
    upstream_watches: await upstreamWatches(ctx.sim),
  };
}

function usage(window: UsageWindow | undefined): ProcessUsage | undefined {
  try {
    return window?.finish();
  } catch {
    return undefined; // the process is gone
  }
}

function startUsage(pid: number): UsageWindow | undefined {
  try {
    return new UsageWindow(pid);
  } catch {
    return undefined;
  }
}

/** Closes by code that happened between two readings. */
function newCloses(before: SubscriberStats, after: SubscriberStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, n] of Object.entries(after.closes)) {
    const d = n - (before.closes[code] ?? 0);
    if (d > 0) out[code] = d;
  }
  return out;
}

/**
 * Churn on: a warm-up, then `durationS` measured. Changes committed in the measured part count;
 * the churn goes on for a drain, so the events still on their way arrive under the same load.
 */
export async function churnWindow(ctx: StepContext, server: SubscriptionServer, open: number) {
  const { sim, load } = ctx;
  await sim.setChurn(ctx.churnPerS);
  try {
    await sleep(ctx.warmupS * 1000);
    const from = await sim.revisions();
    await load.samples();
    const statsBefore = await load.stats();
    const windows = [server.pid, sim.pid, load.pid].map(startUsage);
    const startedAt = performance.now();
    await sleep(ctx.durationS * 1000);
    const to = await sim.revisions();
    const seconds = (performance.now() - startedAt) / 1000;
    const [own, simulator, loader] = windows.map(usage);
    await sleep(Math.min(3, Math.max(1, ctx.durationS / 4)) * 1000);
    const received = await load.samples();
    const statsAfter = await load.stats();
    const serverStats = await server.stats().catch((e: unknown) => ({ unreachable: String(e) }));
    const join = await joinLatency(sim, received, from, to, ctx.workload.audience(open));
    return {
      ...join,
      pod_changes_per_s: round(join.pod_changes / seconds, 1),
      events_per_s: round(join.samples / seconds, 1),
      cpu_cores: own?.cpu_cores ?? null,
      max_rss_bytes: own?.max_rss_bytes ?? null,
      simulator_cpu_cores: simulator?.cpu_cores ?? null,
      load_cpu_cores: loader?.cpu_cores ?? null,
      closed_by_server: newCloses(statsBefore, statsAfter),
      operation_errors: statsAfter.errors - statsBefore.errors,
      server: serverStats,
    };
  } finally {
    await sim.setChurn(0);
  }
}
