/**
 * The metrics scenario's checks of answers: the per-object peer must give the gateway's page
 * (same workloads, same order, the same numbers within a tolerance: the two are read moments
 * apart, and a working set moves between scrapes), and the top-by-CPU page must be ordered.
 */
import { round } from "../proc-stats.js";
import type { WorkloadUsageRow } from "../queries.js";

export interface UsageComparison {
  matches: boolean;
  workloads: number;
  /** Workloads with a number on both sides (the rest must be null on both). */
  compared_values: number;
  /** The largest |a - b| / max(|a|, |b|) over every number compared. */
  max_relative_difference: number;
  /** The first few differences, for the result's notes. */
  differences: string[];
}

const SHOWN_DIFFERENCES = 5;
const METRICS = ["cpuUsage", "memoryWorkingSet"] as const;

const rowName = (r: WorkloadUsageRow): string => `${r.clusterName}/${r.namespaceName}/${r.kind}/${r.name}`;

export function compareUsage(
  gateway: readonly WorkloadUsageRow[],
  peer: readonly WorkloadUsageRow[],
  tolerance: number,
): UsageComparison {
  const differences: string[] = [];
  let compared = 0;
  let maxRelative = 0;
  if (gateway.length !== peer.length)
    differences.push(`${gateway.length} workloads from the gateway, ${peer.length} from the peer`);
  gateway.forEach((g, i) => {
    const p = peer[i];
    if (!p) return;
    if (rowName(g) !== rowName(p)) {
      differences.push(`row ${i}: ${rowName(g)} against ${rowName(p)}`);
      return;
    }
    for (const metric of METRICS) {
      const a = g.usage?.[metric] ?? null;
      const b = p.usage?.[metric] ?? null;
      if (a === null || b === null) {
        if (a !== b) differences.push(`${rowName(g)} ${metric}: ${a} against ${b}`);
        continue;
      }
      compared++;
      const scale = Math.max(Math.abs(a), Math.abs(b));
      const relative = scale === 0 ? 0 : Math.abs(a - b) / scale;
      maxRelative = Math.max(maxRelative, relative);
      if (relative > tolerance) differences.push(`${rowName(g)} ${metric}: ${a} against ${b}`);
    }
  });
  return {
    matches: differences.length === 0,
    workloads: gateway.length,
    compared_values: compared,
    max_relative_difference: round(maxRelative, 6),
    differences: differences.slice(0, SHOWN_DIFFERENCES),
  };
}

/** Whether a page ordered by CPU (descending) is so, every workload of it with a CPU figure. */
export function orderedByCpu(rows: readonly WorkloadUsageRow[]): boolean {
  const cpu = rows.map((r) => r.usage?.cpuUsage ?? null);
  return cpu.every((v, i) => v !== null && (i === 0 || v <= cpu[i - 1]!));
}

/** Distinct clusters of a page. */
export function clustersOf(rows: readonly WorkloadUsageRow[]): number {
  return new Set(rows.map((r) => r.clusterName)).size;
}
