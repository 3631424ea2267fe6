/**
 * The raw material of a generated fleet: cloud regions, machine types, namespaces grouped into
 * workspaces, and the workloads a typical company runs. Plain data, no logic.
 */

export type Provider = "aws" | "gcp" | "azure";
export type Environment = "prod" | "staging" | "dev" | "qa";

export interface Region {
  provider: Provider;
  name: string;
  zones: string[];
}

export interface MachineType {
  name: string;
  cpu: number;
  memoryGi: number;
}

export const ENVIRONMENTS: readonly Environment[] = ["prod", "staging", "dev", "qa"];

export const REGIONS: readonly Region[] = [
  { provider: "aws", name: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
  { provider: "aws", name: "us-east-1", zones: ["us-east-1a", "us-east-1b", "us-east-1d"] },
  { provider: "aws", name: "us-east-2", zones: ["us-east-2a", "us-east-2b", "us-east-2c"] },
  { provider: "aws", name: "us-west-2", zones: ["us-west-2a", "us-west-2b", "us-west-2c"] },
  { provider: "aws", name: "eu-central-1", zones: ["eu-central-1a", "eu-central-1b", "eu-central-1c"] },
  { provider: "aws", name: "ap-southeast-1", zones: ["ap-southeast-1a", "ap-southeast-1b"] },
  {
    provider: "aws",
    name: "ap-northeast-1",
    zones: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
  },
  { provider: "gcp", name: "europe-west4", zones: ["europe-west4-a", "europe-west4-b", "europe-west4-c"] },
  { provider: "gcp", name: "us-central1", zones: ["us-central1-a", "us-central1-b", "us-central1-f"] },
  { provider: "gcp", name: "asia-east1", zones: ["asia-east1-a", "asia-east1-b"] },
  { provider: "azure", name: "westeurope", zones: ["westeurope-1", "westeurope-2", "westeurope-3"] },
  { provider: "azure", name: "eastus", zones: ["eastus-1", "eastus-2", "eastus-3"] },
  { provider: "azure", name: "northeurope", zones: ["northeurope-1", "northeurope-2"] },
];

/** Ordered small to large: the generator takes the smallest that fits the pod density. */
export const MACHINE_TYPES: Record<Provider, readonly MachineType[]> = {
  aws: [
    { name: "m6i.xlarge", cpu: 4, memoryGi: 16 },
    { name: "m6i.2xlarge", cpu: 8, memoryGi: 32 },
    { name: "m6i.4xlarge", cpu: 16, memoryGi: 64 },
    { name: "m6i.8xlarge", cpu: 32, memoryGi: 128 },
    { name: "m6i.16xlarge", cpu: 64, memoryGi: 256 },
  ],
  gcp: [
    { name: "n2-standard-4", cpu: 4, memoryGi: 16 },
    { name: "n2-standard-8", cpu: 8, memoryGi: 32 },
    { name: "n2-standard-16", cpu: 16, memoryGi: 64 },
    { name: "n2-standard-32", cpu: 32, memoryGi: 128 },
    { name: "n2-standard-64", cpu: 64, memoryGi: 256 },
  ],
  azure: [
    { name: "Standard_D4s_v5", cpu: 4, memoryGi: 16 },
    { name: "Standard_D8s_v5", cpu: 8, memoryGi: 32 },
    { name: "Standard_D16s_v5", cpu: 16, memoryGi: 64 },
    { name: "Standard_D32s_v5", cpu: 32, memoryGi: 128 },
    { name: "Standard_D64s_v5", cpu: 64, memoryGi: 256 },
  ],
};

export const KUBELET_VERSION = "v1.32.4";

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";

export interface Component {
  name: string;
  kind: WorkloadKind;
  image: string;
  tier: "frontend" | "backend" | "data" | "infra" | "batch";
  /** Container port; workloads with a port get a Service. */
  port?: number;
  /** Relative share of the deployment pod budget. */
  weight?: number;
  /** Fixed replicas (StatefulSets). */
  replicas?: number;
  cpuMilli: number;
  memoryMi: number;
  /** CronJob schedule. */
  schedule?: string;
  /** Job/CronJob command. */
  command?: string[];
  /** A volume per replica from a volumeClaimTemplate (StatefulSets). */
  storage?: VolumeClaim;
  /** A HorizontalPodAutoscaler keeps the pods' CPU utilization near this percentage. */
  targetCpuUtilization?: number;
  /** Exposed outside the cluster through a LoadBalancer Service (the ingress controller). */
  loadBalancer?: boolean;
}

export interface VolumeClaim {
  sizeGi: number;
  mountPath: string;
  /** Undefined: the cluster's default class, as DefaultStorageClass admission fills it in. */
  storageClassName?: "standard" | "fast-ssd";
  /** Caches throw their volumes away with the pods (persistentVolumeClaimRetentionPolicy Delete). */
  disposable?: boolean;
}

/** An Ingress routing `<host>.<environment>.example.com` paths to the namespace's Services. */
export interface IngressRoute {
  name: string;
  host: string;
  paths: { path: string; service: string; port: number }[];
}

export interface NamespaceSpec {
  name: string;
  /** kubesphere.io/workspace owner; undefined = no workspace. */
  workspace?: string;
  /** app.kubernetes.io/part-of for its workloads. */
  partOf: string;
  components: Component[];
  ingresses?: IngressRoute[];
}

const web = (
  name: string,
  image: string,
  port: number,
  weight: number,
  cpuMilli = 100,
  memoryMi = 128,
): Component => ({
  name,
  kind: "Deployment",
  image,
  tier: "frontend",
  port,
  weight,
  cpuMilli,
  memoryMi,
});
const api = (
  name: string,
  image: string,
  port: number,
  weight: number,
  cpuMilli = 200,
  memoryMi = 256,
): Component => ({
  name,
  kind: "Deployment",
  image,
  tier: "backend",
  port,
  weight,
  cpuMilli,
  memoryMi,
});
const db = (
  name: string,
  image: string,
  port: number,
  replicas: number,
  cpuMilli = 250,
  memoryMi = 512,
): Component => ({
  name,
  kind: "StatefulSet",
  image,
  tier: "data",
  port,
  replicas,
  cpuMilli,
  memoryMi,
});

const stored = (c: Component, storage: VolumeClaim): Component => ({ ...c, storage });
const autoscaled = (c: Component, targetCpuUtilization = 70): Component => ({ ...c, targetCpuUtilization });
const route = (name: string, host: string, ...paths: [string, string, number][]): IngressRoute => ({
  name,
  host,
  paths: paths.map(([path, service, port]) => ({ path, service, port })),
});

const POSTGRES_DATA = "/var/lib/postgresql/data";

export const NAMESPACES: readonly NamespaceSpec[] = [
  {
    name: "kube-system",
    partOf: "kubernetes",
    components: [
      api("coredns", "registry.k8s.io/coredns/coredns:v1.11.3", 53, 1, 100, 70),
      api("metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.2", 10250, 0.5, 100, 200),
      {
        name: "kube-proxy",
        kind: "DaemonSet",
        image: "registry.k8s.io/kube-proxy:v1.32.4",
        tier: "infra",
        cpuMilli: 50,
        memoryMi: 64,
      },
    ],
  },
  {
    name: "payments",
    workspace: "retail",
    partOf: "payments",
    ingresses: [route("payments-api", "payments", ["/v1", "payments-api", 8080])],
    components: [
      autoscaled(api("payments-api", "ghcr.io/acme/payments-api:2.14.3", 8080, 4)),
      api("payments-worker", "ghcr.io/acme/payments-worker:2.14.3", 9090, 2),
      stored(db("payments-db", "postgres:16.4", 5432, 3), {
        sizeGi: 20,
        mountPath: POSTGRES_DATA,
        storageClassName: "fast-ssd",
      }),
      {
        name: "payments-reconcile",
        kind: "CronJob",
        image: "ghcr.io/acme/payments-worker:2.14.3",
        tier: "batch",
        schedule: "*/30 * * * *",
        command: ["reconcile"],
        cpuMilli: 100,
        memoryMi: 128,
      },
    ],
  },
  {
    name: "checkout",
    workspace: "retail",
    partOf: "checkout",
    ingresses: [route("shop", "shop", ["/", "checkout-web", 80], ["/api", "checkout-api", 8080])],
    components: [
      autoscaled(web("checkout-web", "nginx:1.27", 80, 3, 50, 64), 80),
      autoscaled(api("checkout-api", "ghcr.io/acme/checkout:3.2.0", 8080, 4)),
      stored(db("checkout-redis", "redis:7.4", 6379, 1, 100, 256), {
        sizeGi: 2,
        mountPath: "/data",
        disposable: true,
      }),
    ],
  },
  {
    name: "cart",
    workspace: "retail",
    partOf: "checkout",
    components: [
      autoscaled(api("cart-service", "ghcr.io/acme/cart:1.9.7", 8080, 3)),
      stored(db("cart-redis", "redis:7.4", 6379, 1, 100, 256), {
        sizeGi: 2,
        mountPath: "/data",
        disposable: true,
      }),
    ],
  },
  {
    name: "catalog",
    workspace: "retail",
    partOf: "catalog",
    ingresses: [route("catalog-images", "images", ["/", "catalog-images", 80])],
    components: [
      autoscaled(api("catalog-api", "ghcr.io/acme/catalog:4.0.1", 8080, 3), 75),
      web("catalog-images", "nginx:1.27", 80, 2, 50, 64),
      {
        name: "catalog-import",
        kind: "Job",
        image: "ghcr.io/acme/catalog:4.0.1",
        tier: "batch",
        command: ["import", "--full"],
        cpuMilli: 200,
        memoryMi: 256,
      },
    ],
  },
  {
    name: "search",
    workspace: "data",
    partOf: "search",
    components: [
      autoscaled(api("search-api", "ghcr.io/acme/search-api:1.22.0", 8080, 3)),
      stored(db("opensearch", "opensearchproject/opensearch:2.17.1", 9200, 3, 500, 2048), {
        sizeGi: 50,
        mountPath: "/usr/share/opensearch/data",
        storageClassName: "fast-ssd",
      }),
    ],
  },
  {
    name: "analytics",
    workspace: "data",
    partOf: "analytics",
    components: [
      api("events-collector", "ghcr.io/acme/events-collector:0.31.2", 8080, 2),
      stored(db("clickhouse", "clickhouse/clickhouse-server:24.8", 8123, 2, 500, 2048), {
        sizeGi: 100,
        mountPath: "/var/lib/clickhouse",
        storageClassName: "fast-ssd",
      }),
      {
        name: "daily-rollup",
        kind: "CronJob",
        image: "ghcr.io/acme/analytics-jobs:0.31.2",
        tier: "batch",
        schedule: "15 2 * * *",
        command: ["rollup", "--day"],
        cpuMilli: 250,
        memoryMi: 512,
      },
    ],
  },
  {
    name: "kafka",
    workspace: "data",
    partOf: "kafka",
    components: [
      stored(db("kafka", "apache/kafka:3.8.0", 9092, 3, 500, 2048), {
        sizeGi: 50,
        mountPath: "/var/lib/kafka/data",
        storageClassName: "standard",
      }),
      api("kafka-ui", "provectuslabs/kafka-ui:v0.7.2", 8080, 0.5),
    ],
  },
  {
    name: "auth",
    workspace: "identity",
    partOf: "identity",
    ingresses: [route("auth", "auth", ["/", "auth-server", 8080])],
    components: [
      api("auth-server", "quay.io/keycloak/keycloak:25.0", 8080, 2, 500, 1024),
      stored(db("auth-postgres", "postgres:16.4", 5432, 1), {
        sizeGi: 10,
        mountPath: POSTGRES_DATA,
        storageClassName: "fast-ssd",
      }),
    ],
  },
  {
    name: "users",
    workspace: "identity",
    partOf: "identity",
    ingresses: [route("profile", "profile", ["/", "profile-web", 80], ["/api/users", "users-api", 8080])],
    components: [
      autoscaled(api("users-api", "ghcr.io/acme/users-api:5.3.1", 8080, 2)),
      web("profile-web", "nginx:1.27", 80, 1, 50, 64),
    ],
  },
  {
    name: "recommendations",
    workspace: "data",
    partOf: "recommendations",
    components: [
      autoscaled(api("recommender", "ghcr.io/acme/recommender:0.9.4", 8080, 2, 500, 1024), 60),
      stored(db("feature-store", "redis:7.4", 6379, 1, 100, 256), {
        sizeGi: 5,
        mountPath: "/data",
        disposable: true,
      }),
    ],
  },
  {
    name: "notifications",
    workspace: "platform",
    partOf: "notifications",
    components: [
      api("notifier", "ghcr.io/acme/notifier:1.4.0", 8080, 2),
      {
        name: "digest-mailer",
        kind: "CronJob",
        image: "ghcr.io/acme/notifier:1.4.0",
        tier: "batch",
        schedule: "0 7 * * *",
        command: ["send-digest"],
        cpuMilli: 100,
        memoryMi: 128,
      },
    ],
  },
  {
    name: "monitoring",
    workspace: "platform",
    partOf: "monitoring",
    ingresses: [route("grafana", "grafana", ["/", "grafana", 3000])],
    components: [
      stored(db("prometheus", "quay.io/prometheus/prometheus:v2.54.1", 9090, 2, 500, 2048), {
        sizeGi: 50,
        mountPath: "/prometheus",
        storageClassName: "standard",
      }),
      api("grafana", "grafana/grafana:11.2.0", 3000, 1),
      api("alertmanager", "quay.io/prometheus/alertmanager:v0.27.0", 9093, 1, 100, 128),
      {
        name: "node-exporter",
        kind: "DaemonSet",
        image: "quay.io/prometheus/node-exporter:v1.8.2",
        tier: "infra",
        port: 9100,
        cpuMilli: 50,
        memoryMi: 64,
      },
    ],
  },
  {
    name: "logging",
    workspace: "platform",
    partOf: "logging",
    components: [
      {
        name: "fluent-bit",
        kind: "DaemonSet",
        image: "cr.fluentbit.io/fluent/fluent-bit:3.1.7",
        tier: "infra",
        port: 2020,
        cpuMilli: 50,
        memoryMi: 64,
      },
      stored(db("loki", "grafana/loki:3.2.0", 3100, 1, 250, 512), { sizeGi: 20, mountPath: "/var/loki" }),
    ],
  },
  {
    name: "ingress-nginx",
    workspace: "platform",
    partOf: "ingress",
    components: [
      {
        ...api(
          "ingress-nginx-controller",
          "registry.k8s.io/ingress-nginx/controller:v1.11.2",
          443,
          2,
          100,
          256,
        ),
        loadBalancer: true,
      },
    ],
  },
  {
    name: "cert-manager",
    workspace: "platform",
    partOf: "cert-manager",
    components: [api("cert-manager", "quay.io/jetstack/cert-manager-controller:v1.15.3", 9402, 0.5, 50, 128)],
  },
  {
    name: "batch-jobs",
    partOf: "batch",
    components: [
      {
        name: "report-export",
        kind: "Job",
        image: "python:3.12-slim",
        tier: "batch",
        command: ["python", "-m", "export"],
        cpuMilli: 200,
        memoryMi: 256,
      },
      {
        name: "db-backup",
        kind: "CronJob",
        image: "postgres:16.4",
        tier: "batch",
        schedule: "0 3 * * *",
        command: ["pg_dumpall"],
        cpuMilli: 200,
        memoryMi: 256,
      },
    ],
  },
  { name: "default", partOf: "default", components: [] },
  { name: "kube-public", partOf: "kubernetes", components: [] },
  { name: "kube-node-lease", partOf: "kubernetes", components: [] },
];

export const WORKSPACES = ["retail", "data", "identity", "platform"] as const;
