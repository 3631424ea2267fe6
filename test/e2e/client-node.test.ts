/**
 * @kubernetes/client-node against the simulated fleet over verified TLS: the library the
 * gateway is built on must not be able to tell the simulator from a real API server.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type V1Pod,
} from "@kubernetes/client-node";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import type { SimCluster } from "../../sim/cluster.js";
import { findResource } from "../../sim/kinds.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";

const POD = findResource("", "pods")!;
const DEPLOY = findResource("apps", "deployments")!;

let fleet: SimFleet;
let cluster: SimCluster;
let kc: KubeConfig;

function storePodUids(): string[] {
  return cluster.store
    .all(POD)
    .map((p) => p.metadata.uid!)
    .sort();
}

function aDeployment(): KubeObject {
  return cluster.store.all(DEPLOY).find((d) => (d.spec as { replicas: number }).replicas >= 2)!;
}

beforeAll(async () => {
  fleet = await startFleet({
    clusters: 2,
    nodes: 2,
    pods: 80,
    seed: "client-node-e2e",
    podStartDelayMs: 30,
    bookmarkIntervalMs: 500,
  });
  cluster = fleet.clusters[0]!;
  kc = new KubeConfig();
  kc.loadFromFile(fleet.kubeconfigPath);
  kc.setCurrentContext(cluster.name);
});

afterAll(async () => {
  await fleet?.stop();
});

describe("@kubernetes/client-node against the simulator", () => {
  it("pages through every pod exactly once with limit and continue", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 7, ...(token ? { _continue: token } : {}) });
      seen.push(...page.items.map((p) => p.metadata!.uid!));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil(storePodUids().length / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(storePodUids());
  });

  it("resumes a watch from a resourceVersion and sees a 410 after history expires", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listPodForAllNamespaces({});
    const from = list.metadata!.resourceVersion!;
    const d = aDeployment();
    cluster.store.mutate(
      DEPLOY,
      d.metadata.namespace,
      d.metadata.name!,
      (o) => void ((o.spec as { replicas: number }).replicas += 1),
    );
    const events: { type: string; name?: string; code?: number }[] = [];
    let done: unknown = "open";
    const ctl = await new Watch(kc).watch(
      "/api/v1/pods",
      { resourceVersion: from },
      (type: string, obj: { metadata?: { name?: string }; code?: number }) =>
        events.push({ type, name: obj.metadata?.name, code: obj.code }),
      (err: unknown) => (done = err),
    );
    await eventually(() => events.some((e) => e.type === "ADDED"));
    ctl.abort();
    const created = events.find((e) => e.type === "ADDED")!.name!;
    expect(cluster.store.get(POD, d.metadata.namespace, created)).toBeDefined();

    cluster.expireHistory();
    const expired: { type: string; code?: number }[] = [];
    await new Watch(kc).watch(
      "/api/v1/pods",
      { resourceVersion: from },
      (type: string, obj: { code?: number }) => expired.push({ type, code: obj.code }),
      (err: unknown) => (done = err ?? null),
    );
    await eventually(() => done === null);
    expect(expired).toEqual([{ type: "ERROR", code: 410 }]);
  });

  it("keeps an informer equal to the cluster through changes, dropped watches and expired history", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, "/api/v1/pods", () => core.listPodForAllNamespaces({}));
    let connects = 0;
    informer.on("connect", () => connects++);
    let errors = 0;
    // The client-node README's pattern: an informer stops on a connection error; restart it.
    informer.on("error", () => {
      errors++;
      setTimeout(() => void informer.start().catch(() => undefined), 200);
    });
    await informer.start();
    const informerUids = () =>
      informer
        .list()
        .map((p) => p.metadata!.uid!)
        .sort();
    try {
      expect(informerUids()).toEqual(storePodUids());
      const d = aDeployment();
      cluster.store.mutate(
        DEPLOY,
        d.metadata.namespace,
        d.metadata.name!,
        (o) => void ((o.spec as { replicas: number }).replicas += 2),
      );
      await eventually(
        () => JSON.stringify(informerUids()) === JSON.stringify(storePodUids()) && informerUids().length > 0,
      );

      const before = connects;
      cluster.dropWatches();
      cluster.store.mutate(
        DEPLOY,
        d.metadata.namespace,
        d.metadata.name!,
        (o) => void ((o.spec as { replicas: number }).replicas -= 1),
      );
      await eventually(
        () => errors + connects > before && JSON.stringify(informerUids()) === JSON.stringify(storePodUids()),
        15_000,
      );

      cluster.expireHistory();
      cluster.dropWatches();
      cluster.store.mutate(
        DEPLOY,
        d.metadata.namespace,
        d.metadata.name!,
        (o) => void ((o.spec as { replicas: number }).replicas -= 1),
      );
      await eventually(() => JSON.stringify(informerUids()) === JSON.stringify(storePodUids()), 20_000);
      const phases = new Map(
        cluster.store.all(POD).map((p) => [p.metadata.uid, (p.status as { phase: string }).phase]),
      );
      await eventually(
        () => informer.list().every((p) => p.status?.phase === phases.get(p.metadata!.uid)) || undefined,
        5_000,
      );
    } finally {
      await informer.stop();
    }
  });

  it("patches, scales and follows logs", async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const d = aDeployment();
    const ns = d.metadata.namespace!;
    const name = d.metadata.name!;
    await apps.patchNamespacedDeployment(
      { name, namespace: ns, body: { metadata: { labels: { patched: "merge" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(cluster.store.get(DEPLOY, ns, name)!.metadata.labels?.patched).toBe("merge");
    await apps.patchNamespacedDeployment(
      { name, namespace: ns, body: [{ op: "replace", path: "/metadata/labels/patched", value: "yes" }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(cluster.store.get(DEPLOY, ns, name)!.metadata.labels?.patched).toBe("yes");

    const scale = await apps.readNamespacedDeploymentScale({ name, namespace: ns });
    await apps.replaceNamespacedDeploymentScale({
      name,
      namespace: ns,
      body: { ...scale, spec: { replicas: 4 } },
    });
    expect((cluster.store.get(DEPLOY, ns, name)!.spec as { replicas: number }).replicas).toBe(4);
    const selector = (await apps.readNamespacedDeploymentScale({ name, namespace: ns })).status!.selector!;
    await eventually(async () => {
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: selector });
      return pods.items.length === 4 && pods.items.every((p) => p.status?.phase === "Running");
    });

    const pod = cluster.store.all(POD, ns).find((p) => (p.status as { phase: string }).phase === "Running")!;
    const container = (pod.spec as { containers: { name: string }[] }).containers[0]!.name;
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    let ended = false;
    out.on("end", () => (ended = true));
    // Aborting a follow leaves client-node's piped web stream erroring with nobody listening, so the
    // stream is ended the way a kubelet ends it: the container goes away with its pod.
    await new Log(kc).log(ns, pod.metadata.name!, container, out, { follow: true, tailLines: 1 });
    await eventually(() => text.split("\n").filter(Boolean).length >= 3);
    expect(ended).toBe(false);
    cluster.store.delete(POD, ns, pod.metadata.name!);
    await eventually(() => ended);
  });
});
