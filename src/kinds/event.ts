/** Kubernetes Events (core/v1), ordered by when they were last or first seen, or how often. */
import type { CacheEntry } from "../cache/entry.js";
import { intern } from "../cache/intern.js";
import { obj, str, time } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, given, oneOf, type KindDescriptor } from "./descriptor.js";

export interface EventData {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  involvedKind: string;
  involvedName: string;
  involvedNamespace: string;
  involvedUid: string | undefined;
  source: string | undefined;
}

export interface EventListFilter {
  types?: string[] | null;
  reasons?: string[] | null;
  involvedKind?: string | null;
  involvedName?: string | null;
  involvedUid?: string | null;
}

export function eventData(o: KubeObject): EventData {
  const involved = obj(o.involvedObject);
  const source = obj(o.source);
  return {
    type: intern(str(o.type) ?? "Normal"),
    reason: intern(str(o.reason) ?? ""),
    message: str(o.message) ?? "",
    count: typeof o.count === "number" ? o.count : 1,
    firstTimestamp: time(o.firstTimestamp ?? o.eventTime),
    lastTimestamp: time(o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp),
    involvedKind: intern(str(involved.kind) ?? ""),
    involvedName: str(involved.name) ?? "",
    involvedNamespace: intern(str(involved.namespace) ?? ""),
    involvedUid: str(involved.uid),
    source: str(source.component) ?? str(o.reportingComponent),
  };
}

const data = (e: CacheEntry) => e.data as EventData;
/** Events without the time fall back to creation: every event then has a place in the order. */
const seen = (t: number | undefined, e: CacheEntry) => t ?? e.created;

export const EVENT: KindDescriptor<EventData, EventListFilter> = {
  kind: "Event",
  graphqlType: "Event",
  list: "Event",
  path: corePath("events"),
  project: eventData,
  indexes: { involvedUid: (e) => e.data.involvedUid },
  // What a console shows first: the latest.
  defaultOrder: { field: "LAST_SEEN", direction: "DESC" },
  orderKeys: {
    LAST_SEEN: (e) => seen(e.data.lastTimestamp, e),
    FIRST_SEEN: (e) => seen(e.data.firstTimestamp, e),
    COUNT: (e) => e.data.count,
  },
  predicate: (filter) =>
    allOf([
      oneOf(filter.types, (e) => data(e).type),
      oneOf(filter.reasons, (e) => data(e).reason),
      given(filter.involvedKind) && ((e) => data(e).involvedKind === filter.involvedKind),
      given(filter.involvedName) && ((e) => data(e).involvedName === filter.involvedName),
      given(filter.involvedUid) && ((e) => data(e).involvedUid === filter.involvedUid),
    ]),
};
