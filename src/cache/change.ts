/**
 * What the watch caches emit for every change they apply: client-go's informer notifications.
 * A relist (after 410 Expired, or a reconnect that could not resume) is turned into the changes
 * it implies against what the store held (DeltaFIFO's Replace), so a deletion that happened
 * while a watch was down still reaches every listener.
 */
import type { CacheEntry, CachedKind } from "./entry.js";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface CacheChange {
  readonly type: ChangeType;
  readonly cluster: string;
  readonly kind: CachedKind;
  /** After the change; on DELETED the object's last state. */
  readonly entry: CacheEntry;
  /** Before the change; undefined on ADDED. */
  readonly previous: CacheEntry | undefined;
  /**
   * The store's resourceVersion once this change is applied: the event's, or the relist's for
   * the changes a relist implies.
   */
  readonly resourceVersion: string;
}

export type ChangeListener = (change: CacheChange) => void;
