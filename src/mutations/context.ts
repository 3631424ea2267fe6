/** What the request context adds for mutations (the composition root fills it in). */
import type { WorkloadMutations } from "./index.js";

export interface MutationContext {
  /** Scale and restart of workloads; absent where the server serves no mutations. */
  workloadMutations?: WorkloadMutations;
}
