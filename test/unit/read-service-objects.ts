/**
 * Plausible Kubernetes objects for the read-service and resolver tests, per cluster: namespaces
 * default, shop (workspace "retail"), kube-system; two nodes; in shop a Deployment "web"
 * (ReplicaSet -> `webReplicas` pods), a StatefulSet "db" (2 pods, one stuck Pending) and a
 * Service; in kube-system a DaemonSet "agent" (a pod per node); in default a CronJob "report" ->
 * Job -> pod, and a bare unscheduled pod; Warning and Normal events.
 */
import type { CachedKind } from "../../src/cache/entry.js";
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterInfo } from "../../src/query-service/index.js";

export const CLUSTERS: ClusterInfo[] = [
  { name: "eu-1", displayName: "Frankfurt production", labels: { region: "eu", env: "prod" } },
  { name: "us-1", displayName: "Virginia production", labels: { region: "us", env: "prod" } },
  { name: "dev-1", displayName: "Dublin dev", labels: { region: "eu", env: "dev" } },
];

export const T0 = Date.parse("2026-01-01T00:00:00Z");
let clock = 0;
/** Creation times increase in build order, one minute apart. */
const created = () => new Date(T0 + clock++ * 60_000).toISOString();

type Meta = { name: string; namespace?: string; labels?: Record<string, string>; owner?: KubeObject };

function meta(cluster: string, kind: string, m: Meta): KubeObject["metadata"] {
  return {
    name: m.name,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    uid: `${cluster}-${kind}-${m.namespace ?? ""}-${m.name}`.toLowerCase(),
    resourceVersion: String(100 + clock),
    creationTimestamp: created(),
    labels: m.labels ?? {},
    ...(m.owner
      ? {
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: m.owner.kind!,
              name: m.owner.metadata.name!,
              uid: m.owner.metadata.uid!,
              controller: true,
            },
          ],
        }
      : {}),
  };
}

export interface PodSpec {
  name: string;
  namespace: string;
  node: string | undefined;
  owner?: KubeObject;
  phase?: string;
  restarts?: number;
  ready?: boolean;
  labels?: Record<string, string>;
}

function pod(cluster: string, p: PodSpec): KubeObject {
  const ready = p.ready ?? p.phase !== "Pending";
  return {
    kind: "Pod",
    metadata: meta(cluster, "Pod", {
      name: p.name,
      namespace: p.namespace,
      labels: p.labels,
      owner: p.owner,
    }),
    spec: {
      nodeName: p.node,
      containers: [{ name: "main", image: `registry.example/${p.name.split("-")[0]}:1.0` }],
    },
    status: {
      phase: p.phase ?? "Running",
      podIP: "10.0.0.1",
      startTime: "2026-01-02T00:00:00Z",
      containerStatuses: [
        {
          name: "main",
          ready,
          restartCount: p.restarts ?? 0,
          state: ready
            ? { running: { startedAt: "2026-01-02T00:00:05Z" } }
            : { waiting: { reason: "CrashLoopBackOff" } },
        },
      ],
    },
  };
}

function workload(cluster: string, kind: string, m: Meta, spec: object, status: object): KubeObject {
  return {
    kind,
    metadata: { ...meta(cluster, kind, m), generation: 2 },
    spec: {
      selector: { matchLabels: { app: m.name } },
      template: { spec: { containers: [{ name: "main", image: `registry.example/${m.name}:1.0` }] } },
      ...spec,
    },
    status: { observedGeneration: 2, conditions: [{ type: "Available", status: "True" }], ...status },
  };
}

function node(cluster: string, name: string, cpu: string, memory: string, ready: boolean): KubeObject {
  return {
    kind: "Node",
    metadata: meta(cluster, "Node", { name, labels: { "node-role.kubernetes.io/worker": "" } }),
    spec: {},
    status: {
      capacity: { cpu: "4", memory: "16Gi", pods: "110" },
      allocatable: { cpu, memory, pods: "110" },
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      nodeInfo: { kubeletVersion: "v1.32.1", architecture: "amd64", osImage: "Debian" },
      addresses: [{ type: "InternalIP", address: "192.168.0.10" }],
    },
  };
}

function event(
  cluster: string,
  name: string,
  involved: KubeObject,
  type: string,
  reason: string,
): KubeObject {
  return {
    kind: "Event",
    metadata: meta(cluster, "Event", { name, namespace: involved.metadata.namespace }),
    involvedObject: {
      kind: involved.kind,
      name: involved.metadata.name,
      namespace: involved.metadata.namespace,
      uid: involved.metadata.uid,
    },
    type,
    reason,
    message: `${reason} for ${involved.metadata.name}`,
    count: 3,
    firstTimestamp: "2026-01-03T00:00:00Z",
    lastTimestamp: "2026-01-03T01:00:00Z",
    source: { component: "kubelet" },
  };
}

