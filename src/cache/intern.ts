/**
 * String interning for cached objects: across a fleet the same label keys and values, images,
 * node and namespace names repeat tens of thousands of times, and strings from JSON.parse are
 * not shared by V8. The pool is bounded so that unique strings cannot grow it without limit.
 */
const MAX_POOL = 200_000;
let pool = new Map<string, string>();

export function intern(value: string): string {
  const existing = pool.get(value);
  if (existing !== undefined) return existing;
  if (pool.size >= MAX_POOL) pool = new Map();
  pool.set(value, value);
  return value;
}

export function internRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record)) out[intern(key)] = intern(record[key]!);
  return out;
}
