/**
 * HorizontalPodAutoscalers (autoscaling/v2) for the Deployments the catalogue marks: CPU
 * utilization targets, a floor at half the planned replicas and a ceiling at twice them, so the
 * planned size sits comfortably inside the range and the autoscaler starts out content.
 */
import type { Component, NamespaceSpec } from "./catalog.js";
import type { PlannedObject } from "./workloads.js";

export function autoscalerRange(planned: number): { minReplicas: number; maxReplicas: number } {
  const minReplicas = Math.max(1, Math.ceil(planned / 2));
  return { minReplicas, maxReplicas: Math.max(minReplicas + 2, planned * 2) };
}

export function buildAutoscaler(ns: NamespaceSpec, c: Component, planned: number): PlannedObject[] {
  if (c.kind !== "Deployment" || c.targetCpuUtilization === undefined) return [];
  return [
    {
      resource: "autoscaling/horizontalpodautoscalers",
      object: {
        metadata: {
          name: c.name,
          namespace: ns.name,
          labels: { "app.kubernetes.io/name": c.name, "app.kubernetes.io/part-of": ns.partOf },
        },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: c.name },
          ...autoscalerRange(planned),
          metrics: [
            {
              type: "Resource",
              resource: {
                name: "cpu",
                target: { type: "Utilization", averageUtilization: c.targetCpuUtilization },
              },
            },
          ],
        },
      },
    },
  ];
}
