/**
 * Sets of documents of one index as sorted arrays of document ordinals (ascending, no
 * duplicates): what postings lists are, and what every query evaluates to. Unions of many lists
 * go through a bitmap over the index's ordinal range, so a `terms` filter of thousands of values
 * costs one pass over the postings plus one over the range.
 */

export type DocSet = Int32Array;

export const EMPTY: DocSet = new Int32Array(0);

export function range(from: number, to: number): DocSet {
  const out = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/** First index in a sorted list holding a value >= x. */
export function lowerBound(list: ArrayLike<number>, x: number, lo = 0): number {
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function contains(list: ArrayLike<number>, x: number): boolean {
  const i = lowerBound(list, x);
  return i < list.length && list[i] === x;
}

export function intersect(a: ArrayLike<number>, b: ArrayLike<number>): DocSet {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return EMPTY;
  const out = new Int32Array(a.length);
  let n = 0;
  // Galloping when one side is much smaller; a merge otherwise.
  if (a.length * 16 < b.length) {
    let j = 0;
    for (let i = 0; i < a.length; i++) {
      j = lowerBound(b, a[i]!, j);
      if (j >= b.length) break;
      if (b[j] === a[i]) out[n++] = a[i]!;
    }
  } else {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) {
        out[n++] = x;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
  }
  return out.subarray(0, n);
}

export function subtract(a: DocSet, b: ArrayLike<number>): DocSet {
  if (b.length === 0 || a.length === 0) return a;
  const out = new Int32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) continue;
    out[n++] = x;
  }
  return out.subarray(0, n);
}

/**
 * Documents in at least `minimum` of the lists (1 = a plain union), within [from, to).
 */
export function unionMany(lists: ArrayLike<number>[], from: number, to: number, minimum = 1): DocSet {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0 || to <= from) return EMPTY;
  if (nonEmpty.length === 1 && minimum <= 1) return clip(Int32Array.from(nonEmpty[0]!), from, to);
  const counts = new Uint16Array(to - from);
  for (const list of nonEmpty) {
    for (let i = lowerBound(list, from); i < list.length; i++) {
      const x = list[i]!;
      if (x >= to) break;
      counts[x - from]!++;
    }
  }
  let n = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i]! >= minimum) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i]! >= minimum) out[n++] = from + i;
  return out;
}

export function clip(list: DocSet, from: number, to: number): DocSet {
  const lo = lowerBound(list, from);
  const hi = lowerBound(list, to, lo);
  return lo === 0 && hi === list.length ? list : list.subarray(lo, hi);
}

export function filter(list: DocSet, keep: (doc: number) => boolean): DocSet {
  const out = new Int32Array(list.length);
  let n = 0;
  for (let i = 0; i < list.length; i++) if (keep(list[i]!)) out[n++] = list[i]!;
  return out.subarray(0, n);
}
