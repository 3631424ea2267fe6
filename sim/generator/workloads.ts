/**
 * The objects of one namespace's applications: the workload (Deployment, StatefulSet, DaemonSet,
 * Job or CronJob) with a pod template carrying the recommended app.kubernetes.io labels, requests
 * and limits, a volume claim template for stateful ones, a Service for anything with a port, a
 * ConfigMap or Secret as apps usually have, and the pull secret of the private registry. Fields the
 * real API server would default are written out, so objects read back as they would from a
 * real cluster.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { canonicalQuantity, formatQuantity, milliQuantity } from "../quantity.js";
import type { Component, NamespaceSpec } from "./catalog.js";
import type { SeededRandom } from "./random.js";

export interface PlannedObject {
  /** group/plural, e.g. "apps/deployments". */
  resource: string;
  object: KubeObject;
}

function imageTag(image: string): string {
  const at = image.lastIndexOf(":");
  return at > image.lastIndexOf("/") ? image.slice(at + 1) : "latest";
}

function labelsOf(ns: NamespaceSpec, c: Component): Record<string, string> {
  const version = imageTag(c.image);
  return {
    "app.kubernetes.io/name": c.name,
    "app.kubernetes.io/part-of": ns.partOf,
    "app.kubernetes.io/version": version,
    tier: c.tier,
    version,
  };
}

/** The image pull secret of the company's private registry, in every namespace that pulls from it. */
export const PULL_SECRET = "ghcr-pull";
const PRIVATE_REGISTRY = "ghcr.io/acme/";

/** Canonical quantities, as the API server writes them back ("1" rather than "1000m"). */
const cpu = (milli: number): string => formatQuantity(milliQuantity(milli));
const memory = (mi: number): string => canonicalQuantity(`${mi}Mi`);

/**
 * Requests and limits: databases and caches get limits equal to their requests (QoS Guaranteed,
 * as stateful services are usually run), everything else may burst to twice its requests.
 */
export function resourcesOf(c: Component): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const burst = c.tier === "data" ? 1 : 2;
  return {
    requests: { cpu: cpu(c.cpuMilli), memory: memory(c.memoryMi) },
    limits: { cpu: cpu(c.cpuMilli * burst), memory: memory(c.memoryMi * burst) },
  };
}

function podSpec(c: Component, restartPolicy: "Always" | "Never" | "OnFailure"): Record<string, unknown> {
  const container: Record<string, unknown> = {
    name: c.name,
    image: c.image,
    imagePullPolicy: "IfNotPresent",
    resources: resourcesOf(c),
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
  if (c.port) container.ports = [{ name: "http", containerPort: c.port, protocol: "TCP" }];
  if (c.command) container.command = c.command;
  if (c.storage) container.volumeMounts = [{ name: "data", mountPath: c.storage.mountPath }];
  return {
    containers: [container],
    ...(c.image.startsWith(PRIVATE_REGISTRY) ? { imagePullSecrets: [{ name: PULL_SECRET }] } : {}),
    restartPolicy,
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    serviceAccountName: "default",
    serviceAccount: "default",
    schedulerName: "default-scheduler",
    securityContext: {},
    ...(c.kind === "DaemonSet" ? { tolerations: [{ operator: "Exists" }] } : {}),
  };
}

function template(ns: NamespaceSpec, c: Component, restartPolicy: "Always" | "Never" | "OnFailure") {
  return { metadata: { labels: labelsOf(ns, c) }, spec: podSpec(c, restartPolicy) };
}

function workload(ns: NamespaceSpec, c: Component, replicas: number): PlannedObject {
  const metadata = { name: c.name, namespace: ns.name, labels: labelsOf(ns, c) };
  const selector = { matchLabels: { "app.kubernetes.io/name": c.name } };
  switch (c.kind) {
    case "Deployment":
      return {
        resource: "apps/deployments",
        object: {
          metadata: { ...metadata, annotations: { "deployment.kubernetes.io/revision": "1" } },
          spec: {
            replicas,
            selector,
            template: template(ns, c, "Always"),
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
            revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600,
          },
        },
      };
    case "StatefulSet":
      return {
        resource: "apps/statefulsets",
        object: {
          metadata,
          spec: {
            replicas,
            selector,
            serviceName: c.name,
            template: template(ns, c, "Always"),
            podManagementPolicy: "OrderedReady",
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
            revisionHistoryLimit: 10,
            persistentVolumeClaimRetentionPolicy: c.storage?.disposable
              ? { whenDeleted: "Delete", whenScaled: "Delete" }
              : { whenDeleted: "Retain", whenScaled: "Retain" },
            ...(c.storage ? { volumeClaimTemplates: [claimTemplate(c)] } : {}),
          },
        },
      };
    case "DaemonSet":
      return {
        resource: "apps/daemonsets",
        object: {
          metadata,
          spec: {
            selector,
            template: template(ns, c, "Always"),
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
            revisionHistoryLimit: 10,
          },
        },
      };
    case "Job":
      return {
        resource: "batch/jobs",
        object: {
          metadata,
          spec: {
            completions: 1,
            parallelism: 1,
            backoffLimit: 6,
            completionMode: "NonIndexed",
            template: {
              metadata: {
                labels: { ...labelsOf(ns, c), "batch.kubernetes.io/job-name": c.name, "job-name": c.name },
              },
              spec: podSpec(c, "Never"),
            },
          },
        },
      };
    case "CronJob":
      return {
        resource: "batch/cronjobs",
        object: {
          metadata,
          spec: {
            schedule: c.schedule ?? "0 * * * *",
            concurrencyPolicy: "Forbid",
            suspend: false,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 1,
            jobTemplate: { spec: { backoffLimit: 2, template: template(ns, c, "OnFailure") } },
          },
        },
      };
  }
}

/** A claim template as the API server stores it, defaults (volumeMode, status) included. */
function claimTemplate(c: Component): Record<string, unknown> {
  const storage = c.storage!;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "data" },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: `${storage.sizeGi}Gi` } },
      ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
      volumeMode: "Filesystem",
    },
    status: { phase: "Pending" },
  };
}

