/**
 * One store's entries in one order, kept sorted as they change: a list of sorted blocks (as
 * Python's sortedcontainers), so an insert or a delete is two binary searches and a splice of one
 * block of at most 2 x BLOCK slots, whatever the store's size, and an entry costs one array slot.
 * Readers seek a position by binary search and step from it in either direction.
 */
import type { CacheEntry } from "./entry.js";

const BLOCK = 512;

/** Negative when a comes first; never 0 for two different entries (the order is total). */
export type EntryCompare = (a: CacheEntry, b: CacheEntry) => number;
/** Where `entry` lies relative to a bound: negative before it, 0 at it, positive after it. */
export type BoundCompare = (entry: CacheEntry) => number;

export class SortedEntries {
  private blocks: CacheEntry[][] = [];

  constructor(
    private readonly compare: EntryCompare,
    entries: Iterable<CacheEntry> = [],
  ) {
    const all = [...entries].sort(compare);
    for (let i = 0; i < all.length; i += BLOCK) this.blocks.push(all.slice(i, i + BLOCK));
  }

  insert(entry: CacheEntry): void {
    const { blocks } = this;
    if (blocks.length === 0) {
      blocks.push([entry]);
      return;
    }
    const b = Math.min(
      this.blockFor((e) => this.compare(e, entry)),
      blocks.length - 1,
    );
    const block = blocks[b]!;
    block.splice(
      firstNotBefore(block, (e) => this.compare(e, entry)),
      0,
      entry,
    );
    if (block.length > 2 * BLOCK) blocks.splice(b + 1, 0, block.splice(BLOCK));
  }

  /** Removes `entry` (the same object) if present. */
  delete(entry: CacheEntry): void {
    const at = (e: CacheEntry) => this.compare(e, entry);
    const b = this.blockFor(at);
    const block = this.blocks[b];
    if (!block) return;
    const i = firstNotBefore(block, at);
    if (block[i] !== entry) return;
    block.splice(i, 1);
    if (block.length === 0) this.blocks.splice(b, 1);
  }

  /**
   * A reader of the entries after `bound` (all when undefined), forwards or backwards; with
   * `inclusive`, an entry at the bound itself is read too.
   */
  reader(bound: BoundCompare | undefined, forward: boolean, inclusive: boolean): SortedReader {
    const { blocks } = this;
    if (bound === undefined) {
      if (forward) return new SortedReader(blocks, 0, 0, true);
      const last = blocks.length - 1;
      return new SortedReader(blocks, last, last < 0 ? 0 : blocks[last]!.length - 1, false);
    }
    // The first entry at or after the bound (forwards, exclusive: strictly after it).
    const skipAt = forward !== inclusive;
    const past = skipAt ? (e: CacheEntry) => (bound(e) > 0 ? 0 : -1) : bound;
    const b = this.blockFor(past);
    if (b === blocks.length) {
      return forward
        ? new SortedReader(blocks, b, 0, true)
        : new SortedReader(blocks, b - 1, b === 0 ? 0 : blocks[b - 1]!.length - 1, false);
    }
    const i = firstNotBefore(blocks[b]!, past);
    if (forward) return new SortedReader(blocks, b, i, true);
    // Backwards: the entry just before that first one.
    if (i > 0) return new SortedReader(blocks, b, i - 1, false);
    return new SortedReader(blocks, b - 1, b === 0 ? 0 : blocks[b - 1]!.length - 1, false);
  }

  /** The first block whose last entry is not before the position; blocks.length when none. */
  private blockFor(at: BoundCompare): number {
    const { blocks } = this;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = blocks[mid]!;
      if (at(block[block.length - 1]!) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Steps through a SortedEntries; valid until the store is next written. */
export class SortedReader {
  constructor(
    private readonly blocks: readonly CacheEntry[][],
    private block: number,
    private index: number,
    private readonly forward: boolean,
  ) {}

  next(): CacheEntry | undefined {
    const { blocks } = this;
    for (;;) {
      const block = blocks[this.block];
      if (!block) return undefined;
      if (this.index >= 0 && this.index < block.length) {
        const entry = block[this.index]!;
        this.index += this.forward ? 1 : -1;
        return entry;
      }
      if (this.forward) {
        this.block++;
        this.index = 0;
      } else {
        this.block--;
        this.index = (blocks[this.block]?.length ?? 0) - 1;
      }
    }
  }
}

/** The first index of a sorted block whose entry is not before the position. */
function firstNotBefore(block: readonly CacheEntry[], at: BoundCompare): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(block[mid]!) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
