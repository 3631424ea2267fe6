import { afterEach, describe, expect, it } from "vitest";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import { autoscaledCpuShares } from "../../sim/metrics/autoscaled-load.js";
import { ClusterMetrics } from "../../sim/metrics/cluster-metrics.js";
import { K, kind, newCluster } from "./controllers-fixtures.js";
import { parseScrape, series, sum } from "./metrics-scrape.js";

const HPA = kind("autoscaling", "horizontalpodautoscalers");
let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

interface HpaStatus {
  currentReplicas?: number;
  currentMetrics?: { resource: { current: { averageUtilization: number } } }[];
}

/** A Deployment `web` (200m CPU per pod) under an autoscaler aiming at 60 %. */
function autoscaled() {
  const store = newCluster();
  store.create(K.deploy, {
    metadata: { name: "web", namespace: "shop" },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "200m" } } }],
        },
      },
    },
  });
  store.create(HPA, {
    metadata: { name: "web", namespace: "shop" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 12,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } },
        },
      ],
    },
  });
  controllers = startControllers(store);
  controllers.runUntilIdle();
  const clock = { ms: Date.now() + 60_000 };
  const metrics = new ClusterMetrics({ store, seed: "hpa", now: () => clock.ms });
  const status = () => store.get(HPA, "shop", "web")!.status as HpaStatus;
  return { store, metrics, clock, status };
}

/** Cores the Deployment's containers used per second between two scrapes 60 s apart. */
function cpuRate(metrics: ClusterMetrics, clock: { ms: number }): { cores: number; pods: number } {
  const cpu = (text: string) =>
    series(parseScrape(text), "container_cpu_usage_seconds_total", { namespace: "shop" });
  const before = cpu(metrics.scrape());
  clock.ms += 60_000;
  const after = cpu(metrics.scrape());
  for (const b of before) {
    const a = series({ help: new Map(), types: new Map(), samples: after }, b.name, b.labels)[0];
    if (a) expect(a.value).toBeGreaterThanOrEqual(b.value);
  }
  return { cores: (sum(after) - sum(before)) / 60, pods: after.length };
}

describe("autoscaled pods use what their autoscaler measured", () => {
  it("runs the Deployment's pods near the autoscaler's current utilization", () => {
    const { store, metrics, clock, status } = autoscaled();
    const shares = autoscaledCpuShares(store, "hpa");
    expect(shares.size).toBe(status().currentReplicas);
    const utilization = status().currentMetrics![0]!.resource.current.averageUtilization / 100;
    const { cores, pods } = cpuRate(metrics, clock);
    expect(pods).toBe(status().currentReplicas);
    const perPod = cores / pods / 0.2;
    expect(perPod).toBeGreaterThan(utilization * 0.85 - 1e-9);
    expect(perPod).toBeLessThan(utilization * 1.15 + 1e-9);
    for (const share of shares.values()) {
      expect(share).toBeGreaterThanOrEqual(utilization * 0.85 - 1e-9);
      expect(share).toBeLessThanOrEqual(utilization * 1.15 + 1e-9);
    }
  });

  it("follows a load change, and the counters keep growing through it", () => {
    const { metrics, clock, status } = autoscaled();
    const first = cpuRate(metrics, clock);
    controllers!.setCpuDemand("shop", "web", 10); // load for ten pods at the target: it scales up
    controllers!.runUntilIdle();
    const second = cpuRate(metrics, clock);
    expect(status().currentReplicas).toBeGreaterThan(first.pods);
    expect(second.pods).toBe(status().currentReplicas);
    expect(second.cores).toBeGreaterThan(first.cores);
  });
});
