/**
 * Crash loops and not-ready nodes on request (sim/controllers/crash-loop.ts, node-readiness.ts):
 * what the pod's and node's status say, and what kube-state-metrics' series the default alert
 * rules read (deploy/prometheus/alert-rules.yml) show, while it lasts and once fixed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import { CrashLoops } from "../../sim/controllers/crash-loop.js";
import { setNodeReady } from "../../sim/controllers/node-readiness.js";
import { StatusError } from "../../sim/errors.js";
import { ClusterMetrics } from "../../sim/metrics/cluster-metrics.js";
import { K, newCluster, podsOf, template } from "./controllers-fixtures.js";
import { parseScrape, series } from "./metrics-scrape.js";

let controllers: Controllers | undefined;
let loops: CrashLoops | undefined;
afterEach(() => {
  loops?.stopAll();
  controllers?.stop();
});

function runningPod() {
  const store = newCluster();
  store.create(K.deploy, {
    metadata: { name: "web", namespace: "shop" },
    spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: template("web") },
  });
  controllers = startControllers(store);
  controllers.runUntilIdle();
  const pod = podsOf(store, "shop", "web")[0]!;
  loops = new CrashLoops(store);
  return {
    store,
    name: pod.metadata.name!,
    metrics: new ClusterMetrics({ store, seed: "crash", now: Date.now }),
  };
}

describe("crash loops", () => {
  it("restart the container and hold it in CrashLoopBackOff, not ready, until fixed", async () => {
    const { store, name, metrics } = runningPod();
    loops!.start("shop", name, undefined, 50);
    await new Promise((resolve) => setTimeout(resolve, 180));
    const pod = store.get(K.pod, "shop", name)!;
    const status = (
      pod.status as { containerStatuses: { restartCount: number; ready: boolean; state: object }[] }
    ).containerStatuses[0]!;
    expect(status.restartCount).toBeGreaterThanOrEqual(3);
    expect(status.ready).toBe(false);
    expect(status.state).toMatchObject({ waiting: { reason: "CrashLoopBackOff" } });
    let scrape = parseScrape(metrics.scrape());
    expect(series(scrape, "kube_pod_container_status_waiting_reason", { pod: name })).toEqual([
      expect.objectContaining({ labels: expect.objectContaining({ reason: "CrashLoopBackOff" }), value: 1 }),
    ]);
    expect(series(scrape, "kube_pod_container_status_ready", { pod: name })[0]!.value).toBe(0);
    expect(series(scrape, "kube_pod_container_status_restarts_total", { pod: name })[0]!.value).toBe(
      status.restartCount,
    );

    expect(loops!.stop("shop", name)).toBe(true);
    expect(loops!.list()).toEqual([]);
    scrape = parseScrape(metrics.scrape());
    expect(series(scrape, "kube_pod_container_status_waiting_reason", { pod: name })).toEqual([]);
    expect(series(scrape, "kube_pod_container_status_ready", { pod: name })[0]!.value).toBe(1);
  });

  it("refuse a pod that does not exist or a container it does not have", () => {
    const { name } = runningPod();
    expect(() => loops!.start("shop", "nope")).toThrow(StatusError);
    expect(() => loops!.start("shop", name, "sidecar")).toThrow(/container sidecar is not valid/);
  });
});

describe("not-ready nodes", () => {
  it("go Ready=False with the kubelet's reason, seen in kube_node_status_condition, and back", () => {
    const { store, metrics } = runningPod();
    setNodeReady(store, "node-a", false);
    const ready = (status: string) =>
      series(parseScrape(metrics.scrape()), "kube_node_status_condition", {
        node: "node-a",
        condition: "Ready",
        status,
      })[0]!.value;
    expect(ready("true")).toBe(0);
    expect(ready("false")).toBe(1);
    const condition = (
      store.get(K.node, undefined, "node-a")!.status as { conditions: { type: string; reason: string }[] }
    ).conditions.find((c) => c.type === "Ready")!;
    expect(condition.reason).toBe("KubeletNotReady");
    setNodeReady(store, "node-a", true);
    expect(ready("true")).toBe(1);
    expect(() => setNodeReady(store, "node-z", false)).toThrow(StatusError);
  });
});
