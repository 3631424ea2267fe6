/**
 * Server-side printing of the storage, networking, autoscaling and policy kinds: the real kubectl
 * 1.32 prints exactly the server's columns, so these are checked through kubectl itself, edge
 * cases included (a claim still Pending, a volume being deleted, a metric not yet measured).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import { startFixture, type Fixture } from "./apiserver-fixture.js";
import { kubectl } from "../support/kubectl.js";

const kind = (group: string, plural: string): ResourceKind => findResource(group, plural)!;

let f: Fixture;
let admin: string;

/** Header and rows of kubectl's output, split on the column gaps (2+ spaces). */
function table(stdout: string): string[][] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));
}

function seed(): void {
  const { store } = f;
  store.create(kind("", "persistentvolumeclaims"), {
    metadata: { name: "data-db-0", namespace: "team-a" },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "10Gi" } },
      storageClassName: "fast-ssd",
      volumeName: "pvc-1234",
      volumeMode: "Filesystem",
    },
    status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "10240Mi" } },
  });
  store.create(kind("", "persistentvolumeclaims"), {
    metadata: { name: "waiting", namespace: "team-a" },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } },
    status: { phase: "Pending" },
  });
  store.create(kind("", "persistentvolumes"), {
    metadata: { name: "pvc-1234" },
    spec: {
      capacity: { storage: "10Gi" },
      accessModes: ["ReadOnlyMany", "ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Delete",
      claimRef: { kind: "PersistentVolumeClaim", namespace: "team-a", name: "data-db-0" },
      storageClassName: "fast-ssd",
      volumeMode: "Filesystem",
    },
    status: { phase: "Bound" },
  });
  store.create(kind("", "persistentvolumes"), {
    metadata: { name: "old-nfs", finalizers: ["kubernetes.io/pv-protection"] },
    spec: {
      capacity: { storage: "1500Mi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
    },
    status: { phase: "Released", reason: "Unused" },
  });
  store.delete(kind("", "persistentvolumes"), undefined, "old-nfs");
  store.create(kind("storage.k8s.io", "storageclasses"), {
    metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "ebs.csi.aws.com",
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  });
  store.create(kind("storage.k8s.io", "storageclasses"), {
    metadata: { name: "legacy" },
    provisioner: "kubernetes.io/no-provisioner",
  });
  store.create(kind("networking.k8s.io", "ingresses"), {
    metadata: { name: "shop", namespace: "team-a" },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: ["shop.prod.example.com"], secretName: "shop-tls" }],
      rules: [{ host: "shop.prod.example.com" }, { host: "api.prod.example.com" }],
    },
    status: { loadBalancer: { ingress: [{ ip: "34.1.2.3" }, { hostname: "lb.example.net" }] } },
  });
  store.create(kind("networking.k8s.io", "ingresses"), {
    metadata: { name: "many", namespace: "team-a" },
    spec: { rules: [{ host: "a.x" }, {}, { host: "b.x" }, { host: "c.x" }, { host: "d.x" }] },
  });
  store.create(kind("autoscaling", "horizontalpodautoscalers"), {
    metadata: { name: "web", namespace: "team-a" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
        {
          type: "Resource",
          resource: { name: "memory", target: { type: "AverageValue", averageValue: "512Mi" } },
        },
        {
          type: "Pods",
          pods: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "10" } },
        },
      ],
    },
    status: {
      currentReplicas: 3,
      desiredReplicas: 3,
      currentMetrics: [
        {
          type: "Resource",
          resource: { name: "cpu", current: { averageUtilization: 42, averageValue: "84m" } },
        },
      ],
    },
  });
  store.create(kind("autoscaling", "horizontalpodautoscalers"), {
    metadata: { name: "new", namespace: "team-a" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
      maxReplicas: 4,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
        },
      ],
    },
  });
  store.create(kind("", "resourcequotas"), {
    metadata: { name: "compute-resources", namespace: "team-a" },
    spec: { hard: { pods: "50", "requests.cpu": "8", "limits.memory": "32Gi" } },
    status: {
      hard: { pods: "50", "requests.cpu": "8", "limits.memory": "32Gi", "requests.memory": "16Gi" },
      used: { pods: "7", "requests.cpu": "1500m", "limits.memory": "3072Mi" },
    },
  });
  store.create(kind("", "limitranges"), {
    metadata: { name: "default-limits", namespace: "team-a" },
    spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" } }] },
  });
  store.create(kind("", "serviceaccounts"), { metadata: { name: "builder", namespace: "team-a" } });
}

beforeAll(async () => {
  f = await startFixture();
  admin = f.kubeconfigPath("admin");
  seed();
});
afterAll(() => f.close());

