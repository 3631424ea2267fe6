/**
 * The entity-objects question — every object of one service (a label selector) across the fleet,
 * of the types Backstage's Kubernetes tab fetches by default — asked of each server the way its
 * clients ask it: Backstage's POST /services/:serviceId with the entity, Fleetgraph's GraphQL
 * query (one request; a further page for a kind with more than 1,000 matches). Both answers are
 * reduced to the same object keys so that they can be compared, ids aside.
 */
import { postGraphQL } from "../http-client.js";

/** One "service": the payments system, which has objects of most default types in every cluster. */
export const ENTITY_SELECTOR = "app.kubernetes.io/part-of=payments";

/** The most a Fleetgraph connection returns in one page. */
const PAGE = 1000;

/**
 * Backstage's DEFAULT_OBJECTS (plugin-kubernetes-backend), in its order, with where Fleetgraph
 * lists each: a root list, or the workloads list narrowed to one kind. ReplicaSets have no list of
 * their own in Fleetgraph: they are read as the revisions of the Deployments (see REPLICA_SETS).
 */
const TYPES = [
  { objectType: "pods", kind: "Pod", field: "pods" },
  { objectType: "services", kind: "Service", field: "services" },
  { objectType: "configmaps", kind: "ConfigMap", field: "configMaps" },
  { objectType: "limitranges", kind: "LimitRange", field: "limitRanges" },
  { objectType: "resourcequotas", kind: "ResourceQuota", field: "resourceQuotas" },
  { objectType: "deployments", kind: "Deployment", field: "workloads", workloadKind: "DEPLOYMENT" },
  {
    objectType: "horizontalpodautoscalers",
    kind: "HorizontalPodAutoscaler",
    field: "horizontalPodAutoscalers",
  },
  { objectType: "jobs", kind: "Job", field: "workloads", workloadKind: "JOB" },
  { objectType: "cronjobs", kind: "CronJob", field: "workloads", workloadKind: "CRON_JOB" },
  { objectType: "ingresses", kind: "Ingress", field: "ingresses" },
  { objectType: "statefulsets", kind: "StatefulSet", field: "workloads", workloadKind: "STATEFUL_SET" },
  { objectType: "daemonsets", kind: "DaemonSet", field: "workloads", workloadKind: "DAEMON_SET" },
] as const;

type ListedType = (typeof TYPES)[number];

/** Backstage's object type of the ReplicaSets. */
const REPLICA_SETS = { objectType: "replicasets", kind: "ReplicaSet" } as const;

/** Every object type Backstage fetches by default (13 list requests per cluster). */
export const OBJECT_TYPES = [...TYPES.map((t) => t.objectType), REPLICA_SETS.objectType];

const KIND_OF = new Map<string, string>([
  ...TYPES.map((t) => [t.objectType, t.kind] as [string, string]),
  [REPLICA_SETS.objectType, REPLICA_SETS.kind],
]);

/** What the Kubernetes tab shows of an object, besides who it is. */
const OBJECT = "clusterName namespaceName name uid resourceVersion createdAt";
const EXTRA: Partial<Record<ListedType["objectType"], string>> = {
  pods: "phase restarts nodeName",
  deployments: `replicas { desired ready } ... on Deployment { revisions(first: ${PAGE}) { nodes { ${OBJECT} } } }`,
  statefulsets: "replicas { desired ready }",
  daemonsets: "replicas { desired ready }",
};

const alias = (t: ListedType): string => t.objectType;

function filterOf(t: ListedType): string {
  return "workloadKind" in t
    ? `{ labelSelector: $selector, kinds: [${t.workloadKind}] }`
    : "{ labelSelector: $selector }";
}

function listField(t: ListedType, after: boolean): string {
  const args = `first: ${PAGE}${after ? ", after: $after" : ""}, filter: ${filterOf(t)}`;
  return `${alias(t)}: ${t.field}(${args}) {
    pageInfo { hasNextPage endCursor }
    nodes { ${[OBJECT, EXTRA[t.objectType]].filter(Boolean).join(" ")} }
  }`;
}

/** The one query of an answer: the first page of every type. */
export const ENTITY_OBJECTS = `query EntityObjects($selector: String!) {
  ${TYPES.map((t) => listField(t, false)).join("\n  ")}
}`;

/** A further page of one type (more than 1,000 of them match). */
const nextPage = (t: ListedType): string =>
  `query EntityObjectsPage($selector: String!, $after: String!) {
  ${listField(t, true)}
}`;

