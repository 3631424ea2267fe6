/**
 * Storage: a StatefulSet's claims from its volumeClaimTemplates, the volume binder (dynamic
 * provisioning, WaitForFirstConsumer, static volumes, release and reclaim) and the protection
 * finalizers, all driven by the real controllers over a store.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import { eventsFor, K, kind, newCluster, phase, podsOf, status, template } from "./controllers-fixtures.js";

const PVC = kind("", "persistentvolumeclaims");
const PV = kind("", "persistentvolumes");
const SC = kind("storage.k8s.io", "storageclasses");

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

/** A cluster whose nodes sit in zones, with a default WaitForFirstConsumer class and an Immediate one. */
function storageCluster(): { store: ClusterStore; c: Controllers } {
  const store = newCluster();
  for (const [i, n] of store.all(K.node).entries()) {
    store.mutate(K.node, undefined, n.metadata.name!, (draft) => {
      draft.metadata.labels = {
        ...draft.metadata.labels,
        "topology.kubernetes.io/zone": `eu-west-1${"abc"[i]}`,
      };
    });
  }
  store.create(SC, {
    metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "ebs.csi.aws.com",
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  });
  store.create(SC, {
    metadata: { name: "instant" },
    provisioner: "ebs.csi.aws.com",
    reclaimPolicy: "Retain",
  });
  controllers = startControllers(store, { podStartDelayMs: 10 });
  return { store, c: controllers };
}

function statefulSet(replicas: number, whenScaled = "Retain"): KubeObject {
  return {
    metadata: { name: "db", namespace: "shop" },
    spec: {
      replicas,
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      template: template("db", "postgres:16"),
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
        },
      ],
    },
  };
}

/** The fields these tests read from pods, claims and volumes. */
interface Spec {
  replicas?: number;
  nodeName?: string;
  volumes?: unknown[];
  storageClassName?: string;
  volumeName?: string;
  claimRef?: { name?: string };
  nodeAffinity?: { required: { nodeSelectorTerms: { matchExpressions: unknown[] }[] } };
}
const spec = (obj: KubeObject | undefined): Spec => (obj?.spec as Spec | undefined) ?? {};
const claimNames = (store: ClusterStore) => store.all(PVC, "shop").map((c) => c.metadata.name);

function claim(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name, namespace: "shop" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } }, ...extra },
  };
}

