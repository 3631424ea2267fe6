/**
 * node-exporter's series per node: CPU seconds by cpu and mode, memory, load and the root
 * filesystem. A real node-exporter is one target per node and carries no node name; here one
 * target serves the whole cluster, so every series carries `node`, the label a per-node scrape's
 * relabelling (kube-prometheus's `__meta_kubernetes_pod_node_name`) would have given it.
 *
 * The node's busy share is the sum of its running pods' CPU (plus the system daemons), so CPU
 * seconds follow the pods placed on the node. That share changes as pods come and go, so the
 * counters are integrated between scrapes (NodeCpuClock) rather than computed as rate × uptime,
 * which would make them fall when a pod leaves.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { MetricFamily } from "./exposition.js";
import { amount, containersOf, containerUsage, fraction, isRunning } from "./usage.js";

const MODES = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"] as const;
type Mode = (typeof MODES)[number];

/** How busy time splits over the modes; the rest of each second is idle. */
const BUSY_SPLIT: Readonly<Record<Exclude<Mode, "idle">, number>> = {
  user: 0.68,
  system: 0.22,
  iowait: 0.04,
  softirq: 0.03,
  irq: 0.01,
  nice: 0.01,
  steal: 0.01,
};

/** Cores the kubelet, the container runtime and the OS keep busy regardless of pods. */
const SYSTEM_CORES = 0.08;

interface NodeAccount {
  atMs: number;
  /** Seconds per cpu, by mode (every cpu of a node is as busy as the others). */
  seconds: Record<Mode, number>;
}

/** Per-node CPU counters that only grow, whatever the pods do between two scrapes. */
export class NodeCpuClock {
  private readonly accounts = new Map<string, NodeAccount>();

  /** Advances the node's counters to `nowMs` at `busy` (0..1 of each cpu) and returns them. */
  advance(nodeUid: string, bootMs: number, busy: number, nowMs: number): Record<Mode, number> {
    let account = this.accounts.get(nodeUid);
    if (!account) {
      account = {
        atMs: bootMs,
        seconds: Object.fromEntries(MODES.map((m) => [m, 0])) as Record<Mode, number>,
      };
      this.accounts.set(nodeUid, account);
    }
    const dt = Math.max(0, (nowMs - account.atMs) / 1000);
    for (const mode of MODES)
      account.seconds[mode] += dt * (mode === "idle" ? 1 - busy : busy * BUSY_SPLIT[mode]);
    account.atMs = Math.max(account.atMs, nowMs);
    return account.seconds;
  }

  /** Forgets nodes no longer in the store. */
  retain(nodeUids: ReadonlySet<string>): void {
    for (const uid of this.accounts.keys()) if (!nodeUids.has(uid)) this.accounts.delete(uid);
  }
}

interface NodeLoad {
  cpuCores: number;
  memoryBytes: number;
}

function loadsByNode(
  seed: string,
  pods: readonly KubeObject[],
  nowMs: number,
  autoscaled: ReadonlyMap<string, number>,
): Map<string, NodeLoad> {
  const loads = new Map<string, NodeLoad>();
  for (const pod of pods) {
    if (!isRunning(pod)) continue;
    const node = (pod.spec as { nodeName: string }).nodeName;
    const load = loads.get(node) ?? { cpuCores: 0, memoryBytes: 0 };
    for (const c of containersOf(pod)) {
      const uid = pod.metadata.uid ?? "";
      const u = containerUsage(seed, uid, c, nowMs, autoscaled.get(uid));
      load.cpuCores += u.cpuCores;
      load.memoryBytes += u.memoryBytes;
    }
    loads.set(node, load);
  }
  return loads;
}

export interface NodeExporterInputs {
  seed: string;
  nodes: readonly KubeObject[];
  pods: readonly KubeObject[];
  nowMs: number;
  /** Autoscaled pods' CPU share of their requests, by uid. */
  autoscaled: ReadonlyMap<string, number>;
  clock: NodeCpuClock;
}

export function nodeExporterFamilies({
  seed,
  nodes,
  pods,
  nowMs,
  autoscaled,
  clock,
}: NodeExporterInputs): MetricFamily[] {
  const cpu = new MetricFamily("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.");
  const memAvailable = new MetricFamily(
    "node_memory_MemAvailable_bytes",
    "gauge",
    "Memory information field MemAvailable_bytes.",
  );
  const memTotal = new MetricFamily(
    "node_memory_MemTotal_bytes",
    "gauge",
    "Memory information field MemTotal_bytes.",
  );
  const load1 = new MetricFamily("node_load1", "gauge", "1m load average.");
  const fsAvail = new MetricFamily(
    "node_filesystem_avail_bytes",
    "gauge",
    "Filesystem space available to non-root users in bytes.",
  );
  const fsSize = new MetricFamily("node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.");
  const loads = loadsByNode(seed, pods, nowMs, autoscaled);
  const seen = new Set<string>();
  for (const n of nodes) {
    const node = n.metadata.name ?? "";
    const uid = n.metadata.uid ?? node;
    seen.add(uid);
    const capacity = (n.status as { capacity?: Record<string, string> } | undefined)?.capacity;
    const cores = Math.max(1, Math.round(amount(capacity, "cpu") ?? 1));
    const load = loads.get(node) ?? { cpuCores: 0, memoryBytes: 0 };
    const busy = Math.min(0.98, (load.cpuCores + SYSTEM_CORES) / cores);
    const bootMs = Date.parse(n.metadata.creationTimestamp ?? "") || nowMs;
    const seconds = clock.advance(uid, bootMs, busy, nowMs);
    for (let i = 0; i < cores; i++)
      for (const mode of MODES) cpu.add({ node, cpu: String(i), mode }, round3(seconds[mode]));

    const total = amount(capacity, "memory") ?? 0;
    // The OS and the node's daemons hold about 6 % besides the pods' working sets.
    memTotal.add({ node }, total);
    memAvailable.add({ node }, Math.max(0, Math.round(total * 0.94 - load.memoryBytes)));
    load1.add({ node }, round3((load.cpuCores + SYSTEM_CORES) * (0.9 + 0.2 * fraction(seed, uid, "load"))));

    const size = amount(capacity, "ephemeral-storage") ?? 100 * 1024 ** 3;
    const fs = { node, device: "/dev/nvme0n1p1", fstype: "ext4", mountpoint: "/" };
    fsSize.add(fs, size);
    // Images and logs take 25–60 % of the disk; the share is the node's own, not the pods'.
    fsAvail.add(fs, Math.round(size * (0.4 + 0.35 * fraction(seed, uid, "disk"))));
  }
  clock.retain(seen);
  return [cpu, memAvailable, memTotal, load1, fsAvail, fsSize];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
