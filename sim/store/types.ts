/** The store's public shapes: events, watch and list options and results. */
import type { KubeObject } from "../../src/kube/object.js";
import type { ResourceKind } from "../kinds.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceKind;
  /** The object after the change (for DELETED, the object as deleted, with the deletion's revision). */
  object: KubeObject;
  /** The object before the change; undefined for ADDED. */
  prev: KubeObject | undefined;
  revision: number;
}

export type Predicate = (obj: KubeObject) => boolean;

export interface WatchOptions {
  namespace?: string;
  predicate?: Predicate;
  /** Replay changes after this revision; undefined = start now (no replay). */
  fromRevision?: number;
}

export interface ListOptions {
  namespace?: string;
  predicate?: Predicate;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  revision: number;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface StoreOptions {
  clusterName: string;
  /** How many changes the store keeps for watches and continue tokens. */
  historySize?: number;
  now?: () => Date;
}
