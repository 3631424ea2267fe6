/**
 * Keeps the `limit` best items offered so far without sorting everything: a bounded binary heap
 * whose root is the worst item kept, so a candidate that cannot make the page costs one
 * comparison. Keys live in a parallel array, computed once per candidate, because a comparator
 * over items (as general-purpose heap libraries take) would recompute a CUSTOM key on every
 * comparison or force a wrapper object per item.
 */
import type { CacheEntry } from "../entry.js";
import type { Ordering, SortKey } from "./order.js";

export class TopN {
  private readonly keys: SortKey[] = [];
  private readonly items: CacheEntry[] = [];

  /**
   * `better(ka, a, kb, b) < 0` when (ka, a) should be kept rather than (kb, b). For the first N
   * of an order it is the order's compare; for the last N its reverse.
   */
  constructor(
    private readonly limit: number,
    private readonly better: Ordering["compare"],
  ) {}

  offer(key: SortKey, item: CacheEntry): void {
    const { keys, items, limit } = this;
    if (items.length < limit) {
      keys.push(key);
      items.push(item);
      this.siftUp(items.length - 1);
    } else if (limit > 0 && this.better(key, item, keys[0]!, items[0]!) < 0) {
      keys[0] = key;
      items[0] = item;
      this.siftDown(0);
    }
  }

  /** The kept items, best first, with their keys. Empties the selection. */
  drain(): { keys: SortKey[]; items: CacheEntry[] } {
    const order = this.items.map((_, i) => i);
    order.sort((i, j) => this.better(this.keys[i]!, this.items[i]!, this.keys[j]!, this.items[j]!));
    const result = { keys: order.map((i) => this.keys[i]!), items: order.map((i) => this.items[i]!) };
    this.keys.length = 0;
    this.items.length = 0;
    return result;
  }

  /** Heap order: a parent is never better than its children (worst at the root). */
  private worse(i: number, j: number): boolean {
    return this.better(this.keys[i]!, this.items[i]!, this.keys[j]!, this.items[j]!) > 0;
  }

  private swap(i: number, j: number): void {
    const { keys, items } = this;
    const key = keys[i]!;
    keys[i] = keys[j]!;
    keys[j] = key;
    const item = items[i]!;
    items[i] = items[j]!;
    items[j] = item;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.items.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < n && this.worse(left, worst)) worst = left;
      if (right < n && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}
