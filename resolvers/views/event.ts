import type { CacheEntry } from "../../src/cache/entry.js";
import { atOffset, type EventData } from "../../src/kinds/index.js";
import { EventType, knownOr } from "../../schema/enums.js";
import type { InvolvedObject, KubeEvent } from "../../schema/event.js";
import { date, EntryView, type Viewed } from "./entry-view.js";

export type EventView = KubeEvent & Viewed<EventData>;
/** The event is only asked for its cluster: a live event's cache entry, or an event-history entry. */
export type InvolvedObjectView = InvolvedObject & { event: Pick<CacheEntry<EventData>, "cluster"> };

class EventEntryView extends EntryView<EventData> implements EventView {
  readonly __typename = "Event";

  get type(): EventType {
    return knownOr(EventType, this.entry.data.type);
  }
  get reason(): string {
    return this.entry.data.reason;
  }
  get message(): string {
    return this.entry.data.message;
  }
  get count(): number {
    return this.entry.data.count;
  }
  get firstTimestamp(): Date | null {
    return date(atOffset(this.entry.created, this.entry.data.firstTimestamp));
  }
  get lastTimestamp(): Date | null {
    return date(atOffset(this.entry.created, this.entry.data.lastTimestamp));
  }
  get involvedObject(): InvolvedObjectView {
    const d = this.entry.data;
    return {
      kind: d.involvedKind,
      name: d.involvedName,
      namespaceName: d.involvedNamespace,
      uid: d.involvedUid ?? null,
      event: this.entry,
    };
  }
  get source(): string | null {
    return this.entry.data.source ?? null;
  }
}

export function eventView(entry: CacheEntry<EventData>): EventView {
  return new EventEntryView(entry);
}
