/** The resource-quota controller: used totals from the namespace's unfinished pods, as canonical quantities. */
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import { K, kind, newCluster, status } from "./controllers-fixtures.js";

const QUOTA = kind("", "resourcequotas");

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

function pod(
  name: string,
  namespace: string,
  resources: Record<string, Record<string, string>>,
  extra = {},
): KubeObject {
  return {
    metadata: { name, namespace },
    spec: { containers: [{ name: "c", image: "nginx:1.27", resources }], ...extra },
  };
}

describe("the resource-quota controller", () => {
  it("adds up the requests and limits of the namespace's unfinished pods, per resource named in the quota", () => {
    const store = newCluster(["node-a"], ["shop", "other"]);
    const c = (controllers = startControllers(store, { podStartDelayMs: 10 }));
    store.create(QUOTA, {
      metadata: { name: "compute-resources", namespace: "shop" },
      spec: {
        hard: {
          pods: "10",
          "requests.cpu": "2000m",
          "requests.memory": "4Gi",
          "limits.cpu": "4",
          "limits.memory": "8192Mi",
          "count/configmaps": "5",
        },
      },
    });
    store.create(
      K.pod,
      pod("a", "shop", {
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "500m", memory: "512Mi" },
      }),
    );
    store.create(
      K.pod,
      pod("b", "shop", { requests: { cpu: "750m", memory: "768Mi" }, limits: { cpu: "1", memory: "1Gi" } }),
    );
    // A limit without a request counts as both; other namespaces count for their own quotas only.
    store.create(K.pod, pod("c", "shop", { limits: { cpu: "1", memory: "256Mi" } }));
    store.create(K.pod, pod("x", "other", { requests: { cpu: "8", memory: "8Gi" } }));
    c.runUntilIdle();
    expect(status(store.get(QUOTA, "shop", "compute-resources"))).toEqual({
      hard: {
        "count/configmaps": "5",
        "limits.cpu": "4",
        "limits.memory": "8Gi",
        pods: "10",
        "requests.cpu": "2",
        "requests.memory": "4Gi",
      },
      used: {
        "limits.cpu": "2500m",
        "limits.memory": "1792Mi",
        pods: "3",
        "requests.cpu": "2",
        "requests.memory": "1280Mi",
      },
    });

    store.delete(K.pod, "shop", "b");
    c.runUntilIdle();
    expect(
      status(store.get(QUOTA, "shop", "compute-resources")).used as Record<string, string>,
    ).toMatchObject({
      pods: "2",
      "requests.cpu": "1250m",
      "requests.memory": "512Mi",
    });
  });

  it("stops counting a pod once it has finished", () => {
    const store = newCluster(["node-a"], ["batch"]);
    const c = (controllers = startControllers(store, { podStartDelayMs: 10 }));
    store.create(QUOTA, {
      metadata: { name: "q", namespace: "batch" },
      spec: { hard: { pods: "5", cpu: "1" } },
    });
    store.create(K.pod, pod("job", "batch", { requests: { cpu: "100m" } }, { restartPolicy: "Never" }));
    c.runUntilIdle();
    // runUntilIdle lets the run-to-completion pod finish.
    expect((store.get(K.pod, "batch", "job")!.status as { phase: string }).phase).toBe("Succeeded");
    expect(status(store.get(QUOTA, "batch", "q")).used).toEqual({ cpu: "0", pods: "0" });
  });
});
