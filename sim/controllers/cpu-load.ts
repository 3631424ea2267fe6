/**
 * The CPU the simulated users put on each autoscaled workload: what metrics-server would report
 * summed over its pods, in millicores. No real load exists, so it is invented: at first sight a
 * workload runs at its autoscaler's target, give or take a few percent (by its name, so a fleet
 * starts the same way every time), and then only the churn moves it.
 */
import { fnv32a } from "./template-hash.js";

export class CpuLoad {
  private readonly millicores = new Map<string, number>();

  /**
   * The load on a workload; the first time, what `replicas` pods requesting `requestMilli` each
   * use at `targetPercent` of it, within ±8 % (inside the autoscaler's 10 % tolerance).
   */
  of(workload: string, replicas: number, requestMilli: number, targetPercent: number): number {
    let load = this.millicores.get(workload);
    if (load === undefined) {
      const jitter = 0.92 + ((fnv32a(workload) % 1000) / 1000) * 0.16;
      load = Math.round(replicas * requestMilli * (targetPercent / 100) * jitter);
      this.millicores.set(workload, load);
    }
    return load;
  }

  set(workload: string, millicores: number): void {
    this.millicores.set(workload, Math.max(0, Math.round(millicores)));
  }
}
