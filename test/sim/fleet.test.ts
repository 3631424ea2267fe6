/**
 * A small generated fleet over HTTPS, driven by the real clients: client-node through the
 * generated kubeconfig (TLS verified with the cluster CA), kubectl (Go TLS), and every user's
 * RBAC as the generator grants it.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, AppsV1Api, KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { CLUSTER_EXTENSION, type FleetFile } from "../../sim/kubeconfig.js";
import type { SimCluster } from "../../sim/cluster.js";
import { findResource } from "../../sim/kinds.js";
import type { KubeObject } from "../../src/kube/object.js";
import { kubectl } from "../support/kubectl.js";
import { coreFor, networkCode, readFleetFile, statusOf } from "./fleet-clients.js";

const SEED = "fleet-test";
const PODS = findResource("", "pods")!;
const CONFIGMAPS = findResource("", "configmaps")!;
let fleet: SimFleet;
let file: FleetFile;

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: SEED });
  file = readFleetFile(fleet.fleetFilePath);
});

afterAll(async () => {
  await fleet?.stop();
});

describe("the generated kubeconfig", () => {
  it("has one context per cluster, the first current, each with the cluster CA and labels", () => {
    const doc = parse(readFileSync(fleet.kubeconfigPath, "utf8")) as {
      "current-context": string;
      contexts: { name: string; context: { cluster: string; user: string } }[];
      clusters: {
        name: string;
        cluster: {
          server: string;
          "certificate-authority-data": string;
          extensions: { name: string; extension: { labels: Record<string, string> } }[];
        };
      }[];
    };
    const names = fleet.clusters.map((c) => c.name);
    expect(doc.contexts.map((c) => c.name)).toEqual(names);
    expect(doc["current-context"]).toBe(names[0]);
    for (const [i, entry] of doc.clusters.entries()) {
      const cluster = fleet.clusters[i]!;
      expect(entry.cluster.server).toBe(`https://127.0.0.1:${cluster.port}`);
      expect(Buffer.from(entry.cluster["certificate-authority-data"], "base64").toString()).toBe(
        cluster.tls!.caPem,
      );
      expect(entry.cluster.extensions[0]).toEqual({
        name: CLUSTER_EXTENSION,
        extension: { labels: cluster.labels },
      });
    }
    expect(names[0]).toMatch(/^prod-[a-z0-9-]+$/);
    expect(fleet.clusters[0]!.labels).toMatchObject({ environment: "prod" });
  });

  it("lets client-node list Running pods on every cluster with TLS verified", async () => {
    for (const cluster of fleet.clusters) {
      const kc = new KubeConfig();
      kc.loadFromFile(fleet.kubeconfigPath);
      kc.setCurrentContext(cluster.name);
      expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
      const pods = await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces();
      expect(pods.items.length).toBeGreaterThanOrEqual(30);
      const running = pods.items.filter((p) => p.status?.phase === "Running");
      expect(running.length).toBeGreaterThan(pods.items.length / 2);
      const nodes = await kc.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items).toHaveLength(2);
      expect(new Set(running.map((p) => p.spec?.nodeName))).toEqual(
        new Set(nodes.items.map((n) => n.metadata?.name)),
      );
    }
  });

  it("is refused by a client that does not trust the cluster CA", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: fleet.clusters[0]!.url, skipTLSVerify: false }],
      users: [{ name: "untrusting", token: fleet.user("admin").token }],
      contexts: [{ name: "c", cluster: "c", user: "untrusting" }],
      currentContext: "c",
    });
    const error = await kc
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(networkCode(error)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
  });

  it("is accepted by kubectl (Go TLS) through certificate-authority-data", async () => {
    const second = fleet.clusters[1]!;
    const result = await kubectl(fleet.kubeconfigPath, [
      "--context",
      second.name,
      "get",
      "namespaces",
      "-l",
      "kubesphere.io/workspace=retail",
      "-o",
      "name",
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n").sort()).toEqual([
      "namespace/cart",
      "namespace/catalog",
      "namespace/checkout",
      "namespace/payments",
    ]);
  });
});

/** What the seed decides about a cluster's storage, ingresses, autoscalers, quotas, secrets (not uids: volume names). */
function storageAndPolicy(cluster: SimCluster): unknown[] {
  const of = (group: string, plural: string) => cluster.store.all(findResource(group, plural)!);
  const id = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  const claimSpec = (o: KubeObject) => ({ ...(o.spec as object), volumeName: undefined });
  return [
    of("storage.k8s.io", "storageclasses").map((o) => [
      id(o),
      o.metadata.annotations,
      o.provisioner,
      o.parameters,
    ]),
    of("", "persistentvolumeclaims").map((o) => [id(o), claimSpec(o), (o.status as { phase: string }).phase]),
    of("", "persistentvolumes")
      .map((o) => [
        (o.spec as { claimRef: KubeObject["metadata"] }).claimRef.name,
        (o.spec as { capacity: unknown }).capacity,
      ])
      .sort(),
    of("networking.k8s.io", "ingresses").map((o) => [id(o), o.spec, o.status]),
    of("autoscaling", "horizontalpodautoscalers").map((o) => [
      id(o),
      o.spec,
      (o.status as { desiredReplicas: number }).desiredReplicas,
    ]),
    of("", "resourcequotas").map((o) => [id(o), o.spec, (o.status as { used: unknown }).used]),
    of("", "limitranges").map((o) => [id(o), o.spec]),
    of("", "secrets").map((o) => [id(o), o.type, o.data]),
    of("", "configmaps").map(id),
    of("", "serviceaccounts").map(id),
  ];
}

