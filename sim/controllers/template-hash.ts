/**
 * The hashes controllers put into names and labels: `pod-template-hash` (Deployment ->
 * ReplicaSet) and `controller-revision-hash` (StatefulSet, DaemonSet). Like the real controllers,
 * a 32-bit FNV-1a over the template, printed in decimal and mapped onto the "safe" alphabet
 * (no vowels, no look-alike digits), so names look like `web-7c5ddbdf54`.
 */
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** JSON with sorted keys, so equal templates hash equally whatever order their fields arrived in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function safeEncode(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** Stored templates never change in place, so a template object's hash can be remembered. */
const hashes = new WeakMap<object, string>();

/** The hash of a pod template, ignoring any `pod-template-hash` label already on it. */
export function templateHash(template: unknown, collisionCount = 0): string {
  const key =
    typeof template === "object" && template !== null && collisionCount === 0 ? template : undefined;
  const known = key && hashes.get(key);
  if (known) return known;
  const t = (template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  const labels = t.metadata?.labels;
  let subject: unknown = t;
  if (labels && "pod-template-hash" in labels) {
    const { "pod-template-hash": _ignored, ...rest } = labels;
    subject = { ...t, metadata: { ...t.metadata, labels: rest } };
  }
  const suffix = collisionCount > 0 ? `#${collisionCount}` : "";
  const hash = safeEncode(String(fnv32a(canonicalJson(subject) + suffix)));
  if (key) hashes.set(key, hash);
  return hash;
}
