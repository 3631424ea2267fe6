/**
 * The storage, networking, autoscaling and policy kinds of a generated cluster, read the way the
 * gateway and its users will: the real kubectl (`get -A`, `-o json`, `-o wide`, field selectors,
 * writes that controllers answer) and @kubernetes/client-node (lists and watches). Every check
 * compares with the simulator's own store.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AutoscalingV2Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  StorageV1Api,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimCluster } from "../../sim/cluster.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

const kind = (group: string, plural: string): ResourceKind => findResource(group, plural)!;
const INGRESS = kind("networking.k8s.io", "ingresses");
const CONFIGMAP = kind("", "configmaps");
const SECRET = kind("", "secrets");
const PVC = kind("", "persistentvolumeclaims");
const PV = kind("", "persistentvolumes");
const SC = kind("storage.k8s.io", "storageclasses");
const HPA = kind("autoscaling", "horizontalpodautoscalers");
const QUOTA = kind("", "resourcequotas");
const LIMITS = kind("", "limitranges");
const SA = kind("", "serviceaccounts");
const STS = kind("apps", "statefulsets");
const POD = kind("", "pods");

/** kubectl 1.32's columns for `get <kind> -A` (NAMESPACE first for namespaced kinds). */
const COLUMNS: [string, ResourceKind, string[]][] = [
  ["ing", INGRESS, ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]],
  ["cm", CONFIGMAP, ["NAME", "DATA", "AGE"]],
  ["secret", SECRET, ["NAME", "TYPE", "DATA", "AGE"]],
  [
    "pvc",
    PVC,
    ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"],
  ],
  [
    "pv",
    PV,
    [
      "NAME",
      "CAPACITY",
      "ACCESS MODES",
      "RECLAIM POLICY",
      "STATUS",
      "CLAIM",
      "STORAGECLASS",
      "VOLUMEATTRIBUTESCLASS",
      "REASON",
      "AGE",
    ],
  ],
  ["sc", SC, ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]],
  ["hpa", HPA, ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]],
  ["quota", QUOTA, ["NAME", "AGE", "REQUEST", "LIMIT"]],
  ["limits", LIMITS, ["NAME", "CREATED AT"]],
  ["sa", SA, ["NAME", "SECRETS", "AGE"]],
];

let fleet: SimFleet;
let cluster: SimCluster;
let kc: string;
let ctx: string;
let client: KubeConfig;

beforeAll(async () => {
  fleet = await startFleet({ clusters: 1, nodes: 3, pods: 240, seed: "kinds", podStartDelayMs: 20 });
  cluster = fleet.clusters[0]!;
  kc = fleet.kubeconfigPath;
  ctx = `--context=${cluster.name}`;
  client = new KubeConfig();
  client.loadFromFile(kc);
  client.setCurrentContext(cluster.name);
});

afterAll(async () => {
  await fleet?.stop();
});

/** Lines of kubectl's table, split on the column gaps (2+ spaces). */
function table(stdout: string): string[][] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));
}

const qualified = (o: KubeObject): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
const storeNames = (k: ResourceKind): string[] => cluster.store.all(k).map(qualified).sort();
const spec = (o: KubeObject | undefined) => (o?.spec ?? {}) as Record<string, unknown>;
const status = (o: KubeObject | undefined) => (o?.status ?? {}) as Record<string, unknown>;