/** Every object of one cluster, as [kind, object]. */
export function clusterObjects(cluster: string, webReplicas = 3): [CachedKind, KubeObject][] {
  const out: [CachedKind, KubeObject][] = [];
  const add = (kind: CachedKind, o: KubeObject) => (out.push([kind, o]), o);
  for (const ns of ["default", "shop", "kube-system"]) {
    add("Namespace", {
      kind: "Namespace",
      metadata: meta(cluster, "Namespace", {
        name: ns,
        labels: ns === "shop" ? { "kubesphere.io/workspace": "retail" } : {},
      }),
      status: { phase: "Active" },
    });
  }
  const nodes = [`${cluster}-node-a`, `${cluster}-node-b`];
  add("Node", node(cluster, nodes[0]!, "3800m", "15.5Gi", true));
  add("Node", node(cluster, nodes[1]!, "3800m", "15.5Gi", cluster !== "dev-1"));

  const web = add(
    "Deployment",
    workload(
      cluster,
      "Deployment",
      { name: "web", namespace: "shop", labels: { app: "web", tier: "front" } },
      { replicas: webReplicas },
      {
        readyReplicas: webReplicas,
        availableReplicas: webReplicas,
        updatedReplicas: webReplicas,
      },
    ),
  );
  const rs = add(
    "ReplicaSet",
    workload(
      cluster,
      "ReplicaSet",
      { name: "web-7d9f", namespace: "shop", owner: web },
      { replicas: webReplicas },
      {
        readyReplicas: webReplicas,
        availableReplicas: webReplicas,
      },
    ),
  );
  for (let i = 0; i < webReplicas; i++) {
    const name = `web-7d9f-${String(i).padStart(3, "0")}`;
    add(
      "Pod",
      pod(cluster, {
        name,
        namespace: "shop",
        node: nodes[i % 2],
        owner: rs,
        labels: { app: "web" },
        restarts: i % 4,
      }),
    );
  }
  const db = add(
    "StatefulSet",
    workload(
      cluster,
      "StatefulSet",
      { name: "db", namespace: "shop", labels: { app: "db" } },
      { replicas: 2 },
      {
        readyReplicas: 1,
        availableReplicas: 1,
        updatedReplicas: 2,
      },
    ),
  );
  add(
    "Pod",
    pod(cluster, {
      name: "db-0",
      namespace: "shop",
      node: nodes[0],
      owner: db,
      labels: { app: "db" },
      restarts: 7,
    }),
  );
  const stuck = add(
    "Pod",
    pod(cluster, {
      name: "db-1",
      namespace: "shop",
      node: nodes[1],
      owner: db,
      labels: { app: "db" },
      phase: "Pending",
      ready: false,
    }),
  );
  const agent = add(
    "DaemonSet",
    workload(
      cluster,
      "DaemonSet",
      { name: "agent", namespace: "kube-system", labels: { app: "agent" } },
      {},
      {
        desiredNumberScheduled: 2,
        numberReady: 2,
        numberAvailable: 2,
        updatedNumberScheduled: 2,
      },
    ),
  );
  for (const n of nodes)
    add(
      "Pod",
      pod(cluster, { name: `agent-${n.slice(-1)}`, namespace: "kube-system", node: n, owner: agent }),
    );
  const cron = add("CronJob", {
    kind: "CronJob",
    metadata: meta(cluster, "CronJob", { name: "report", namespace: "default" }),
    spec: {
      schedule: "0 * * * *",
      jobTemplate: { spec: { template: { spec: { containers: [{ name: "r", image: "report:1" }] } } } },
    },
    status: { lastScheduleTime: "2026-01-04T00:00:00Z" },
  });
  const job = add(
    "Job",
    workload(
      cluster,
      "Job",
      { name: "report-29000", namespace: "default", owner: cron },
      { completions: 1 },
      {
        succeeded: 1,
        completionTime: "2026-01-04T00:01:00Z",
      },
    ),
  );
  add(
    "Pod",
    pod(cluster, {
      name: "report-29000-x1",
      namespace: "default",
      node: nodes[0],
      owner: job,
      phase: "Succeeded",
      ready: false,
    }),
  );
  add(
    "Pod",
    pod(cluster, { name: "debug", namespace: "default", node: undefined, phase: "Pending", ready: false }),
  );
  add("Service", {
    kind: "Service",
    metadata: meta(cluster, "Service", { name: "web", namespace: "shop", labels: { app: "web" } }),
    spec: {
      type: "ClusterIP",
      clusterIP: "10.96.0.10",
      selector: { app: "web" },
      ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
    },
  });
  add("Event", event(cluster, "db-1.backoff", stuck, "Warning", "BackOff"));
  add("Event", event(cluster, "web.scaled", web, "Normal", "ScalingReplicaSet"));
  return out;
}
