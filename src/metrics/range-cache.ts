/**
 * Range answers kept in the shared store (Redis with several replicas, memory with one), keyed by
 * the backend, the exact query and the aligned window — so a dashboard's charts, refreshed by
 * many viewers, cost Prometheus one query per step. A window that ends before the newest step
 * is history and kept for minutes; one that reaches "now" only until its next step. The store
 * failing only costs the cache: the query goes to Prometheus.
 */
import { createHash } from "node:crypto";
import type { SharedStore } from "../store/shared-store.js";
import type { RangeSeries, RangeWindow } from "./sources.js";

export interface RangeCacheOptions {
  /** How long a closed window is kept; default 10 minutes. */
  historyTtlMs?: number;
  now?: () => number;
}

const KEY_PREFIX = "fleetgraph:metrics:range:";

export class RangeCache {
  private readonly historyTtlMs: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: SharedStore,
    options: RangeCacheOptions = {},
  ) {
    this.historyTtlMs = options.historyTtlMs ?? 600_000;
    this.now = options.now ?? Date.now;
  }

  /** The answer, from the store when a replica already asked, else from `ask` (then stored). */
  async read(
    backend: string,
    query: string,
    window: RangeWindow,
    ask: () => Promise<RangeSeries[]>,
  ): Promise<RangeSeries[]> {
    const key =
      KEY_PREFIX +
      createHash("sha256")
        .update(`${backend}\n${window.start}/${window.end}/${window.step}\n${query}`)
        .digest("base64url");
    const held = await this.store.get(key).catch(() => undefined);
    if (held !== undefined) {
      this.hits++;
      return JSON.parse(held) as RangeSeries[];
    }
    this.misses++;
    const answer = await ask();
    const ttlMs = this.ttlFor(window);
    if (ttlMs > 0) await this.store.set(key, JSON.stringify(answer), ttlMs).catch(() => undefined);
    return answer;
  }

  private ttlFor(window: RangeWindow): number {
    const nowSeconds = this.now() / 1000;
    // Prometheus may still add points to the newest step; until it is a step old, it is "now".
    if (window.end < nowSeconds - window.step) return this.historyTtlMs;
    return Math.min(60_000, window.step * 1000);
  }
}
