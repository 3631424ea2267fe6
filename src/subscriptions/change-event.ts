/** What a subscriber receives: one change of one object, or a marker (SYNCED, RESET). */
import type { CacheEntry, CachedKind } from "../cache/entry.js";

export type ChangeEventType = "ADDED" | "UPDATED" | "DELETED" | "SYNCED" | "RESET";

export interface ChangeEvent {
  readonly type: ChangeEventType;
  /** Null on markers. */
  readonly cluster: string | null;
  readonly kind: CachedKind | null;
  /** After the change; on DELETED the object's last state (the schema serves no object then). */
  readonly entry: CacheEntry | undefined;
  /** The resourceVersion of the change; undefined on markers. */
  readonly resourceVersion: string | undefined;
  /** Where the subscriber stands once it has this event: resume `after:` it. */
  readonly cursor: string;
}

/** An object change as the subscription's filter and Scope see it, before it is queued. */
export interface ObjectChange {
  readonly type: "ADDED" | "UPDATED" | "DELETED";
  readonly cluster: string;
  readonly kind: CachedKind;
  readonly entry: CacheEntry;
  readonly resourceVersion: string;
}

/** Two unread changes of one object as one; undefined when they cancel out. */
export function mergeChanges(older: ObjectChange, newer: ObjectChange): ObjectChange | undefined {
  if (older.type === "ADDED") {
    if (newer.type === "DELETED") return undefined;
    return { ...newer, type: "ADDED" };
  }
  if (newer.type === "DELETED") return newer;
  // Updated after an update, or back after leaving the filter: the reader knew it before.
  return { ...newer, type: "UPDATED" };
}

export const changeKey = (change: ObjectChange): string =>
  `${change.cluster}\u0000${change.kind}\u0000${change.entry.uid}`;