describe("kubectl get -A for every new kind", () => {
  it.each(COLUMNS)(
    "%s: kubectl 1.32's columns, one row per object, and -o json the same objects",
    async (short, k, columns) => {
      const r = await kubectl(kc, [ctx, "get", short, "-A"]);
      expect(r.stderr).toBe("");
      const [header, ...rows] = table(r.stdout);
      expect(header).toEqual(k.namespaced ? ["NAMESPACE", ...columns] : columns);
      expect(rows.length).toBe(cluster.store.count(k));
      expect(rows.length).toBeGreaterThan(0);
      const json = await kubectl(kc, [ctx, "get", short, "-A", "-o", "json"]);
      const items = (JSON.parse(json.stdout) as { items: KubeObject[] }).items;
      expect(items.map(qualified).sort()).toEqual(storeNames(k));
      expect(items.every((o) => o.kind === k.kind)).toBe(true);
    },
  );

  it("shows generated claims Bound to provisioned volumes, and VOLUMEMODE with -o wide", async () => {
    const r = await kubectl(kc, [ctx, "get", "pvc", "-A", "-o", "wide"]);
    const [header, ...rows] = table(r.stdout);
    expect(header?.at(-1)).toBe("VOLUMEMODE");
    for (const cells of rows) {
      const claim = cluster.store.get(PVC, cells[0], cells[1]!)!;
      expect(cells.slice(2, 8)).toEqual([
        "Bound",
        `pvc-${claim.metadata.uid}`,
        (spec(claim).resources as { requests: { storage: string } }).requests.storage,
        "RWO",
        spec(claim).storageClassName,
        "<unset>",
      ]);
      expect(cells.at(-1)).toBe("Filesystem");
    }
    // Every StatefulSet replica has its claim, named <template>-<set>-<ordinal>.
    for (const sts of cluster.store.all(STS)) {
      for (let i = 0; i < (spec(sts).replicas as number); i++)
        expect(cluster.store.get(PVC, sts.metadata.namespace, `data-${sts.metadata.name}-${i}`)).toBeTruthy();
    }
    const volumes = table((await kubectl(kc, [ctx, "get", "pv", "-o", "wide"])).stdout);
    expect(volumes[0]!.at(-1)).toBe("VOLUMEMODE");
    for (const cells of volumes.slice(1)) {
      expect(cells.slice(2, 5)).toEqual(["RWO", "Delete", "Bound"]);
      const pv = cluster.store.get(PV, undefined, cells[0]!)!;
      const ref = spec(pv).claimRef as { namespace: string; name: string };
      expect(cells[5]).toBe(`${ref.namespace}/${ref.name}`);
    }
  });

  it("marks the default storage class, shows ingress addresses and TLS ports, HPA targets and quota usage", async () => {
    const sc = table((await kubectl(kc, [ctx, "get", "sc"])).stdout);
    expect(sc.slice(1).map((cells) => cells.slice(0, 5))).toEqual([
      ["fast-ssd", expect.stringMatching(/csi/), "Delete", "WaitForFirstConsumer", "true"],
      ["standard (default)", expect.stringMatching(/csi/), "Delete", "WaitForFirstConsumer", "true"],
    ]);

    const lb = cluster.store.get(kind("", "services"), "ingress-nginx", "ingress-nginx-controller")!;
    const address = (status(lb).loadBalancer as { ingress: { ip: string }[] }).ingress[0]!.ip;
    const ingresses = table((await kubectl(kc, [ctx, "get", "ing", "-A"])).stdout).slice(1);
    expect(ingresses.map((cells) => cells[1])).toContain("shop");
    for (const cells of ingresses) {
      expect(cells[2]).toBe("nginx");
      expect(cells[3]).toMatch(/^[a-z]+\.(prod|staging|dev|qa)\.example\.com$/);
      expect(cells.slice(4, 6)).toEqual([address, "80, 443"]);
    }

    const hpas = table((await kubectl(kc, [ctx, "get", "hpa", "-A"])).stdout).slice(1);
    for (const cells of hpas) {
      const hpa = cluster.store.get(HPA, cells[0], cells[1]!)!;
      const current = (
        status(hpa).currentMetrics as { resource: { current: { averageUtilization: number } } }[]
      )[0]!.resource.current.averageUtilization;
      expect(cells.slice(2, 7)).toEqual([
        `Deployment/${cells[1]}`,
        expect.stringMatching(new RegExp(`^cpu: ${current}%/\\d+%$`)),
        String(spec(hpa).minReplicas),
        String(spec(hpa).maxReplicas),
        String(spec(cluster.store.get(kind("apps", "deployments"), cells[0], cells[1]!)).replicas),
      ]);
    }

    const quotas = table((await kubectl(kc, [ctx, "get", "quota", "-n", "payments"])).stdout);
    const pods = cluster.store
      .all(POD, "payments")
      .filter((p) => !["Succeeded", "Failed"].includes(status(p).phase as string)).length;
    expect(quotas[1]![2]).toMatch(
      new RegExp(`^pods: ${pods}/\\d+, requests\\.cpu: \\w+/\\d+, requests\\.memory: \\w+/\\d+Gi$`),
    );
    expect(quotas[1]![3]).toMatch(/^limits\.cpu: \w+\/\d+, limits\.memory: \w+\/\d+Gi$/);
  });

  it("selects secrets by type, as the real server's field selector does", async () => {
    const r = await kubectl(kc, [
      ctx,
      "get",
      "secrets",
      "-A",
      "--field-selector",
      "type=kubernetes.io/tls",
      "-o",
      "json",
    ]);
    expect(r.stderr).toBe("");
    const items = (JSON.parse(r.stdout) as { items: KubeObject[] }).items;
    expect(items.map(qualified).sort()).toEqual(
      cluster.store
        .all(INGRESS)
        .map((i) => `${i.metadata.namespace}/${i.metadata.name}-tls`)
        .sort(),
    );
    const pull = await kubectl(kc, [
      ctx,
      "get",
      "secrets",
      "-A",
      "--field-selector",
      "type=kubernetes.io/dockerconfigjson",
      "-o",
      "name",
    ]);
    expect(pull.stdout.trim().split("\n").length).toBeGreaterThan(3);
  });
});

