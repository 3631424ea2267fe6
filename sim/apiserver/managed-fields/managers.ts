/**
 * The managedFields entries of an object as records with field sets, and back. A manager is
 * identified as the real server does it: name, operation, subresource, and for Update entries the
 * apiVersion too (an applier keeps one Apply entry whatever version it applies with).
 */
import { isJsonObject, type KubeObject } from "../../../src/kube/object.js";
import { decodeFieldsV1, encodeFieldsV1 } from "./fields-v1.js";

export type Operation = "Apply" | "Update";

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  subresource: string;
  fields: Set<string>;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: object;
  subresource?: string;
}

export function sameManager(
  a: Omit<Manager, "fields" | "time">,
  b: Omit<Manager, "fields" | "time">,
): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    a.subresource === b.subresource &&
    (a.operation === "Apply" || a.apiVersion === b.apiVersion)
  );
}

export function decodeManagers(entries: unknown): Manager[] {
  if (!Array.isArray(entries)) return [];
  const out: Manager[] = [];
  for (const entry of entries) {
    if (!isJsonObject(entry) || typeof entry.manager !== "string") continue;
    out.push({
      manager: entry.manager,
      operation: entry.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof entry.apiVersion === "string" ? entry.apiVersion : "",
      time: typeof entry.time === "string" ? entry.time : "",
      subresource: typeof entry.subresource === "string" ? entry.subresource : "",
      fields: decodeFieldsV1(entry.fieldsV1),
    });
  }
  return out;
}

/** Entries in the real server's order (Apply before Update, then oldest first, then by name); empty sets are dropped. */
export function encodeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((m) => m.fields.size > 0)
    .sort(
      (p, q) =>
        compare(p.operation, q.operation) ||
        compare(p.time, q.time) ||
        compare(p.manager, q.manager) ||
        compare(p.apiVersion, q.apiVersion) ||
        compare(p.subresource, q.subresource),
    )
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: "FieldsV1",
      fieldsV1: encodeFieldsV1(m.fields),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Stores `managers` in `next`. A write that changes nothing but managers' timestamps changes
 * nothing at all (the real server's IgnoreManagedFieldsTimestampsTransformer): then the stored
 * entries are kept as they were, and the store sees a no-op.
 */
export function storeManagers(
  previous: KubeObject | undefined,
  next: KubeObject,
  managers: readonly Manager[],
): KubeObject {
  const entries = encodeManagers(managers);
  const metadata = { ...next.metadata };
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  const stored = { ...next, metadata };
  const before = previous?.metadata.managedFields;
  if (!previous || !before || entries.length === 0) return stored;
  const { managedFields: _p, ...previousMeta } = previous.metadata;
  const { managedFields: _n, ...nextMeta } = metadata;
  if (
    JSON.stringify({ ...previous, metadata: previousMeta }) ===
      JSON.stringify({ ...next, metadata: nextMeta }) &&
    withoutTimes(before) === withoutTimes(entries)
  ) {
    return { ...next, metadata: { ...metadata, managedFields: before } };
  }
  return stored;
}

function withoutTimes(entries: readonly unknown[]): string {
  return JSON.stringify(entries.map((e) => JSON.stringify({ ...(e as object), time: "" })).sort());
}

/** RFC 3339 at second precision, as metav1.Time is serialised. */
export function managedTime(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}
