/**
 * Internal figures for the benchmark harness (bench/): the process's memory and the watch caches'
 * ingestion counters. Off unless FLEETGRAPH_DEBUG_ROUTES=1, because they describe the gateway's
 * insides (cluster names, object counts) to anyone who can reach the port, without authorisation.
 *
 *   GET /debug/memory        process.memoryUsage()
 *   GET /debug/memory?gc=1   the same after a full garbage collection (needs node --expose-gc)
 *   GET /debug/cache         sync progress, and per cluster: resourceVersion, objects, events applied
 *   GET /debug/subscriptions open subscription sockets and what the object subscriptions hold
 *   GET /debug/backends      requests sent so far to the Prometheus backends and the log stores
 *   GET /debug/handles       the process's live handles and requests by type (sockets, timers, ...)
 */
import { Router, type Request, type Response } from "express";
import type { SyncProgress } from "../cache/fleet-cache.js";
import type { ClusterCacheStatus } from "../cache/watch-cache.js";
import type { ObjectChangeStats } from "../subscriptions/object-changes.js";

/** The part of FleetCache (and the registry's names) the routes read. */
export interface DebugCacheSource {
  clusters(): string[];
  progress(): SyncProgress;
  status(cluster: string): ClusterCacheStatus | undefined;
  /** Gateway.subscriptionStats(); the route answers 404 without it. */
  subscriptions?(): DebugSubscriptions;
  /** Requests sent to the backends beside the clusters; the route answers 404 without it. */
  backends?(): DebugBackends;
}

export interface DebugBackends {
  prometheusQueries: number;
  logStoreRequests: number;
}

/** Open sockets, and the object subscriptions' count and queues (the slow-consumer bound). */
export type DebugSubscriptions = ObjectChangeStats & { connections: number };

export interface DebugMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** A full collection ran first (`?gc=1` and node started with --expose-gc). */
  collected: boolean;
}

export interface DebugClusterCache {
  cluster: string;
  synced: boolean;
  connected: boolean;
  resourceVersion: string;
  objects: number;
  eventsApplied: number;
  relists: number;
  watchResumes: number;
}

export interface DebugCache extends SyncProgress {
  eventsApplied: number;
  relists: number;
  clusters: DebugClusterCache[];
}

/** True when the environment asks for the debug routes. */
export function debugRoutesEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FLEETGRAPH_DEBUG_ROUTES === "1";
}

export function debugMemory(collect: boolean): DebugMemory {
  // `gc` exists on globalThis only under --expose-gc.
  const gc = (globalThis as { gc?: () => void }).gc;
  const collected = collect && typeof gc === "function";
  if (collected) gc();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external, arrayBuffers, collected };
}

/** Live libuv handles and requests by type: what a leak of sockets or timers would grow. */
export function debugHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

export function debugCache(source: DebugCacheSource): DebugCache {
  const clusters: DebugClusterCache[] = [];
  let eventsApplied = 0;
  let relists = 0;
  for (const name of source.clusters()) {
    const status = source.status(name);
    if (!status) continue;
    let applied = 0;
    let clusterRelists = 0;
    let resumes = 0;
    let connected = true;
    for (const kind of Object.values(status.kinds)) {
      applied += kind.eventsApplied;
      clusterRelists += kind.relists;
      resumes += kind.watchResumes;
      connected &&= kind.connected;
    }
    eventsApplied += applied;
    relists += clusterRelists;
    clusters.push({
      cluster: name,
      synced: status.synced,
      connected,
      resourceVersion: status.resourceVersion,
      objects: status.objects,
      eventsApplied: applied,
      relists: clusterRelists,
      watchResumes: resumes,
    });
  }
  return { ...source.progress(), eventsApplied, relists, clusters };
}

export function debugRoutes(source: DebugCacheSource): Router {
  const router = Router();
  router.get("/debug/memory", (req: Request, res: Response) => {
    res.json(debugMemory(req.query.gc === "1"));
  });
  router.get("/debug/handles", (_req: Request, res: Response) => {
    res.json(debugHandles());
  });
  router.get("/debug/cache", (_req: Request, res: Response) => {
    res.json(debugCache(source));
  });
  router.get("/debug/subscriptions", (_req: Request, res: Response) => {
    if (!source.subscriptions) res.status(404).json({ error: "this server serves no subscriptions" });
    else res.json(source.subscriptions());
  });
  router.get("/debug/backends", (_req: Request, res: Response) => {
    if (!source.backends) res.status(404).json({ error: "this server reports no backends" });
    else res.json(source.backends());
  });
  return router;
}