function service(
  ns: NamespaceSpec,
  c: Component,
  random: SeededRandom,
  loadBalancerIP: string,
): PlannedObject {
  const headless = c.kind === "StatefulSet";
  const clusterIP = headless ? "None" : `10.96.${random.int(1, 254)}.${random.int(2, 254)}`;
  const ports = c.loadBalancer
    ? [
        {
          name: "http",
          port: 80,
          targetPort: "http",
          nodePort: 30000 + random.int(0, 2767),
          protocol: "TCP",
        },
        {
          name: "https",
          port: 443,
          targetPort: "https",
          nodePort: 30000 + random.int(0, 2767),
          protocol: "TCP",
        },
      ]
    : [{ name: "http", port: c.port, targetPort: c.port, protocol: "TCP" }];
  return {
    resource: "/services",
    object: {
      metadata: { name: c.name, namespace: ns.name, labels: labelsOf(ns, c) },
      spec: {
        type: c.loadBalancer ? "LoadBalancer" : "ClusterIP",
        clusterIP,
        clusterIPs: [clusterIP],
        ports,
        selector: { "app.kubernetes.io/name": c.name },
        sessionAffinity: "None",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        internalTrafficPolicy: "Cluster",
        ...(c.loadBalancer ? { externalTrafficPolicy: "Local", allocateLoadBalancerNodePorts: true } : {}),
      },
      // The cloud's load balancer controller publishes the address it allocated.
      status: { loadBalancer: c.loadBalancer ? { ingress: [{ ip: loadBalancerIP, ipMode: "VIP" }] } : {} },
    },
  };
}

function settings(ns: NamespaceSpec, c: Component, environment: string): PlannedObject {
  return {
    resource: "/configmaps",
    object: {
      metadata: { name: `${c.name}-config`, namespace: ns.name, labels: labelsOf(ns, c) },
      data: {
        LOG_LEVEL: environment === "prod" ? "info" : "debug",
        ENVIRONMENT: environment,
        "app.yaml": `name: ${c.name}\nlisten: :${c.port ?? 8080}\nmetrics: /metrics\n`,
      },
    },
  };
}

function credentials(ns: NamespaceSpec, c: Component, random: SeededRandom): PlannedObject {
  return {
    resource: "/secrets",
    object: {
      metadata: { name: `${c.name}-credentials`, namespace: ns.name, labels: labelsOf(ns, c) },
      type: "Opaque",
      data: {
        username: Buffer.from(c.name.replaceAll("-", "_")).toString("base64"),
        password: Buffer.from(random.hex(24)).toString("base64"),
      },
    },
  };
}

/** Credentials for the private registry, as `kubectl create secret docker-registry` writes them. */
function pullSecret(ns: NamespaceSpec, random: SeededRandom): PlannedObject {
  const user = "acme-ci";
  const token = `ghp_${random.hex(36)}`;
  const auth = Buffer.from(`${user}:${token}`).toString("base64");
  const config = { auths: { "ghcr.io": { username: user, password: token, auth } } };
  return {
    resource: "/secrets",
    object: {
      metadata: { name: PULL_SECRET, namespace: ns.name },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": Buffer.from(JSON.stringify(config)).toString("base64") },
    },
  };
}

export interface WorkloadContext {
  replicasOf: (c: Component) => number;
  environment: string;
  random: SeededRandom;
  /** The external address of the cluster's load balancer (the ingress controller's Service). */
  loadBalancerIP: string;
}

/** Every object of a namespace's applications, in creation order. */
export function buildWorkloads(ns: NamespaceSpec, context: WorkloadContext): PlannedObject[] {
  const { replicasOf, environment, random, loadBalancerIP } = context;
  const out: PlannedObject[] = [];
  if (ns.components.some((c) => c.image.startsWith(PRIVATE_REGISTRY))) out.push(pullSecret(ns, random));
  for (const c of ns.components) {
    if (c.kind === "Deployment") out.push(settings(ns, c, environment));
    if (c.kind === "StatefulSet") out.push(credentials(ns, c, random));
    if (c.port && c.kind !== "DaemonSet") out.push(service(ns, c, random, loadBalancerIP));
    out.push(workload(ns, c, replicasOf(c)));
  }
  return out;
}
