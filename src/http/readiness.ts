/**
 * When the gateway is ready to take traffic (/readyz), as a policy over the fleet cache's sync
 * report. Ready means this process's caches have something worth serving:
 *   - at least `minSyncedClusters` clusters finished their initial sync (a count, capped at the
 *     fleet's size, or a percentage of it rounded up), and
 *   - with `waitForAllClusters`, no cluster is still on its way: each synced or failed for a
 *     stated reason (forbidden, TLS, unreachable after its list attempts or by its health probe),
 *     since waiting longer for those would not make the answers better. A cluster whose lists are
 *     slow, or wait for a permit of the fleet's list scheduler, is still on its way.
 * The default (1 and true) keeps a gateway whose every cluster is unreachable out of rotation,
 * which the older "every cluster synced or gave up" rule let in. A cluster that synced and later
 * went down still counts: its cache keeps serving, marked stale, and member outages must not take
 * every replica of the gateway out of rotation at once.
 */
import type { SyncReport } from "../cache/fleet-cache.js";
import type { ReadinessSettings } from "../config/index.js";

export interface ReadinessPolicy {
  /** Clusters that must have synced: a count, or a percentage of the fleet such as "50%". */
  minSyncedClusters: number | `${number}%`;
  /** Whether every cluster must have synced or given up, not only `minSyncedClusters`. */
  waitForAllClusters: boolean;
}

export const DEFAULT_READINESS: Readonly<ReadinessPolicy> = Object.freeze({
  minSyncedClusters: 1,
  waitForAllClusters: true,
});

export interface ReadinessVerdict {
  ready: boolean;
  /** Why not, for people (absent when ready). */
  reason?: string;
  /** How many synced clusters the policy asks for, on this fleet. */
  requiredSynced: number;
}

/** The policy of the config file's `readiness` section, defaults filled in. */
export function resolveReadiness(settings: ReadinessSettings | undefined): ReadinessPolicy {
  return {
    minSyncedClusters: settings?.minSyncedClusters ?? DEFAULT_READINESS.minSyncedClusters,
    waitForAllClusters: settings?.waitForAllClusters ?? DEFAULT_READINESS.waitForAllClusters,
  };
}

/** Synced clusters `policy` asks for in a fleet of `total`: never more than there are. */
export function requiredSynced(policy: ReadinessPolicy, total: number): number {
  const min = policy.minSyncedClusters;
  const wanted = typeof min === "number" ? min : Math.ceil((Number.parseFloat(min) / 100) * total);
  return Math.min(wanted, total);
}

export function judgeReadiness(report: SyncReport, policy: ReadinessPolicy): ReadinessVerdict {
  const required = requiredSynced(policy, report.clustersTotal);
  const synced = report.synced.length;
  const pending = report.pending.length;
  if (policy.waitForAllClusters && pending > 0) {
    return {
      ready: false,
      reason: `waiting for ${pending} of ${report.clustersTotal} clusters to finish their initial sync${syncingOf(report)}`,
      requiredSynced: required,
    };
  }
  if (synced < required) {
    const gaveUp = report.gaveUp.length > 0 ? `; ${report.gaveUp.length} failed: ${failuresOf(report)}` : "";
    return {
      ready: false,
      reason: `${synced} of ${report.clustersTotal} clusters synced, ${required} required${gaveUp}`,
      requiredSynced: required,
    };
  }
  return { ready: true, requiredSynced: required };
}

/** The first few clusters, to name in a reason: the body lists them all. */
const NAMED = 5;

function syncingOf(report: SyncReport): string {
  const named = report.syncing
    .slice(0, NAMED)
    .map((p) => `${p.cluster}: ${p.kindsSynced} of ${p.kinds} kinds, ${p.listedObjects} objects listed`);
  if (named.length === 0) return "";
  const more = report.syncing.length > NAMED ? `, ${report.syncing.length - NAMED} more` : "";
  return ` (${named.join("; ")}${more})`;
}

function failuresOf(report: SyncReport): string {
  const named = report.failures.slice(0, NAMED).map((f) => `${f.cluster} (${f.reason})`);
  const more = report.failures.length > NAMED ? `, ${report.failures.length - NAMED} more` : "";
  // A report without reasons (an older source) still counts its clusters.
  return named.length > 0 ? `${named.join(", ")}${more}` : report.gaveUp.join(", ");
}
