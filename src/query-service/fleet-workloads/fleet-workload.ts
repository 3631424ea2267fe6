/** A workload grouped across clusters: what FleetWorkloadReads answers for each group. */
import type { CacheEntry } from "../../cache/entry.js";
import type { WorkloadData } from "../../kinds/workloads.js";
import type { FleetWorkloadKey } from "./group-key.js";
import type { FleetWorkloadStatus } from "./group-status.js";

export interface FleetWorkload {
  /** Its global id (fleetWorkloadId of its key). */
  id: string;
  key: FleetWorkloadKey;
  /** The readable instances, by cluster then namespace and name. */
  instances: CacheEntry<WorkloadData>[];
  status: FleetWorkloadStatus;
}
