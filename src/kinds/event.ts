/** Kubernetes Events (core/v1), ordered by when they were last or first seen, or how often. */
import type { CacheEntry } from "../cache/entry.js";
import { intern } from "../cache/intern.js";
import { obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, given, oneOf, type KindDescriptor } from "./descriptor.js";
import { atOffset, createdOf, offsetOf, type ObjectTime } from "./shared.js";

export interface EventData {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** Seconds after the event's creation (see ObjectTime). */
  firstTimestamp: ObjectTime;
  lastTimestamp: ObjectTime;
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
  const created = createdOf(o);
  const involved = obj(o.involvedObject);
  const source = obj(o.source);
  return {
    type: intern(str(o.type) ?? "Normal"),
    reason: intern(str(o.reason) ?? ""),
    message: str(o.message) ?? "",
    count: typeof o.count === "number" ? o.count : 1,
    firstTimestamp: offsetOf(created, o.firstTimestamp ?? o.eventTime),
    lastTimestamp: offsetOf(created, o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp),
    involvedKind: intern(str(involved.kind) ?? ""),
    involvedName: str(involved.name) ?? "",
    involvedNamespace: intern(str(involved.namespace) ?? ""),
    involvedUid: str(involved.uid),
    source: str(source.component) ?? str(o.reportingComponent),
  };
}

const data = (e: CacheEntry) => e.data as EventData;
/** Events without the time fall back to creation: every event then has a place in the order. */
const seen = (t: ObjectTime, e: CacheEntry) => atOffset(e.created, t) ?? e.created;

export const EVENT: KindDescriptor<EventData, EventListFilter> = {
  kind: "Event",
  graphqlType: "Event",
  list: "Event",
  path: corePath("events"),
  project: eventData,
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
