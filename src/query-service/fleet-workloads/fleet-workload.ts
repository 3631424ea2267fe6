/** A workload grouped across clusters: what FleetWorkloadReads answers for each group. */
import type { CacheEntry } from "../../cache/entry.js";
import type { WorkloadData } from "../../kinds/workloads.js";
import type { FleetWorkloadKey } from "./group-key.js";
import type { FleetWorkloadStatus } from "./group-status.js";

/**
 * How many instances of one group a cluster lists at most, when a placement label groups them
 * (by name, a cluster has one): the bound the query cost prices `instances` at. The status
 * counts them all.
 */
export const MAX_GROUP_INSTANCES_PER_CLUSTER = 10;

export interface FleetWorkload {
  /** Its global id (fleetWorkloadId of its key). */
  id: string;
  key: FleetWorkloadKey;
  /** The readable instances, by cluster then namespace and name; at most MAX_GROUP_INSTANCES_PER_CLUSTER per cluster. */
  instances: CacheEntry<WorkloadData>[];
  /** All its readable instances, listed or not. */
  instanceCount: number;
  /** Worked out when first read: a page of groups ordered by name reads only its own. */
  readonly status: FleetWorkloadStatus;
}