describe("StatefulSet claims and dynamic provisioning", () => {
  it("creates one claim per ordinal, mounts it, and binds it to a volume provisioned in the pod's zone", () => {
    const { store, c } = storageCluster();
    store.create(K.sts, statefulSet(2));
    c.runUntilIdle();
    expect(claimNames(store)).toEqual(["data-db-0", "data-db-1"]);
    for (const pod of podsOf(store, "shop", "db")) {
      const ordinal = pod.metadata.name!.slice(3);
      expect(spec(pod).volumes).toContainEqual({
        name: "data",
        persistentVolumeClaim: { claimName: `data-db-${ordinal}` },
      });
      expect(phase(pod)).toBe("Running");
      const pvc = store.get(PVC, "shop", `data-db-${ordinal}`)!;
      // DefaultStorageClass admission named the class; the selector's labels went onto the claim.
      expect(spec(pvc).storageClassName).toBe("standard");
      expect(pvc.metadata.labels).toEqual({ app: "db" });
      expect(pvc.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
      expect(pvc.metadata.annotations).toMatchObject({
        "volume.kubernetes.io/selected-node": spec(pod).nodeName,
        "pv.kubernetes.io/bind-completed": "yes",
        "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
      });
      expect(status(pvc)).toEqual({
        phase: "Bound",
        accessModes: ["ReadWriteOnce"],
        capacity: { storage: "10Gi" },
      });
      const pv = store.get(PV, undefined, spec(pvc).volumeName!)!;
      expect(pv.metadata.name).toBe(`pvc-${pvc.metadata.uid}`);
      expect(pv.metadata.finalizers).toEqual([
        "external-provisioner.volume.kubernetes.io/finalizer",
        "kubernetes.io/pv-protection",
      ]);
      expect(spec(pv)).toMatchObject({
        claimRef: {
          kind: "PersistentVolumeClaim",
          namespace: "shop",
          name: pvc.metadata.name,
          uid: pvc.metadata.uid,
        },
        capacity: { storage: "10Gi" },
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: "standard",
        csi: { driver: "ebs.csi.aws.com", volumeHandle: expect.stringMatching(/^vol-0[0-9a-f]{16}$/) },
      });
      const node = store.get(K.node, undefined, spec(pod).nodeName!)!;
      expect(spec(pv).nodeAffinity?.required.nodeSelectorTerms[0]?.matchExpressions[0]).toEqual({
        key: "topology.ebs.csi.aws.com/zone",
        operator: "In",
        values: [node.metadata.labels!["topology.kubernetes.io/zone"]],
      });
      expect(status(pv).phase).toBe("Bound");
    }
    expect(eventsFor(store, "data-db-0").map((e) => e.reason)).toContain("ProvisioningSucceeded");
  });

  it("keeps Retain claims when scaling down and reuses them on the way back up", () => {
    const { store, c } = storageCluster();
    store.create(K.sts, statefulSet(2));
    c.runUntilIdle();
    const uid = store.get(PVC, "shop", "data-db-1")!.metadata.uid;
    store.mutate(K.sts, "shop", "db", (draft) => void (spec(draft).replicas = 1));
    c.runUntilIdle();
    expect(podsOf(store, "shop", "db").map((p) => p.metadata.name)).toEqual(["db-0"]);
    expect(status(store.get(PVC, "shop", "data-db-1")).phase).toBe("Bound");
    store.mutate(K.sts, "shop", "db", (draft) => void (spec(draft).replicas = 2));
    c.runUntilIdle();
    expect(store.get(PVC, "shop", "data-db-1")!.metadata.uid).toBe(uid);
    expect(store.all(PV)).toHaveLength(2);
  });

  it("with whenScaled: Delete hands a scaled-down pod its claims, so claim and volume go with it", () => {
    const { store, c } = storageCluster();
    store.create(K.sts, statefulSet(3, "Delete"));
    c.runUntilIdle();
    expect(store.all(PV)).toHaveLength(3);
    store.mutate(K.sts, "shop", "db", (draft) => void (spec(draft).replicas = 1));
    c.runUntilIdle();
    expect(claimNames(store)).toEqual(["data-db-0"]);
    expect(store.all(PV).map((pv) => spec(pv).claimRef?.name)).toEqual(["data-db-0"]);
  });
});

describe("the volume binder", () => {
  it("leaves a WaitForFirstConsumer claim Pending until a pod using it is scheduled", () => {
    const { store, c } = storageCluster();
    store.create(PVC, {
      ...claim("uploads", { storageClassName: "standard" }),
      status: { phase: "Pending" },
    });
    c.runUntilIdle();
    expect(status(store.get(PVC, "shop", "uploads")).phase).toBe("Pending");
    expect(eventsFor(store, "uploads").map((e) => e.reason)).toContain("WaitForFirstConsumer");
    store.create(K.pod, {
      metadata: { name: "web", namespace: "shop" },
      spec: {
        containers: [{ name: "web", image: "nginx:1.27" }],
        volumes: [{ name: "u", persistentVolumeClaim: { claimName: "uploads" } }],
      },
    });
    c.runUntilIdle();
    const bound = store.get(PVC, "shop", "uploads")!;
    expect(status(bound).phase).toBe("Bound");
    expect(bound.metadata.annotations?.["volume.kubernetes.io/selected-node"]).toBe(
      spec(store.get(K.pod, "shop", "web")).nodeName,
    );
  });

  it("binds to the smallest Available volume that fits before provisioning, and releases it by its policy", () => {
    const { store, c } = storageCluster();
    const volume = (name: string, size: string, policy: string): KubeObject => ({
      metadata: { name },
      spec: {
        capacity: { storage: size },
        accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
        storageClassName: "",
        persistentVolumeReclaimPolicy: policy,
        hostPath: { path: `/mnt/${name}` },
      },
    });
    store.create(PV, volume("big", "100Gi", "Retain"));
    store.create(PV, volume("small", "2Gi", "Retain"));
    store.create(PV, volume("fits", "8Gi", "Retain"));
    c.runUntilIdle();
    expect(store.all(PV).map((v) => status(v).phase)).toEqual(["Available", "Available", "Available"]);
    store.create(PVC, claim("static", { storageClassName: "" }));
    c.runUntilIdle();
    expect(spec(store.get(PVC, "shop", "static")).volumeName).toBe("fits");
    expect(status(store.get(PV, undefined, "fits")).phase).toBe("Bound");
    expect(
      store.get(PVC, "shop", "static")!.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"],
    ).toBe("yes");

    store.delete(PVC, "shop", "static");
    c.runUntilIdle();
    expect(status(store.get(PV, undefined, "fits"))).toMatchObject({ phase: "Released" });

    // An Immediate class provisions at once; its Retain policy keeps the volume after the claim.
    store.create(PVC, claim("now", { storageClassName: "instant" }));
    c.runUntilIdle();
    const name = spec(store.get(PVC, "shop", "now")).volumeName as string;
    expect(name).toMatch(/^pvc-/);
    store.delete(PVC, "shop", "now");
    c.runUntilIdle();
    expect(status(store.get(PV, undefined, name)).phase).toBe("Released");
  });
});

describe("storage protection", () => {
  it("keeps a deleted claim Terminating while a pod mounts it, then deletes it and its volume", () => {
    const { store, c } = storageCluster();
    store.create(K.sts, statefulSet(1));
    c.runUntilIdle();
    const volumeName = spec(store.get(PVC, "shop", "data-db-0")).volumeName as string;
    store.delete(PVC, "shop", "data-db-0");
    c.runUntilIdle();
    expect(store.get(PVC, "shop", "data-db-0")!.metadata.deletionTimestamp).toBeTruthy();
    expect(status(store.get(PV, undefined, volumeName)).phase).toBe("Bound");

    store.delete(K.sts, "shop", "db");
    c.runUntilIdle();
    expect(store.get(PVC, "shop", "data-db-0")).toBeUndefined();
    expect(store.get(PV, undefined, volumeName)).toBeUndefined();
  });

  it("keeps a deleted volume while it is Bound", () => {
    const { store, c } = storageCluster();
    store.create(PVC, {
      ...claim("now", { storageClassName: "instant" }),
      metadata: { name: "now", namespace: "shop", finalizers: ["kubernetes.io/pvc-protection"] },
    });
    c.runUntilIdle();
    const name = spec(store.get(PVC, "shop", "now")).volumeName as string;
    store.delete(PV, undefined, name);
    c.runUntilIdle();
    expect(store.get(PV, undefined, name)!.metadata.deletionTimestamp).toBeTruthy();
    store.delete(PVC, "shop", "now");
    c.runUntilIdle();
    expect(store.get(PV, undefined, name)).toBeUndefined();
  });

  it("lets a namespace with claims and volumes terminate", () => {
    const { store, c } = storageCluster();
    store.create(K.sts, statefulSet(2));
    c.runUntilIdle();
    store.delete(K.ns, undefined, "shop");
    c.runUntilIdle();
    expect(store.get(K.ns, undefined, "shop")).toBeUndefined();
    expect(store.all(PV)).toEqual([]);
  });
});
