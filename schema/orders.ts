/**
 * One order input per list (GitHub's style: `orderBy: { field: LAST_SEEN, direction: DESC }`),
 * each with the fields that make sense for its kind. Ties are always broken by cluster,
 * namespace, name and uid, so every order is total and pages are stable.
 */
import { Field, InputType, registerEnumType, type ClassType } from "type-graphql";
import { OrderDirection } from "./enums.js";
import { ClusterNodeMetric, NamespaceMetric, PodMetric, WorkloadMetric } from "./metrics.js";

const BUILT_IN = {
  NAME: "By name.",
  NAMESPACE: "By namespace name.",
  CLUSTER: "By cluster name, then namespace and name (how kubectl groups).",
  CREATED: "By creation time (metadata.creationTimestamp).",
} as const;

interface OrderField {
  field: string;
  direction: OrderDirection;
}

/** An order by a field or, for lists of objects with metrics, by one of their metrics. */
interface OrderFieldOrMetric {
  field?: string | null;
  metric?: string | null;
  direction: OrderDirection;
}

/**
 * The order input of a list whose objects have metrics: `field` or `metric` (read from
 * Prometheus for every object the list could show, within the caller's Scope).
 */
function metricOrder(
  type: string,
  fields: Readonly<Record<string, string>>,
  metrics: object,
  defaultOrder: string,
): ClassType<OrderFieldOrMetric> {
  const values = orderFieldEnum(type, fields);
  @InputType(`${type}Order`, {
    description: `The order of a ${type} list: by \`field\` or by \`metric\` (one of them). Default: ${defaultOrder}.`,
  })
  class OrderInput implements OrderFieldOrMetric {
    @Field(() => values, { nullable: true, description: "What to order by." })
    field?: string | null;

    @Field(() => metrics, {
      nullable: true,
      description: "A metric to order by, from Prometheus; objects without a value come last.",
    })
    metric?: string | null;

    @Field(() => OrderDirection, {
      defaultValue: OrderDirection.ASC,
      description: "ASC unless said otherwise.",
    })
    direction!: OrderDirection;
  }
  return OrderInput;
}

function orderFieldEnum(type: string, fields: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = Object.fromEntries(Object.keys(fields).map((k) => [k, k]));
  registerEnumType(values, {
    name: `${type}OrderField`,
    description: `What ${type} lists can be ordered by.`,
    valuesConfig: Object.fromEntries(Object.entries(fields).map(([k, d]) => [k, { description: d }])),
  });
  return values;
}

/** The enum of a list's order fields and its input type, `<Type>Order { field, direction }`. */
function order(
  type: string,
  fields: Readonly<Record<string, string>>,
  defaultOrder: string,
): { fields: Record<string, string>; input: ClassType<OrderField> } {
  const values = orderFieldEnum(type, fields);

  @InputType(`${type}Order`, { description: `The order of a ${type} list. Default: ${defaultOrder}.` })
  class OrderInput implements OrderField {
    @Field(() => values, { description: "What to order by." })
    field!: string;

    @Field(() => OrderDirection, {
      defaultValue: OrderDirection.ASC,
      description: "ASC unless said otherwise.",
    })
    direction!: OrderDirection;
  }
  return { fields: values, input: OrderInput };
}

const { NAME, NAMESPACE, CLUSTER, CREATED } = BUILT_IN;
const namespaced = { NAME, NAMESPACE, CLUSTER, CREATED };
const clusterScoped = { NAME, CLUSTER, CREATED };

export const ClusterOrder = order("Cluster", { NAME: "By name." }, "NAME ASC").input;
export const WorkspaceOrder = order("Workspace", { NAME: "By name." }, "NAME ASC").input;
export const NamespaceOrder = metricOrder("Namespace", clusterScoped, NamespaceMetric, "CLUSTER ASC");
export const ClusterNodeOrder = metricOrder("ClusterNode", clusterScoped, ClusterNodeMetric, "CLUSTER ASC");
export const WorkloadOrder = metricOrder(
  "Workload",
  { ...namespaced, KIND: "By kind (CronJob, DaemonSet, Deployment, Job, StatefulSet)." },
  WorkloadMetric,
  "CLUSTER ASC",
);
export const ReplicaSetOrder = order(
  "ReplicaSet",
  { ...namespaced, REVISION: "By revision number." },
  "CLUSTER ASC",
).input;
export const PodOrder = metricOrder(
  "Pod",
  {
    ...namespaced,
    RESTARTS: "By container restarts, summed over the pod's containers.",
    PHASE: "By phase name.",
  },
  PodMetric,
  "CLUSTER ASC",
);
export const ServiceOrder = order("Service", namespaced, "CLUSTER ASC").input;
export const EventOrder = order(
  "Event",
  {
    LAST_SEEN: "By when it last happened (its creation when unknown).",
    FIRST_SEEN: "By when it first happened.",
    COUNT: "By how often it happened.",
    ...namespaced,
  },
  "LAST_SEEN DESC (the latest first)",
).input;

/** The order of a namespaced kind with no orders of its own (ConfigMap, Ingress, ...). */
export function namespacedOrder(type: string): ClassType<OrderField> {
  return order(type, namespaced, "CLUSTER ASC").input;
}

/** The order of a cluster-scoped kind with no orders of its own (PersistentVolume, ...). */
export function clusterScopedOrder(type: string): ClassType<OrderField> {
  return order(type, clusterScoped, "CLUSTER ASC").input;
}

export type { OrderField };

export const IngressOrder = namespacedOrder("Ingress");
export const ConfigMapOrder = namespacedOrder("ConfigMap");
export const SecretOrder = namespacedOrder("Secret");
export const ServiceAccountOrder = namespacedOrder("ServiceAccount");
export const PersistentVolumeClaimOrder = namespacedOrder("PersistentVolumeClaim");
export const PersistentVolumeOrder = clusterScopedOrder("PersistentVolume");
export const StorageClassOrder = clusterScopedOrder("StorageClass");
export const HorizontalPodAutoscalerOrder = namespacedOrder("HorizontalPodAutoscaler");
export const ResourceQuotaOrder = namespacedOrder("ResourceQuota");
export const LimitRangeOrder = namespacedOrder("LimitRange");

export const FleetWorkloadOrder = order(
  "FleetWorkload",
  {
    NAME: "By name, then namespace.",
    CLUSTERS_AFFECTED: "By how many clusters need a look: missing, degraded, rolling out or drifted.",
    READINESS: "By ready over desired replicas, summed over its instances (1 when none are desired).",
  },
  "NAME ASC",
).input;
