import type { OwnerRef } from "./entry.js";

/**
 * String and label-set interning for cached objects: across a fleet the same label keys and
 * values, images, node and namespace names repeat tens of thousands of times, and every pod of a
 * ReplicaSet carries the same label set; strings from JSON.parse are not shared by V8. The pools
 * are bounded so that unique values cannot grow them without limit.
 */
const MAX_STRINGS = 200_000;
const MAX_RECORDS = 50_000;
const MAX_OWNERS = 100_000;
let strings = new Map<string, string>();
let records = new Map<string, Readonly<Record<string, string>>>();
let owners = new Map<string, Readonly<OwnerRef>>();

export function intern(value: string): string {
  const existing = strings.get(value);
  if (existing !== undefined) return existing;
  if (strings.size >= MAX_STRINGS) strings = new Map();
  strings.set(value, value);
  return value;
}

/** One shared, frozen object per distinct label set (same keys in the same order, same values). */
export function internRecord(record: Record<string, string>): Readonly<Record<string, string>> {
  let id = "";
  for (const key of Object.keys(record)) id += `${key}\u0000${record[key]!}\u0001`;
  const existing = records.get(id);
  if (existing !== undefined) return existing;
  const out: Record<string, string> = {};
  for (const key of Object.keys(record)) out[intern(key)] = intern(record[key]!);
  Object.freeze(out);
  if (records.size >= MAX_RECORDS) records = new Map();
  records.set(id, out);
  return out;
}

/** One shared, frozen owner reference per owner uid: every pod of a ReplicaSet names the same one. */
export function internOwner(kind: string, name: string, uid: string): Readonly<OwnerRef> {
  const existing = owners.get(uid);
  if (existing !== undefined && existing.name === name && existing.kind === kind) return existing;
  const ref = Object.freeze({ kind: intern(kind), name, uid });
  if (owners.size >= MAX_OWNERS) owners = new Map();
  owners.set(uid, ref);
  return ref;
}

const MAX_SHAPES = 50_000;
let shapes = new Map<string, unknown>();

/**
 * One shared, deeply frozen copy per distinct JSON value: the resources, ports and taints of a
 * pod template repeat on every pod it makes, so each pod holds a pointer instead of a copy.
 */
export function internShape<T>(value: T): T {
  const id = JSON.stringify(value);
  const existing = shapes.get(id);
  if (existing !== undefined) return existing as T;
  deepFreeze(value);
  if (shapes.size >= MAX_SHAPES) shapes = new Map();
  shapes.set(id, value);
  return value;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  for (const v of Object.values(value)) deepFreeze(v);
  Object.freeze(value);
}