describe("writes through kubectl that the controllers answer", () => {
  it("fills a new namespace with its default ServiceAccount and kube-root-ca.crt", async () => {
    expect((await kubectl(kc, [ctx, "create", "namespace", "fresh"])).code).toBe(0);
    await eventually(async () => {
      const r = await kubectl(kc, [ctx, "get", "sa,cm", "-n", "fresh", "-o", "name"]);
      return r.stdout.includes("serviceaccount/default") && r.stdout.includes("configmap/kube-root-ca.crt");
    });
    const cm = cluster.store.get(CONFIGMAP, "fresh", "kube-root-ca.crt")!;
    expect((cm.data as { "ca.crt": string })["ca.crt"]).toBe(cluster.tls!.caPem);
  });

  it("creates quotas and ingresses with kubectl create (protobuf bodies), which the controllers then fill in", async () => {
    const quota = await kubectl(kc, [
      ctx,
      "create",
      "quota",
      "small",
      "-n",
      "payments",
      "--hard=pods=500,requests.cpu=100",
    ]);
    expect(quota.stdout.trim()).toBe("resourcequota/small created");
    const pods = cluster.store.all(POD, "payments").filter((p) => status(p).phase === "Running").length;
    await eventually(
      () =>
        (status(cluster.store.get(QUOTA, "payments", "small")).used as { pods?: string })?.pods ===
        String(pods),
    );
    expect(spec(cluster.store.get(QUOTA, "payments", "small")).hard).toEqual({
      pods: "500",
      "requests.cpu": "100",
    });

    const ingress = await kubectl(kc, [
      ctx,
      "create",
      "ingress",
      "status-page",
      "-n",
      "payments",
      "--class=nginx",
      "--rule=status.example.com/*=payments-api:8080,tls=status-tls",
    ]);
    expect(ingress.stdout.trim()).toBe("ingress.networking.k8s.io/status-page created");
    const created = cluster.store.get(INGRESS, "payments", "status-page")!;
    expect(created.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["status.example.com"], secretName: "status-tls" }],
      rules: [
        {
          host: "status.example.com",
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "payments-api", port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
    });
    const row = await eventually(async () => {
      const cells = table(
        (await kubectl(kc, [ctx, "get", "ing", "status-page", "-n", "payments", "--no-headers"])).stdout,
      )[0]!;
      return cells.length === 6 ? cells : undefined;
    });
    expect(row.slice(0, 5)).toEqual([
      "status-page",
      "nginx",
      "status.example.com",
      expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      "80, 443",
    ]);
  });

  it("gives a claim the default class, waits for its first consumer, then binds it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fleet-kinds-"));
    const claimFile = join(dir, "claim.yaml");
    writeFileSync(
      claimFile,
      "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: uploads\n  namespace: fresh\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 3Gi\n",
    );
    expect((await kubectl(kc, [ctx, "apply", "-f", claimFile])).stderr).toBe("");
    const pending = await kubectl(kc, [ctx, "get", "pvc", "uploads", "-n", "fresh", "--no-headers"]);
    expect(table(pending.stdout)[0]!.slice(0, 3)).toEqual(["uploads", "Pending", "standard"]);
    const claim = cluster.store.get(PVC, "fresh", "uploads")!;
    expect(claim.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);

    const podFile = join(dir, "pod.yaml");
    writeFileSync(
      podFile,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: uploader\n  namespace: fresh\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    volumeMounts: [{name: data, mountPath: /data}]\n  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: uploads}\n",
    );
    expect((await kubectl(kc, [ctx, "apply", "-f", podFile])).stderr).toBe("");
    const bound = await eventually(async () => {
      const cells = table(
        (await kubectl(kc, [ctx, "get", "pvc", "uploads", "-n", "fresh", "--no-headers"])).stdout,
      )[0]!;
      return cells[1] === "Bound" ? cells : undefined;
    });
    expect(bound.slice(2, 6)).toEqual([`pvc-${claim.metadata.uid}`, "3Gi", "RWO", "standard"]);
    const pv = await kubectl(kc, [ctx, "get", "pv", `pvc-${claim.metadata.uid}`, "-o", "json"]);
    expect((JSON.parse(pv.stdout) as KubeObject).spec).toMatchObject({
      claimRef: { namespace: "fresh", name: "uploads" },
    });
  });
});

