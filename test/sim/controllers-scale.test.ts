import { afterEach, describe, expect, it } from "vitest";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import { ClusterStore } from "../../sim/store/cluster-store.js";
import { namespaceDefaults } from "../../sim/controllers/index.js";
import { K, node, template } from "./controllers-fixtures.js";

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

describe("bootstrap at fleet scale", () => {
  it("brings ~2,000 pods to Running with runUntilIdle", () => {
    const store = new ClusterStore({ clusterName: "big" });
    for (let n = 0; n < 12; n++) store.create(K.node, node(`node-${String(n).padStart(2, "0")}`));
    for (let i = 0; i < 20; i++) store.create(K.ns, namespaceDefaults({ metadata: { name: `team-${i}` } }));
    const c = startControllers(store, { maxEvents: 1000 });
    controllers = c;
    const t0 = performance.now();
    let expected = 0;
    for (let w = 0; w < 150; w++) {
      const namespace = `team-${w % 20}`;
      const name = `svc-${w}`;
      const selector = { matchLabels: { app: name } };
      if (w % 25 === 0) {
        store.create(K.ds, {
          metadata: { name, namespace },
          spec: { selector, template: template(name, "fluent/fluent-bit:3.0") },
        });
        expected += 12;
      } else if (w % 10 === 0) {
        store.create(K.sts, {
          metadata: { name, namespace },
          spec: { replicas: 3, serviceName: name, selector, template: template(name, "postgres:16") },
        });
        expected += 3;
      } else {
        const replicas = 8 + (w % 17);
        store.create(K.deploy, {
          metadata: { name, namespace },
          spec: { replicas, selector, template: template(name, "ghcr.io/acme/api:1.0") },
        });
        expected += replicas;
      }
    }
    c.runUntilIdle();
    const ms = performance.now() - t0;
    console.log(
      `runUntilIdle: ${expected} pods in ${ms.toFixed(0)} ms, store revision ${store.revision}, ${store.count(K.event)} events`,
    );
    expect(expected).toBeGreaterThan(1900);
    const pods = store.all(K.pod);
    expect(pods).toHaveLength(expected);
    expect(pods.every((p) => (p.status as { phase: string }).phase === "Running")).toBe(true);
    expect(store.count(K.event)).toBe(1000);
    const perNode = new Map<string, number>();
    for (const p of pods) {
      const n = (p.spec as { nodeName: string }).nodeName;
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    const counts = [...perNode.values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});
