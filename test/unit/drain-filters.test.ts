import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import {
  DAEMONSET_REFUSAL,
  drainVerdict,
  LOCAL_STORAGE_REFUSAL,
  UNREPLICATED_REFUSAL,
} from "../../src/mutations/drain-filters.js";

const DEFAULTS = { ignoreDaemonSets: true, deleteEmptyDirData: false, force: false };

function pod(
  owner: string | undefined,
  extra: { phase?: string; emptyDir?: boolean; mirror?: boolean } = {},
): KubeObject {
  return {
    metadata: {
      name: "p",
      namespace: "n",
      ...(owner
        ? { ownerReferences: [{ apiVersion: "apps/v1", kind: owner, name: "o", uid: "u", controller: true }] }
        : {}),
      ...(extra.mirror ? { annotations: { "kubernetes.io/config.mirror": "abc" } } : {}),
    },
    spec: { containers: [], ...(extra.emptyDir ? { volumes: [{ name: "scratch", emptyDir: {} }] } : {}) },
    status: { phase: extra.phase ?? "Running" },
  };
}

describe("kubectl drain's pod filters", () => {
  it("evicts replicated pods; skips or refuses DaemonSet pods as asked", () => {
    expect(drainVerdict(pod("ReplicaSet"), DEFAULTS)).toEqual({ action: "evict" });
    expect(drainVerdict(pod("DaemonSet"), DEFAULTS).action).toBe("skip");
    expect(drainVerdict(pod("DaemonSet"), { ...DEFAULTS, ignoreDaemonSets: false })).toEqual({
      action: "refuse",
      reason: DAEMONSET_REFUSAL,
    });
  });

  it("skips mirror pods, even without a controller", () => {
    expect(drainVerdict(pod(undefined, { mirror: true }), DEFAULTS).action).toBe("skip");
  });

  it("refuses emptyDir data and controller-less pods unless deleteEmptyDirData / force, then warns", () => {
    expect(drainVerdict(pod("ReplicaSet", { emptyDir: true }), DEFAULTS)).toEqual({
      action: "refuse",
      reason: LOCAL_STORAGE_REFUSAL,
    });
    expect(
      drainVerdict(pod("ReplicaSet", { emptyDir: true }), { ...DEFAULTS, deleteEmptyDirData: true }),
    ).toEqual({
      action: "evict",
      warning: "its emptyDir data is deleted",
    });
    expect(drainVerdict(pod(undefined), DEFAULTS)).toEqual({
      action: "refuse",
      reason: UNREPLICATED_REFUSAL,
    });
    expect(drainVerdict(pod(undefined), { ...DEFAULTS, force: true })).toEqual({
      action: "evict",
      warning: "no controller will recreate it",
    });
  });

  it("lets finished pods go whatever they are: removing them loses nothing", () => {
    for (const phase of ["Succeeded", "Failed"]) {
      expect(drainVerdict(pod(undefined, { phase, emptyDir: true }), DEFAULTS)).toEqual({ action: "evict" });
      expect(drainVerdict(pod("DaemonSet", { phase }), { ...DEFAULTS, ignoreDaemonSets: false })).toEqual({
        action: "evict",
      });
    }
  });
});