describe("kubectl get for the storage, networking, autoscaling and policy kinds", () => {
  it("prints claims with the bound volume's capacity and access modes, and VOLUMEMODE when wide", async () => {
    const r = await kubectl(admin, ["get", "pvc"]);
    expect(r.stderr).toBe("");
    const [header, ...rows] = table(r.stdout);
    expect(header).toEqual([
      "NAME",
      "STATUS",
      "VOLUME",
      "CAPACITY",
      "ACCESS MODES",
      "STORAGECLASS",
      "VOLUMEATTRIBUTESCLASS",
      "AGE",
    ]);
    expect(rows[0]).toEqual([
      "data-db-0",
      "Bound",
      "pvc-1234",
      "10Gi",
      "RWO",
      "fast-ssd",
      "<unset>",
      expect.stringMatching(/^\d+s$/),
    ]);
    // A claim without a volume leaves VOLUME, CAPACITY, ACCESS MODES and STORAGECLASS blank.
    expect(r.stdout).toMatch(/^waiting\s+Pending\s+<unset>\s+\d+s$/m);

    const wide = await kubectl(admin, ["get", "pvc", "data-db-0", "-o", "wide"]);
    expect(table(wide.stdout)[0]!.at(-1)).toBe("VOLUMEMODE");
    expect(table(wide.stdout)[1]!.at(-1)).toBe("Filesystem");
  });

  it("prints volumes with their claim, Terminating while finalizers hold them", async () => {
    const r = await kubectl(admin, ["get", "pv", "-o", "wide"]);
    expect(r.stderr).toBe("");
    const [header, ...rows] = table(r.stdout);
    expect(header).toEqual([
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
      "VOLUMEMODE",
    ]);
    const byName = new Map(rows.map((cells) => [cells[0], cells]));
    expect(byName.get("pvc-1234")?.slice(0, 8)).toEqual([
      "pvc-1234",
      "10Gi",
      "RWO,ROX",
      "Delete",
      "Bound",
      "team-a/data-db-0",
      "fast-ssd",
      "<unset>",
    ]);
    expect(r.stdout).toMatch(
      /^old-nfs\s+1500Mi\s+RWX\s+Retain\s+Terminating\s+<unset>\s+Unused\s+\d+s\s+<unset>$/m,
    );
    const narrow = await kubectl(admin, ["get", "pv"]);
    expect(table(narrow.stdout)[0]).not.toContain("VOLUMEMODE");
  });

  it("marks the default storage class and fills in the API defaults", async () => {
    const r = await kubectl(admin, ["get", "sc"]);
    expect(r.stderr).toBe("");
    const [header, ...rows] = table(r.stdout);
    expect(header).toEqual([
      "NAME",
      "PROVISIONER",
      "RECLAIMPOLICY",
      "VOLUMEBINDINGMODE",
      "ALLOWVOLUMEEXPANSION",
      "AGE",
    ]);
    expect(rows).toContainEqual([
      "standard (default)",
      "ebs.csi.aws.com",
      "Delete",
      "WaitForFirstConsumer",
      "true",
      expect.stringMatching(/^\d+s$/),
    ]);
    expect(rows).toContainEqual([
      "legacy",
      "kubernetes.io/no-provisioner",
      "Delete",
      "Immediate",
      "false",
      expect.stringMatching(/^\d+s$/),
    ]);
  });

  it("prints ingresses with class, hosts, address and ports", async () => {
    const r = await kubectl(admin, ["get", "ing"]);
    expect(r.stderr).toBe("");
    const [header, ...rows] = table(r.stdout);
    expect(header).toEqual(["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]);
    expect(rows).toContainEqual([
      "shop",
      "nginx",
      "shop.prod.example.com,api.prod.example.com",
      "34.1.2.3,lb.example.net",
      "80, 443",
      expect.stringMatching(/^\d+s$/),
    ]);
    // Three hosts at most; the rule without a host still counts towards "more".
    expect(r.stdout).toMatch(/^many\s+<none>\s+a\.x,b\.x,c\.x \+ 2 more\.\.\.\s+80\s+\d+s$/m);
  });

  it("prints autoscalers with their targets as current/target per metric", async () => {
    const r = await kubectl(admin, ["get", "hpa"]);
    expect(r.stderr).toBe("");
    const [header, ...rows] = table(r.stdout);
    expect(header).toEqual(["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]);
    expect(rows).toContainEqual([
      "web",
      "Deployment/web",
      "cpu: 42%/70%, memory: <unknown>/512Mi + 1 more...",
      "2",
      "10",
      "3",
      expect.stringMatching(/^\d+s$/),
    ]);
    expect(rows).toContainEqual([
      "new",
      "Deployment/api",
      "cpu: <unknown>/80%",
      "<unset>",
      "4",
      "0",
      expect.stringMatching(/^\d+s$/),
    ]);
  });

  it("prints quotas as used/hard, limits.* apart, in 1.32's column order", async () => {
    const r = await kubectl(admin, ["get", "quota"]);
    expect(r.stderr).toBe("");
    const [header, row] = table(r.stdout);
    expect(header).toEqual(["NAME", "AGE", "REQUEST", "LIMIT"]);
    expect(row).toEqual([
      "compute-resources",
      expect.stringMatching(/^\d+s$/),
      "pods: 7/50, requests.cpu: 1500m/8, requests.memory: 0/16Gi",
      "limits.memory: 3Gi/32Gi",
    ]);
  });

  it("prints limit ranges with the generic NAME and CREATED AT, service accounts with SECRETS", async () => {
    const limits = await kubectl(admin, ["get", "limits"]);
    expect(limits.stdout).toMatch(/^NAME\s+CREATED AT\ndefault-limits\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const sa = await kubectl(admin, ["get", "sa", "builder"]);
    expect(sa.stdout).toMatch(/^NAME\s+SECRETS\s+AGE\nbuilder\s+0\s+\d+s\n$/);
  });
});
