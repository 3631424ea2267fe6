/**
 * One page of a list over sorted keys: skips to the namespace prefix and past the continue key,
 * collects up to `limit` matches, and says whether more follow (counting them only when no
 * selector filters, like the real server's remainingItemCount).
 */
import type { KubeObject } from "../../src/kube/object.js";
import { encodeContinue } from "./continue-token.js";
import { lowerBound, upperBound } from "./sorted-keys.js";
import type { ListResult, Predicate } from "./types.js";

export interface PageRequest {
  /** "namespace/" to stay within one namespace, or "". */
  prefix: string;
  /** The last key of the previous page, or "". */
  start: string;
  revision: number;
  limit?: number;
  predicate?: Predicate;
}

export function readPage(
  keys: readonly string[],
  lookup: (key: string) => KubeObject | undefined,
  page: PageRequest,
): ListResult {
  const limit = page.limit && page.limit > 0 ? page.limit : Infinity;
  const items: KubeObject[] = [];
  let firstIndex = page.prefix ? lowerBound(keys, page.prefix) : 0;
  if (page.start) firstIndex = Math.max(firstIndex, upperBound(keys, page.start));
  let i = firstIndex;
  let lastKey = "";
  for (; i < keys.length && items.length < limit; i++) {
    const key = keys[i]!;
    if (page.prefix && !key.startsWith(page.prefix)) {
      i = keys.length;
      break;
    }
    const obj = lookup(key);
    if (!obj) continue;
    if (page.predicate && !page.predicate(obj)) continue;
    items.push(obj);
    lastKey = key;
  }
  const result: ListResult = { items, revision: page.revision };
  if (items.length === limit) {
    let more = false;
    let remaining = 0;
    for (let j = i; j < keys.length; j++) {
      const key = keys[j]!;
      if (page.prefix && !key.startsWith(page.prefix)) break;
      const obj = lookup(key);
      if (!obj || (page.predicate && !page.predicate(obj))) continue;
      more = true;
      remaining++;
      if (page.predicate) break; // like the real server: no count when filtering
    }
    if (more) {
      result.continueToken = encodeContinue({ rv: page.revision, start: lastKey });
      if (!page.predicate) result.remainingItemCount = remaining;
    }
  }
  return result;
}
