/**
 * The HorizontalPodAutoscaler controller: status from the target's scale and the simulated CPU
 * load, rescaling when the load moves, the min/max range, and the failures it reports.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import { eventsFor, K, kind, newCluster, podsOf, status } from "./controllers-fixtures.js";

const HPA = kind("autoscaling", "horizontalpodautoscalers");

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

function start(): { store: ClusterStore; c: Controllers } {
  const store = newCluster();
  controllers = startControllers(store, { podStartDelayMs: 10 });
  return { store, c: controllers };
}

function deployment(name: string, replicas: number, cpu?: string): KubeObject {
  return {
    metadata: { name, namespace: "shop" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name, image: "nginx:1.27", resources: cpu ? { requests: { cpu, memory: "64Mi" } } : {} },
          ],
        },
      },
    },
  };
}

function autoscaler(target: string, min: number, max: number, utilization = 50): KubeObject {
  return {
    metadata: { name: target, namespace: "shop" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: utilization } },
        },
      ],
    },
  };
}

interface HpaStatus {
  currentReplicas?: number;
  desiredReplicas?: number;
  lastScaleTime?: string;
  currentMetrics?: { resource: { current: { averageUtilization: number; averageValue: string } } }[];
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

const hpaStatus = (store: ClusterStore, name = "web"): HpaStatus => status(store.get(HPA, "shop", name));
const condition = (s: HpaStatus, type: string) => s.conditions?.find((c) => c.type === type);
const replicas = (store: ClusterStore, name = "web") =>
  (store.get(K.deploy, "shop", name)!.spec as { replicas: number }).replicas;

describe("the HorizontalPodAutoscaler controller", () => {
  it("reports the target's replicas and a CPU utilization near its target, content at first", () => {
    const { store, c } = start();
    store.create(K.deploy, deployment("web", 4, "200m"));
    store.create(HPA, autoscaler("web", 2, 10));
    c.runUntilIdle();
    const s = hpaStatus(store);
    expect(s).toMatchObject({ currentReplicas: 4, desiredReplicas: 4 });
    expect(s.lastScaleTime).toBeUndefined();
    const utilization = s.currentMetrics![0]!.resource.current.averageUtilization;
    expect(utilization).toBeGreaterThanOrEqual(45);
    expect(utilization).toBeLessThanOrEqual(55);
    // averageValue is the per-pod usage: utilization of a 200m request, as a canonical quantity.
    expect(s.currentMetrics![0]!.resource.current.averageValue).toMatch(/^\d+m$/);
    expect(condition(s, "AbleToScale")).toMatchObject({ status: "True", reason: "ReadyForNewScale" });
    expect(condition(s, "ScalingActive")).toMatchObject({
      status: "True",
      reason: "ValidMetricFound",
      message:
        "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
    });
    expect(condition(s, "ScalingLimited")).toMatchObject({ status: "False", reason: "DesiredWithinRange" });
    expect(replicas(store)).toBe(4);
  });

  it("scales the target when the load moves, and records why", () => {
    const { store, c } = start();
    store.create(K.deploy, deployment("web", 4, "200m"));
    store.create(HPA, autoscaler("web", 2, 10));
    c.runUntilIdle();
    c.setCpuDemand("shop", "web", 7);
    c.runUntilIdle();
    expect(replicas(store)).toBe(7);
    expect(podsOf(store, "shop", "web")).toHaveLength(7);
    const s = hpaStatus(store);
    expect(s).toMatchObject({ currentReplicas: 7, desiredReplicas: 7 });
    expect(s.lastScaleTime).toMatch(/^\d{4}-/);
    expect(eventsFor(store, "web").map((e) => e.message)).toContain(
      "New size: 7; reason: cpu resource utilization (percentage of request) above target",
    );
    c.setCpuDemand("shop", "web", 3);
    c.runUntilIdle();
    expect(replicas(store)).toBe(3);
    expect(eventsFor(store, "web").map((e) => e.message)).toContain(
      "New size: 3; reason: All metrics below target",
    );
  });

  it("keeps to minReplicas and maxReplicas and says so", () => {
    const { store, c } = start();
    store.create(K.deploy, deployment("web", 4, "200m"));
    store.create(HPA, autoscaler("web", 3, 6));
    c.runUntilIdle();
    c.setCpuDemand("shop", "web", 20);
    c.runUntilIdle();
    expect(replicas(store)).toBe(6);
    expect(condition(hpaStatus(store), "ScalingLimited")).toMatchObject({
      status: "True",
      reason: "TooManyReplicas",
    });
    c.setCpuDemand("shop", "web", 1);
    c.runUntilIdle();
    expect(replicas(store)).toBe(3);
    expect(condition(hpaStatus(store), "ScalingLimited")).toMatchObject({
      status: "True",
      reason: "TooFewReplicas",
    });
  });

  it("reports a target without CPU requests, a target scaled to zero, and a missing target", () => {
    const { store, c } = start();
    store.create(K.deploy, deployment("web", 2));
    store.create(HPA, autoscaler("web", 1, 5));
    store.create(K.deploy, deployment("idle", 0, "100m"));
    store.create(HPA, autoscaler("idle", 1, 5));
    store.create(HPA, autoscaler("ghost", 1, 5));
    c.runUntilIdle();
    const web = hpaStatus(store);
    expect(condition(web, "ScalingActive")).toMatchObject({
      status: "False",
      reason: "FailedGetResourceMetric",
    });
    expect(condition(web, "ScalingActive")!.message).toContain("missing request for cpu");
    expect(web.desiredReplicas).toBe(2);
    expect(condition(hpaStatus(store, "idle"), "ScalingActive")).toMatchObject({
      status: "False",
      reason: "ScalingDisabled",
    });
    expect(condition(hpaStatus(store, "ghost"), "AbleToScale")).toMatchObject({
      status: "False",
      reason: "FailedGetScale",
      message: `the HPA controller was unable to get the target's current scale: deployments.apps "ghost" not found`,
    });
  });
});