describe("@kubernetes/client-node lists and watches the new kinds", () => {
  it("lists every new kind with its typed API", async () => {
    const core = client.makeApiClient(CoreV1Api);
    const names = (list: { items: { metadata?: { namespace?: string; name?: string } }[] }) =>
      list.items
        .map((o) =>
          o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata!.name!,
        )
        .sort();
    expect(names(await client.makeApiClient(NetworkingV1Api).listIngressForAllNamespaces())).toEqual(
      storeNames(INGRESS),
    );
    expect(names(await client.makeApiClient(StorageV1Api).listStorageClass())).toEqual(storeNames(SC));
    expect(
      names(await client.makeApiClient(AutoscalingV2Api).listHorizontalPodAutoscalerForAllNamespaces()),
    ).toEqual(storeNames(HPA));
    expect(names(await core.listPersistentVolumeClaimForAllNamespaces())).toEqual(storeNames(PVC));
    expect(names(await core.listPersistentVolume())).toEqual(storeNames(PV));
    expect(names(await core.listResourceQuotaForAllNamespaces())).toEqual(storeNames(QUOTA));
    expect(names(await core.listLimitRangeForAllNamespaces())).toEqual(storeNames(LIMITS));
    expect(names(await core.listServiceAccountForAllNamespaces())).toEqual(storeNames(SA));
    expect(names(await core.listConfigMapForAllNamespaces())).toEqual(storeNames(CONFIGMAP));
    expect(names(await core.listSecretForAllNamespaces())).toEqual(storeNames(SECRET));
    const hpa = (await client.makeApiClient(AutoscalingV2Api).listHorizontalPodAutoscalerForAllNamespaces())
      .items[0]!;
    expect(hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBeGreaterThan(0);
  });

  it("watches an HPA rescale and a StatefulSet's new claim", async () => {
    const events: { path: string; type: string; name?: string; desired?: number }[] = [];
    const watch = (path: string) =>
      new Watch(client).watch(
        path,
        { resourceVersion: String(cluster.store.revision) },
        (type: string, obj: { metadata?: { name?: string }; status?: { desiredReplicas?: number } }) =>
          events.push({ path, type, name: obj.metadata?.name, desired: obj.status?.desiredReplicas }),
        () => undefined,
      );
    const controllers = await Promise.all([
      watch("/apis/autoscaling/v2/horizontalpodautoscalers"),
      watch("/api/v1/persistentvolumeclaims"),
    ]);
    try {
      const hpa = cluster.store.all(HPA).find((h) => (status(h).desiredReplicas as number) >= 2)!;
      const wanted = (status(hpa).desiredReplicas as number) + 3;
      cluster.setCpuDemand(hpa.metadata.namespace!, hpa.metadata.name!, wanted);
      await eventually(() => events.some((e) => e.name === hpa.metadata.name && e.desired === wanted));

      const cache = cluster.store
        .all(STS)
        .find(
          (s) =>
            (spec(s).persistentVolumeClaimRetentionPolicy as { whenScaled: string }).whenScaled === "Delete",
        )!;
      const next = (spec(cache).replicas as number) + 1;
      cluster.store.mutate(STS, cache.metadata.namespace, cache.metadata.name!, (draft) => {
        (draft.spec as { replicas: number }).replicas = next;
      });
      const claim = `data-${cache.metadata.name}-${next - 1}`;
      await eventually(() =>
        events.some((e) => e.path.endsWith("claims") && e.type === "ADDED" && e.name === claim),
      );
      await eventually(
        () => status(cluster.store.get(PVC, cache.metadata.namespace, claim)).phase === "Bound",
      );
    } finally {
      for (const c of controllers) c.abort();
    }
  });
});