interface ObjectFields {
  clusterName: string;
  namespaceName: string;
  name: string;
  uid: string;
  resourceVersion: string;
  revisions?: { nodes: ObjectFields[] };
}

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ObjectFields[];
}

export interface FleetgraphAnswer {
  /** Pages by object type, every page of each. */
  pages: Map<string, ObjectFields[]>;
  /** GraphQL requests the answer took (1 + further pages). */
  requests: number;
}

export interface BackstageAnswer {
  items: {
    cluster: { name: string };
    resources: { type: string; resources: { metadata?: Record<string, unknown> }[] }[];
    errors: unknown[];
  }[];
}

/** Every object of the selector through the gateway: the query, then any further pages. */
export async function fleetgraphAnswer(
  url: string,
  headers: Record<string, string>,
  selector: string,
): Promise<FleetgraphAnswer> {
  const first = await postGraphQL<Record<string, Page>>(
    url,
    { query: ENTITY_OBJECTS, variables: { selector } },
    headers,
  );
  let requests = 1;
  const pages = new Map<string, ObjectFields[]>();
  for (const t of TYPES) {
    let page = first[alias(t)]!;
    const nodes = [...page.nodes];
    while (page.pageInfo.hasNextPage) {
      const next = await postGraphQL<Record<string, Page>>(
        url,
        { query: nextPage(t), variables: { selector, after: page.pageInfo.endCursor } },
        headers,
      );
      requests++;
      page = next[alias(t)]!;
      nodes.push(...page.nodes);
    }
    pages.set(t.objectType, nodes);
  }
  return { pages, requests };
}

/** The entity Backstage's Kubernetes tab sends: its label selector in the annotation the plugin reads. */
export function backstageEntity(selector: string): Record<string, unknown> {
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata: {
      name: "payments",
      namespace: "default",
      annotations: { "backstage.io/kubernetes-label-selector": selector },
    },
    spec: { type: "service", lifecycle: "production", owner: "team-payments" },
  };
}

/** Every object of the selector through Backstage: one POST, as its Kubernetes tab makes it. */
export async function backstageAnswer(baseUrl: string, selector: string): Promise<BackstageAnswer> {
  const url = `${baseUrl}/services/payments`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ entity: backstageEntity(selector) }),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as BackstageAnswer;
}

/** "cluster/Kind/namespace/name uid@resourceVersion", sorted: what both servers can say of an object. */
export type ObjectKeys = string[];

const keyOf = (kind: string, o: ObjectFields): string =>
  `${o.clusterName}/${kind}/${o.namespaceName}/${o.name} ${o.uid}@${o.resourceVersion}`;

export function fleetgraphKeys(answer: FleetgraphAnswer): ObjectKeys {
  const keys: string[] = [];
  for (const [objectType, nodes] of answer.pages) {
    const kind = KIND_OF.get(objectType)!;
    for (const o of nodes) {
      keys.push(keyOf(kind, o));
      for (const rs of o.revisions?.nodes ?? []) keys.push(keyOf(REPLICA_SETS.kind, rs));
    }
  }
  return keys.sort();
}

/** Backstage's answer as keys; a cluster's fetch errors make it incomplete, which fails the run. */
export function backstageKeys(answer: BackstageAnswer): ObjectKeys {
  const keys: string[] = [];
  for (const item of answer.items) {
    if (item.errors.length > 0)
      throw new Error(
        `backstage answered with errors for ${item.cluster.name}: ${JSON.stringify(item.errors)}`,
      );
    for (const { type, resources } of item.resources) {
      const kind = KIND_OF.get(type);
      if (!kind) throw new Error(`backstage answered an object type it was not asked for: ${type}`);
      for (const { metadata = {} } of resources)
        keys.push(
          keyOf(kind, {
            clusterName: item.cluster.name,
            namespaceName: String(metadata.namespace),
            name: String(metadata.name),
            uid: String(metadata.uid),
            resourceVersion: String(metadata.resourceVersion),
          }),
        );
    }
  }
  return keys.sort();
}

/** Objects per kind, e.g. {Pod: 2350, Service: 30}. */
export function countByKind(keys: ObjectKeys): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) {
    const kind = key.split("/")[1]!;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Empty when both name the same objects; else what each has that the other lacks (a few of each). */
export function differences(a: ObjectKeys, b: ObjectKeys): { onlyA: string[]; onlyB: string[] } {
  const inB = new Set(b);
  const inA = new Set(a);
  return {
    onlyA: a.filter((k) => !inB.has(k)).slice(0, 5),
    onlyB: b.filter((k) => !inA.has(k)).slice(0, 5),
  };
}
