/**
 * Event-to-client latency, joined after the fact: the load process recorded when each event
 * arrived and the resourceVersion of its pod; the simulator's commit log says when that revision
 * was committed (the change is in the store and every watcher is told in that tick). Both clocks
 * are the same machine's wall clock, read as `performance.timeOrigin + performance.now()`.
 *
 * Only changes committed inside the measured window count; an event that arrived for one of them
 * is a sample, and the pod changes of the window times the subscribers watching their namespace
 * is what should have arrived (DELETED events carry no object, so neither side counts them).
 */
import type { ReceivedSamples } from "../load/subscribers-spec.js";
import type { ClusterRevision, Simulator } from "../processes/simulator.js";
import { round } from "../proc-stats.js";
import { summarize, type LatencySummary } from "../stats.js";
import { watchedKey } from "./subscription-workload.js";

export interface LatencyJoin extends LatencySummary {
  /** Pod changes (created or updated) committed in the window, across the fleet. */
  pod_changes: number;
  /** Events that should have arrived: each change times the subscribers of its namespace. */
  expected_events: number;
  /** samples / expected_events (below 1: coalesced, lost, or still on their way after the drain). */
  delivered_share: number;
  /** Samples whose revision the commit log no longer held (0 unless the window was very long). */
  unmatched: number;
}

export async function joinLatency(
  sim: Simulator,
  received: ReceivedSamples,
  from: readonly ClusterRevision[],
  to: readonly ClusterRevision[],
  audience: ReadonlyMap<string, number>,
): Promise<LatencyJoin> {
  const end = new Map(to.map((c) => [c.name, c.revision]));
  const committed = new Map<string, Map<number, number>>();
  let podChanges = 0;
  let expected = 0;
  await Promise.all(
    from.map(async ({ name, revision }) => {
      const commits = await sim.commits(name, revision, end.get(name) ?? revision, "pods");
      const at = new Map<number, number>();
      for (const commit of commits) {
        if (commit.type === "DELETED") continue;
        at.set(commit.revision, commit.at);
        podChanges++;
        expected += audience.get(watchedKey({ cluster: name, namespace: commit.namespace ?? "" })) ?? 0;
      }
      committed.set(name, at);
    }),
  );
  const start = new Map(from.map((c) => [c.name, c.revision]));
  const latencies: number[] = [];
  let unmatched = 0;
  for (const [index, revision, arrived] of received.samples) {
    const cluster = received.clusters[index]!;
    const first = start.get(cluster);
    const last = end.get(cluster);
    // Changes from before the window or after it are not this window's.
    if (first === undefined || last === undefined || revision <= first || revision > last) continue;
    const at = committed.get(cluster)?.get(revision);
    if (at === undefined) unmatched++;
    else latencies.push(arrived - at);
  }
  return {
    ...summarize(latencies),
    pod_changes: podChanges,
    expected_events: expected,
    delivered_share: expected > 0 ? round(latencies.length / expected, 4) : 0,
    unmatched,
  };
}
