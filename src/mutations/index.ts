/** Operations on the fleet's objects as services that know no GraphQL (docs/mutations.md). */
export { IdempotencyKeys, IDEMPOTENCY_TTL_MS } from "./idempotency.js";
export {
  DEFAULT_MUTATION_SETTINGS,
  MutationPipeline,
  READ_YOUR_WRITES_MS,
  type Connections,
  type MutationCaller,
  type MutationSettings,
  type Operation,
} from "./run.js";
export { MAX_MUTATION_TARGETS, type MutationTarget } from "./targets.js";
export { MAX_REPLICAS } from "./workload-scale.js";
export {
  WorkloadMutations,
  type MutationInputBase,
  type WorkloadRollbackInput,
  type WorkloadSelection,
  type WorkloadScaleInput,
} from "./workloads.js";
export type { MutationOutcome, MutationResult, MutationStatus, UserErrorRecord } from "./outcome.js";
export { MutationServices } from "./services.js";
export {
  PodAndNodeMutations,
  type NodeCordonInput,
  type NodeDrainInput,
  type PodDeleteInput,
} from "./pods-and-nodes.js";