describe("the generated contents", () => {
  it("has workspaces, DaemonSet pods on every node and labelled workloads", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(fleet.kubeconfigPath);
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const exporters = await core.listNamespacedPod({
      namespace: "monitoring",
      labelSelector: "app.kubernetes.io/name=node-exporter",
    });
    expect(exporters.items).toHaveLength(2);
    const deployments = await apps.listDeploymentForAllNamespaces();
    expect(deployments.items.length).toBeGreaterThan(10);
    for (const d of deployments.items) {
      expect(d.metadata?.labels).toMatchObject({
        "app.kubernetes.io/name": d.metadata?.name,
        tier: expect.any(String),
      });
      expect(d.spec?.template.spec?.containers[0]?.resources?.requests?.cpu).toMatch(/^\d+m$/);
    }
    const platform = await core.listNamespace({ labelSelector: "kubesphere.io/workspace=platform" });
    expect(platform.items.map((n) => n.metadata?.name)).toContain("monitoring");
    const svc = await core.readNamespacedService({ namespace: "payments", name: "payments-api" });
    expect(svc.spec?.selector).toEqual({ "app.kubernetes.io/name": "payments-api" });
  });

  it("is the same for the same seed and differs for another", async () => {
    const again = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: SEED, http: true });
    const other = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: "another-seed", http: true });
    try {
      const describeFleet = async (f: SimFleet) => {
        const ff = readFleetFile(f.fleetFilePath);
        const out: unknown[] = [ff.users.map((u) => [u.name, u.token, u.groups])];
        for (const c of f.clusters) {
          const core = coreFor(ff, c.name, "admin");
          const apps = new KubeConfig();
          apps.loadFromFile(f.kubeconfigPath);
          apps.setCurrentContext(c.name);
          const deployments = await apps.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces();
          const nodes = await core.listNode();
          const namespaces = await core.listNamespace();
          out.push(
            c.name,
            c.labels,
            nodes.items.map((n) => [n.metadata?.name, n.metadata?.labels]),
            namespaces.items.map((n) => [n.metadata?.name, n.metadata?.labels]),
            deployments.items.map((d) => [
              d.metadata?.namespace,
              d.metadata?.name,
              d.metadata?.labels,
              d.spec?.replicas,
            ]),
            storageAndPolicy(c),
          );
        }
        return out;
      };
      // Over plain http kubectl sends no token: the cluster acts like the old insecure port.
      const viaHttp = await kubectl(again.kubeconfigPath, ["get", "namespace", "payments", "-o", "name"]);
      expect(viaHttp.stdout.trim()).toBe("namespace/payments");
      const first = await describeFleet(fleet);
      expect(await describeFleet(again)).toEqual(first);
      expect(await describeFleet(other)).not.toEqual(first);
    } finally {
      await again.stop();
      await other.stop();
    }
  });
});

