import { describe, expect, it } from "vitest";
import type { SyncReport } from "../../src/cache/fleet-cache.js";
import { parseConfig } from "../../src/config/index.js";
import {
  DEFAULT_READINESS,
  judgeReadiness,
  requiredSynced,
  resolveReadiness,
  type ReadinessPolicy,
} from "../../src/http/readiness.js";
import { configError } from "./config-fixtures.js";

function report(synced: number, gaveUp: number, pending: number): SyncReport {
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const total = synced + gaveUp + pending;
  return {
    clustersTotal: total,
    clustersSynced: synced,
    clustersGaveUp: gaveUp,
    objects: 0,
    complete: pending === 0,
    synced: names("synced", synced),
    gaveUp: names("down", gaveUp),
    pending: names("pending", pending),
    failures: names("down", gaveUp).map((cluster) => ({
      cluster,
      reason: "unreachable" as const,
      message: "Pod: ECONNREFUSED",
    })),
    syncing: names("pending", pending).map((cluster, i) => ({
      cluster,
      state: "syncing" as const,
      objects: 0,
      kindsSynced: 10,
      kinds: 11,
      listedPages: i + 1,
      listedObjects: 500 * (i + 1),
      kindsQueued: 0,
    })),
    lists: { limit: 4, active: pending, queued: 0 },
  };
}

const policy = (p: Partial<ReadinessPolicy>): ReadinessPolicy => ({ ...DEFAULT_READINESS, ...p });

describe("the readiness policy", () => {
  it("by default wants one synced cluster and none pending", () => {
    expect(judgeReadiness(report(0, 3, 0), DEFAULT_READINESS)).toEqual({
      ready: false,
      reason:
        "0 of 3 clusters synced, 1 required; 3 failed: down-0 (unreachable), down-1 (unreachable), down-2 (unreachable)",
      requiredSynced: 1,
    });
    expect(judgeReadiness(report(1, 2, 0), DEFAULT_READINESS)).toEqual({ ready: true, requiredSynced: 1 });
    expect(judgeReadiness(report(2, 0, 1), DEFAULT_READINESS)).toMatchObject({
      ready: false,
      reason:
        "waiting for 1 of 3 clusters to finish their initial sync (pending-0: 10 of 11 kinds, 500 objects listed)",
    });
    // An empty fleet has nothing to wait for.
    expect(judgeReadiness(report(0, 0, 0), DEFAULT_READINESS)).toEqual({ ready: true, requiredSynced: 0 });
  });

  it("takes a count (capped at the fleet's size) or a percentage rounded up", () => {
    expect(requiredSynced(policy({ minSyncedClusters: 3 }), 5)).toBe(3);
    expect(requiredSynced(policy({ minSyncedClusters: 3 }), 2)).toBe(2);
    expect(requiredSynced(policy({ minSyncedClusters: "50%" }), 5)).toBe(3);
    expect(requiredSynced(policy({ minSyncedClusters: "100%" }), 5)).toBe(5);
    expect(requiredSynced(policy({ minSyncedClusters: "0%" }), 5)).toBe(0);
    expect(judgeReadiness(report(2, 3, 0), policy({ minSyncedClusters: "50%" })).ready).toBe(false);
    expect(judgeReadiness(report(3, 2, 0), policy({ minSyncedClusters: "50%" })).ready).toBe(true);
  });

  it("keeps the older rule with minSyncedClusters: 0, and stops waiting for stragglers without waitForAllClusters", () => {
    expect(judgeReadiness(report(0, 3, 0), policy({ minSyncedClusters: 0 })).ready).toBe(true);
    expect(judgeReadiness(report(1, 0, 2), policy({ waitForAllClusters: false })).ready).toBe(true);
    expect(judgeReadiness(report(0, 0, 2), policy({ waitForAllClusters: false }))).toMatchObject({
      ready: false,
      reason: "0 of 2 clusters synced, 1 required",
    });
  });

  it("says which clusters are still syncing and how far, and why each failed, naming five at most", () => {
    const slow = judgeReadiness(report(0, 0, 7), DEFAULT_READINESS);
    expect(slow.ready).toBe(false);
    expect(slow.reason).toMatch(/^waiting for 7 of 7 clusters to finish their initial sync \(pending-0: /);
    expect(slow.reason).toContain("pending-4: 10 of 11 kinds, 2500 objects listed, 2 more)");
    expect(slow.reason).not.toContain("pending-5");
    const forbidden = report(0, 1, 0);
    forbidden.failures[0] = { cluster: "down-0", reason: "forbidden", message: "Secret: HTTP 403" };
    expect(judgeReadiness(forbidden, DEFAULT_READINESS).reason).toBe(
      "0 of 1 clusters synced, 1 required; 1 failed: down-0 (forbidden)",
    );
    // A slow cluster is not a failed one: ready only once it synced, or with a share that allows it.
    expect(judgeReadiness(report(3, 0, 1), DEFAULT_READINESS).ready).toBe(false);
    expect(
      judgeReadiness(report(3, 0, 1), policy({ minSyncedClusters: "75%", waitForAllClusters: false })).ready,
    ).toBe(true);
  });
});

describe("the config file's readiness section", () => {
  it("is optional, and each key defaults on its own", () => {
    expect(resolveReadiness(parseConfig("", "/x/fleetgraph.yaml").readiness)).toEqual(DEFAULT_READINESS);
    const half = parseConfig('readiness: { minSyncedClusters: "50%" }\n', "/x/fleetgraph.yaml");
    expect(half.readiness).toEqual({ minSyncedClusters: "50%" });
    expect(resolveReadiness(half.readiness)).toEqual({ minSyncedClusters: "50%", waitForAllClusters: true });
    const all = parseConfig("readiness: { minSyncedClusters: 2, waitForAllClusters: false }\n", "/x/f.yaml");
    expect(resolveReadiness(all.readiness)).toEqual({ minSyncedClusters: 2, waitForAllClusters: false });
  });

  it("refuses counts and percentages that make no sense, and unknown keys", () => {
    const either =
      'must be a number of clusters (0 or more) or a percentage of the fleet from "0%" to "100%"';
    const cases: [string, string][] = [
      ["-1", "must be at least 0"],
      ["1.5", either],
      ['"150%"', either],
      ['"half"', either],
      ['"50"', either],
    ];
    for (const [bad, message] of cases) {
      const error = configError(() => parseConfig(`readiness:\n  minSyncedClusters: ${bad}\n`, "/x/f.yaml"));
      expect(error.message, bad).toBe(`/x/f.yaml:2: readiness.minSyncedClusters: ${message}`);
    }
    const typo = configError(() => parseConfig("readiness: { minSynced: 1 }\n", "/x/f.yaml"));
    expect(typo.message).toBe(
      "/x/f.yaml:1: readiness.minSynced: unknown field (expected one of: minSyncedClusters, waitForAllClusters)",
    );
  });
});
