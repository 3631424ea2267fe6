/**
 * Field numbers of the policy group's messages (k8s.io/api/policy/v1 and v1beta1 generated.proto,
 * DeleteOptions from apimachinery): what `kubectl create poddisruptionbudget` and the evictions
 * of `kubectl drain` send.
 */
import type { MessageSchema } from "./wire.js";
import { message, metadata, str, strs } from "./schemas.js";

const LABEL_SELECTOR = message("LabelSelector", {
  1: { name: "matchLabels", type: "string", map: true },
  2: {
    name: "matchExpressions",
    repeated: true,
    type: message("LabelSelectorRequirement", { 1: str("key"), 2: str("operator"), 3: strs("values") }),
  },
});

const DELETE_OPTIONS = message("DeleteOptions", {
  1: { name: "gracePeriodSeconds", type: "int" },
  2: {
    name: "preconditions",
    type: message("Preconditions", { 1: str("uid"), 2: str("resourceVersion") }),
  },
  3: { name: "orphanDependents", type: "bool" },
  4: str("propagationPolicy"),
  5: strs("dryRun"),
  6: { name: "ignoreStoreReadErrorWithClusterBreakingPotential", type: "bool" },
});

const EVICTION = message("Eviction", {
  1: metadata,
  2: { name: "deleteOptions", type: DELETE_OPTIONS },
});

const DISRUPTION_BUDGET = message("PodDisruptionBudget", {
  1: metadata,
  2: {
    name: "spec",
    type: message("PodDisruptionBudgetSpec", {
      1: { name: "minAvailable", type: "intOrString" },
      2: { name: "selector", type: LABEL_SELECTOR },
      3: { name: "maxUnavailable", type: "intOrString" },
      4: str("unhealthyPodEvictionPolicy"),
    }),
  },
  // Clients send an empty status with a new budget; the API server drops it anyway.
  3: {
    name: "status",
    type: message("PodDisruptionBudgetStatus", {
      1: { name: "observedGeneration", type: "int" },
      2: { name: "disruptedPods", type: "time", map: true },
      3: { name: "disruptionsAllowed", type: "int" },
      4: { name: "currentHealthy", type: "int" },
      5: { name: "desiredHealthy", type: "int" },
      6: { name: "expectedPods", type: "int" },
      7: {
        name: "conditions",
        repeated: true,
        type: message("Condition", {
          1: str("type"),
          2: str("status"),
          3: { name: "observedGeneration", type: "int" },
          4: { name: "lastTransitionTime", type: "time" },
          5: str("reason"),
          6: str("message"),
        }),
      },
    }),
  },
});

export const POLICY_SCHEMAS: Record<string, MessageSchema> = {
  "policy/v1/Eviction": EVICTION,
  "policy/v1beta1/Eviction": EVICTION,
  "policy/v1/PodDisruptionBudget": DISRUPTION_BUDGET,
};
