/**
 * resourceVersions are opaque strings to clients, but every etcd-backed API server (and the
 * simulator) writes one increasing decimal revision per cluster. Where both sides are decimal
 * they are compared as numbers; anything else is "not comparable".
 */
const DECIMAL = /^\d+$/;

/** -1, 0 or 1; undefined when either version is not a decimal revision. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  if (!DECIMAL.test(a) || !DECIMAL.test(b)) return undefined;
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether `candidate` is newer than `current` ("" is older than anything). */
export function newerVersion(candidate: string, current: string): boolean {
  if (candidate === "") return false;
  if (current === "") return true;
  return compareVersions(candidate, current) === 1;
}
