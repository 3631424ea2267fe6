/**
 * Everything one simulated cluster exports, rendered at scrape time from its store: the
 * kube-state-metrics, cAdvisor and node-exporter series in one exposition.
 */
import type { ClusterStore } from "../store/cluster-store.js";
import { autoscaledCpuShares } from "./autoscaled-load.js";
import { cadvisorFamilies } from "./cadvisor.js";
import { CpuCounters } from "./cpu-counters.js";
import { renderFamilies } from "./exposition.js";
import { KINDS, kubeStateFamilies } from "./kube-state.js";
import { NodeCpuClock, nodeExporterFamilies } from "./node-exporter.js";

export interface ClusterMetricsOptions {
  store: ClusterStore;
  /** The fleet's seed: usage is a function of it and each object's uid. */
  seed: string;
  /** Epoch milliseconds; tests move it by hand. */
  now?: () => number;
}

export class ClusterMetrics {
  private readonly store: ClusterStore;
  private readonly seed: string;
  private readonly now: () => number;
  private readonly nodeCpu = new NodeCpuClock();
  private readonly containerCpu = new CpuCounters();

  constructor(options: ClusterMetricsOptions) {
    this.store = options.store;
    this.seed = options.seed;
    this.now = options.now ?? Date.now;
  }

  /** The exposition text of a scrape now. */
  scrape(): string {
    const nowMs = this.now();
    const pods = this.store.all(KINDS.pod);
    const nodes = this.store.all(KINDS.node);
    const seed = this.seed;
    const autoscaled = autoscaledCpuShares(this.store, seed);
    this.containerCpu.beginScrape();
    const text = renderFamilies([
      ...kubeStateFamilies(this.store),
      ...cadvisorFamilies({ seed, pods, nowMs, autoscaled, counters: this.containerCpu }),
      ...nodeExporterFamilies({ seed, nodes, pods, nowMs, autoscaled, clock: this.nodeCpu }),
    ]);
    this.containerCpu.endScrape();
    return text;
  }
}