describe("the generated users", () => {
  const cluster = () => fleet.clusters[1]!.name;
  const configMap = (name: string) => ({ metadata: { name }, data: { k: "v" } });

  it("refuses unknown tokens with 401", async () => {
    const forged: FleetFile = {
      ...file,
      users: [...file.users, { ...file.users[0]!, name: "forger", token: "abcdef.0123456789abcdef" }],
    };
    expect(await statusOf(coreFor(forged, cluster(), "forger").listNamespace())).toBe(401);
  });

  it("gives mallory nothing", async () => {
    const core = coreFor(file, cluster(), "mallory");
    expect(await statusOf(core.listPodForAllNamespaces())).toBe(403);
    expect(await statusOf(core.listNamespacedPod({ namespace: "payments" }))).toBe(403);
    expect(await statusOf(core.listNamespace())).toBe(403);
  });

  it("lets bob read only his namespaces", async () => {
    const bob = fleet.user("bob");
    const core = coreFor(file, cluster(), "bob");
    for (const namespace of bob.namespaces) {
      expect(await statusOf(core.listNamespacedPod({ namespace }))).toBeUndefined();
    }
    expect(await statusOf(core.listNamespacedPod({ namespace: "payments" }))).toBe(403);
    expect(await statusOf(core.listPodForAllNamespaces())).toBe(403);
    expect(
      await statusOf(
        core.createNamespacedConfigMap({ namespace: bob.namespaces[0]!, body: configMap("bobs") }),
      ),
    ).toBe(403);
  });

  it("lets carol read everything and write nothing", async () => {
    const core = coreFor(file, cluster(), "carol");
    const pods = await core.listPodForAllNamespaces();
    expect(new Set(pods.items.map((p) => p.metadata?.namespace)).size).toBeGreaterThan(5);
    expect(
      await statusOf(core.createNamespacedConfigMap({ namespace: "payments", body: configMap("carols") })),
    ).toBe(403);
    expect(
      await statusOf(
        core.deleteNamespacedPod({ namespace: "payments", name: pods.items[0]!.metadata!.name! }),
      ),
    ).toBe(403);
  });

  it("lets alice administer her workspace's namespaces only", async () => {
    const alice = fleet.user("alice");
    expect(alice.workspace).toBe("retail");
    const core = coreFor(file, cluster(), "alice");
    const created = await core.createNamespacedConfigMap({
      namespace: "payments",
      body: configMap("alices"),
    });
    expect(created.metadata?.namespace).toBe("payments");
    expect(fleet.cluster(cluster()).store.get(CONFIGMAPS, "payments", "alices")?.data).toEqual({ k: "v" });
    expect(
      await statusOf(core.createNamespacedConfigMap({ namespace: "search", body: configMap("alices") })),
    ).toBe(403);
  });

  it("lets the gateway identity list everything but not write", async () => {
    const core = coreFor(file, cluster(), "fleetgraph-gateway");
    expect((await core.listPodForAllNamespaces()).items.length).toBeGreaterThan(0);
    expect(
      await statusOf(core.createNamespacedConfigMap({ namespace: "payments", body: configMap("gw") })),
    ).toBe(403);
  });

  it("lets the gateway identity impersonate bob, with bob's rights (kubectl --as)", async () => {
    const gateway = fleet.user("fleetgraph-gateway");
    const c = fleet.cluster(cluster());
    const args = [`--context=${c.name}`, `--token=${gateway.token}`, "--as=bob"];
    const allowed = await kubectl(fleet.kubeconfigPath, [
      ...args,
      "get",
      "pods",
      "-n",
      "search",
      "-o",
      "name",
    ]);
    expect(allowed.code).toBe(0);
    const expected = c.store.all(PODS, "search").map((p) => `pod/${p.metadata.name}`);
    expect(expected).toContain("pod/opensearch-0");
    expect(allowed.stdout.trim().split("\n")).toEqual(expected);
    const denied = await kubectl(fleet.kubeconfigPath, [...args, "get", "pods", "-n", "payments"]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      'User "bob" cannot list resource "pods" in API group "" in the namespace "payments"',
    );
  });
});
