/**
 * The objects of one namespace's applications: the workload (Deployment, StatefulSet, DaemonSet,
 * Job or CronJob) with a pod template carrying the recommended app.kubernetes.io labels, a
 * Service for anything with a port, and a ConfigMap or Secret as apps usually have. Fields the
 * real API server would default are written out, so objects read back as they would from a
 * real cluster.
 */
import type { KubeObject } from "../../src/kube/object.js";
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

function podSpec(c: Component, restartPolicy: "Always" | "Never" | "OnFailure"): Record<string, unknown> {
  const container: Record<string, unknown> = {
    name: c.name,
    image: c.image,
    imagePullPolicy: "IfNotPresent",
    resources: {
      requests: { cpu: `${c.cpuMilli}m`, memory: `${c.memoryMi}Mi` },
      limits: { memory: `${c.memoryMi * 2}Mi` },
    },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
  if (c.port) container.ports = [{ name: "http", containerPort: c.port, protocol: "TCP" }];
  if (c.command) container.command = c.command;
  return {
    containers: [container],
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

function service(ns: NamespaceSpec, c: Component, random: SeededRandom): PlannedObject {
  const headless = c.kind === "StatefulSet";
  const clusterIP = headless ? "None" : `10.96.${random.int(1, 254)}.${random.int(2, 254)}`;
  return {
    resource: "/services",
    object: {
      metadata: { name: c.name, namespace: ns.name, labels: labelsOf(ns, c) },
      spec: {
        type: "ClusterIP",
        clusterIP,
        clusterIPs: [clusterIP],
        ports: [{ name: "http", port: c.port, targetPort: c.port, protocol: "TCP" }],
        selector: { "app.kubernetes.io/name": c.name },
        sessionAffinity: "None",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        internalTrafficPolicy: "Cluster",
      },
      status: { loadBalancer: {} },
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

/** Every object of a namespace's applications, in creation order. */
export function buildWorkloads(
  ns: NamespaceSpec,
  replicasOf: (c: Component) => number,
  environment: string,
  random: SeededRandom,
): PlannedObject[] {
  const out: PlannedObject[] = [];
  for (const c of ns.components) {
    if (c.kind === "Deployment") out.push(settings(ns, c, environment));
    if (c.kind === "StatefulSet") out.push(credentials(ns, c, random));
    if (c.port && c.kind !== "DaemonSet") out.push(service(ns, c, random));
    out.push(workload(ns, c, replicasOf(c)));
  }
  return out;
}
