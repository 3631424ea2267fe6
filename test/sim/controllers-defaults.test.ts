/**
 * What a cluster puts in place by itself: every namespace's default ServiceAccount and
 * kube-root-ca.crt (kept so), the node taints that follow a node's state, and the ingress
 * controller's address on the Ingresses of its class.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { namespaceDefaults, startControllers, type Controllers } from "../../sim/controllers/index.js";
import { K, kind, newCluster } from "./controllers-fixtures.js";

const SA = kind("", "serviceaccounts");
const INGRESS = kind("networking.k8s.io", "ingresses");
const SERVICE = kind("", "services");

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

describe("namespace defaults", () => {
  it("gives every namespace, also one created later, its default ServiceAccount and CA bundle, and keeps them", () => {
    const store = newCluster(["node-a"], ["shop"]);
    const c = (controllers = startControllers(store, { rootCaPem: "-----BEGIN CERTIFICATE-----\nCA\n" }));
    c.runUntilIdle();
    expect(store.get(SA, "shop", "default")).toBeTruthy();
    expect(store.get(K.cm, "shop", "kube-root-ca.crt")?.data).toEqual({
      "ca.crt": "-----BEGIN CERTIFICATE-----\nCA\n",
    });

    store.create(K.ns, namespaceDefaults({ metadata: { name: "later" } }));
    c.runUntilIdle();
    expect(store.get(SA, "later", "default")?.metadata.namespace).toBe("later");
    expect(
      store.get(K.cm, "later", "kube-root-ca.crt")?.metadata.annotations?.["kubernetes.io/description"],
    ).toMatch(/^Contains a CA bundle/);

    store.delete(SA, "later", "default");
    store.mutate(K.cm, "later", "kube-root-ca.crt", (draft) => void (draft.data = { "ca.crt": "forged" }));
    c.runUntilIdle();
    expect(store.get(SA, "later", "default")).toBeTruthy();
    expect(store.get(K.cm, "later", "kube-root-ca.crt")?.data).toEqual({
      "ca.crt": "-----BEGIN CERTIFICATE-----\nCA\n",
    });

    // A terminating namespace is emptied, not refilled.
    store.delete(K.ns, undefined, "later");
    c.runUntilIdle();
    expect(store.get(K.ns, undefined, "later")).toBeUndefined();
    expect(store.all(SA, "later")).toEqual([]);
  });
});

describe("the ingress controller's status", () => {
  const ingress = (name: string, ingressClassName: string): KubeObject => ({
    metadata: { name, namespace: "shop" },
    spec: { ingressClassName, rules: [{ host: `${name}.example.com` }] },
  });

  it("publishes its LoadBalancer address on the Ingresses of class nginx, and follows it", () => {
    const store = newCluster(["node-a"], ["shop", "ingress-nginx"]);
    const c = (controllers = startControllers(store));
    store.create(SERVICE, {
      metadata: { name: "ingress-nginx-controller", namespace: "ingress-nginx" },
      spec: { type: "LoadBalancer", ports: [{ port: 80 }, { port: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: "34.1.2.3", ipMode: "VIP" }] } },
    });
    store.create(INGRESS, ingress("shop", "nginx"));
    store.create(INGRESS, ingress("other", "traefik"));
    c.runUntilIdle();
    expect(store.get(INGRESS, "shop", "shop")?.status).toEqual({
      loadBalancer: { ingress: [{ ip: "34.1.2.3" }] },
    });
    expect(store.get(INGRESS, "shop", "other")?.status).toBeUndefined();

    store.mutate(SERVICE, "ingress-nginx", "ingress-nginx-controller", (draft) => {
      draft.status = { loadBalancer: { ingress: [{ ip: "34.9.9.9", ipMode: "VIP" }] } };
    });
    c.runUntilIdle();
    expect(store.get(INGRESS, "shop", "shop")?.status).toEqual({
      loadBalancer: { ingress: [{ ip: "34.9.9.9" }] },
    });
  });
});

describe("node taints", () => {
  const taints = (store: ReturnType<typeof newCluster>) =>
    (
      store.get(K.node, undefined, "node-a")!.spec as {
        taints?: { key: string; effect: string; timeAdded?: string }[];
      }
    ).taints ?? [];

  it("follow cordoning and readiness, and leave the user's own taints alone", () => {
    const store = newCluster(["node-a"], ["shop"]);
    const c = (controllers = startControllers(store));
    c.runUntilIdle();
    expect(taints(store)).toEqual([]);
    const user = { key: "dedicated", value: "gpu", effect: "NoSchedule" };
    store.mutate(K.node, undefined, "node-a", (draft) => {
      draft.spec = { ...(draft.spec as object), unschedulable: true, taints: [user] };
    });
    c.runUntilIdle();
    expect(taints(store)).toEqual([user, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]);

    store.mutate(K.node, undefined, "node-a", (draft) => {
      draft.status = {
        conditions: [
          { type: "Ready", status: "False" },
          { type: "DiskPressure", status: "True" },
        ],
      };
    });
    c.runUntilIdle();
    expect(taints(store)).toEqual([
      user,
      { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
      {
        key: "node.kubernetes.io/not-ready",
        effect: "NoExecute",
        timeAdded: expect.stringMatching(/^\d{4}-/),
      },
      { key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" },
    ]);

    store.mutate(K.node, undefined, "node-a", (draft) => {
      draft.spec = { ...(draft.spec as object), unschedulable: false };
      draft.status = { conditions: [{ type: "Ready", status: "True" }] };
    });
    c.runUntilIdle();
    expect(taints(store)).toEqual([user]);
  });
});
