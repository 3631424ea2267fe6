/**
 * The base of every cached object's view: fields read from the cache entry when a client
 * selects them (a page of pods builds one small object per pod instead of every field's value).
 * Every view keeps its entry (not a GraphQL field) so relation resolvers start from the cached
 * object, and carries a __typename, which is how the interfaces resolve (src/server/schema.ts).
 */
import { versionText, type CacheEntry } from "../../src/cache/entry.js";
import { objectId } from "../../src/query-service/index.js";
import type { Condition } from "../../schema/common.js";
import { ConditionStatus, knownOr } from "../../schema/enums.js";
import type { Label } from "../../schema/label.js";
import type { ConditionView } from "../../src/kinds/index.js";

export interface Viewed<D = unknown> {
  readonly __typename: string;
  readonly entry: CacheEntry<D>;
}

/** The projections use undefined (and 0 for a missing time) where GraphQL has null. */
export const date = (ms: number | undefined): Date | null =>
  ms === undefined || ms === 0 || Number.isNaN(ms) ? null : new Date(ms);

export function labelList(labels: Readonly<Record<string, string>>): Label[] {
  const list: Label[] = [];
  for (const key in labels) list.push({ key, value: labels[key]! });
  return list;
}

export function conditionList(list: readonly ConditionView[]): Condition[] {
  return list.map((c) => ({
    type: c.type,
    status: knownOr(ConditionStatus, c.status),
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastTransitionTime: date(c.lastTransitionTime),
  }));
}

export abstract class EntryView<D> implements Viewed<D> {
  abstract readonly __typename: string;

  constructor(readonly entry: CacheEntry<D>) {}

  get id(): string {
    return objectId(this.entry.kind, this.entry.cluster, this.entry.uid);
  }
  get clusterName(): string {
    return this.entry.cluster;
  }
  get namespaceName(): string {
    return this.entry.namespace;
  }
  get name(): string {
    return this.entry.name;
  }
  get uid(): string {
    return this.entry.uid;
  }
  get labels(): Label[] {
    return labelList(this.entry.labels);
  }
  get createdAt(): Date {
    return new Date(this.entry.created);
  }
  get resourceVersion(): string {
    return versionText(this.entry.resourceVersion);
  }
}
