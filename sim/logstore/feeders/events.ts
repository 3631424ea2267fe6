/**
 * Kubernetes events into the store, as an event exporter ships them: every Event object the
 * cluster's store holds at start, then each one as it is added or modified (an aggregated event
 * whose count goes up is shipped again, as the exporter's watch sees it again). The document is the
 * core/v1 Event JSON plus `cluster`, in the daily index of its lastTimestamp (eventTime, then
 * firstTimestamp, when it has none). Its id is `<uid>.<resourceVersion>`, so a re-delivery
 * overwrites instead of duplicating.
 */
import type { KubeObject } from "../../../src/kube/object.js";
import { EVENTS } from "../../controllers/resources.js";
import type { ClusterStore } from "../../store/cluster-store.js";
import type { LogStore } from "../log-store.js";
import { dailyIndex, EVENTS_INDEX_PREFIX } from "./index-layout.js";

export class EventFeeder {
  private pending: KubeObject[];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly clusterName: string,
    store: ClusterStore,
    private readonly logStore: LogStore,
  ) {
    this.pending = store.all(EVENTS);
    this.unsubscribe = store.onChange((change) => {
      if (change.resource === EVENTS && change.type !== "DELETED") this.pending.push(change.object);
    });
  }

  tick(): number {
    const batch = this.pending;
    this.pending = [];
    for (const event of batch) {
      const stamp = [
        event.lastTimestamp,
        event.eventTime,
        event.firstTimestamp,
        event.metadata.creationTimestamp,
      ].find((t): t is string => typeof t === "string" && t !== "");
      const time = stamp ? Date.parse(stamp) : Date.now();
      const { lastTimestamp, ...rest } = event;
      this.logStore.write(
        dailyIndex(EVENTS_INDEX_PREFIX, time),
        `${event.metadata.uid}.${event.metadata.resourceVersion}`,
        {
          ...rest,
          lastTimestamp:
            typeof lastTimestamp === "string" && lastTimestamp ? lastTimestamp : new Date(time).toISOString(),
          cluster: this.clusterName,
        },
        "index",
      );
    }
    return batch.length;
  }

  stop(): void {
    this.unsubscribe();
  }
}
