/**
 * The total order of a list: (order key, cluster, namespace, name, uid). The key goes in the
 * requested direction; the tie-breakers always ascend (like SQL's `ORDER BY created DESC, name`),
 * and since uid is unique no two entries ever tie, so pages and cursors are stable.
 *
 * Strings compare by UTF-16 code units, not by locale: a locale collation is slower and not a
 * total order a cursor can rely on across processes.
 */
import type { CacheEntry } from "../entry.js";
import type { OrderBy, OrderField } from "./types.js";

export type SortKey = number | string;

/** The fields of an entry that break ties; a decoded cursor has them too. */
export interface TieFields {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface Ordering {
  readonly field: OrderField;
  keyOf: (entry: CacheEntry) => SortKey;
  /** Negative when (ka, a) comes before (kb, b). Never 0 for two different entries. */
  compare: (ka: SortKey, a: TieFields, kb: SortKey, b: TieFields) => number;
}

export function orderingFor(order: OrderBy): Ordering {
  const sign = order.direction === "DESC" ? -1 : 1;
  return {
    field: order.field,
    keyOf: keyFunction(order),
    compare: (ka, a, kb, b) => {
      const c = compareKeys(ka, kb);
      return c !== 0 ? c * sign : compareTies(a, b);
    },
  };
}

function keyFunction(order: OrderBy): (entry: CacheEntry) => SortKey {
  switch (order.field) {
    case "NAME":
      return (e) => e.name;
    case "NAMESPACE":
      return (e) => e.namespace;
    case "CLUSTER":
      return (e) => e.cluster;
    case "CREATED":
      return (e) => finite(e.created);
    default: {
      const custom = order.key;
      if (!custom) throw new TypeError(`order ${order.field} needs a key function`);
      return (e) => {
        const key = custom(e);
        return typeof key === "number" ? finite(key) : key;
      };
    }
  }
}

/**
 * Non-finite numbers would make the order partial (NaN) and cannot travel in a JSON cursor, so
 * they are clamped: NaN and -Infinity sort first, +Infinity last.
 */
function finite(n: number): number {
  if (Number.isFinite(n)) return n;
  return n === Infinity ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/** Numbers sort before strings, for a kind's own key that returns both. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (typeof a === typeof b) return a < b ? -1 : 1;
  return typeof a === "number" ? -1 : 1;
}

export function compareTies(a: TieFields, b: TieFields): number {
  return (
    compareStrings(a.cluster, b.cluster) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.uid, b.uid)
  );
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
