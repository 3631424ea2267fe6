/**
 * A Prometheus configuration that scrapes a simulated fleet: one static target per cluster,
 * labelled with the cluster's name by the scrape config (a target label), the way a central
 * Prometheus tells clusters apart. The exporters never write the label themselves, so the same
 * series would also suit one Prometheus per cluster with no cluster label at all.
 */

export interface ScrapeTarget {
  cluster: string;
  /** The cluster's metrics URL, `http://host:port/metrics`. */
  metricsUrl: string;
}

export interface ScrapeConfigOptions {
  /** The target label naming the cluster; default `cluster`. */
  clusterLabel?: string;
  /** Prometheus duration; default `15s` (tests use `1s`). */
  scrapeInterval?: string;
  jobName?: string;
}

/** YAML (written as flow-style JSON values, which YAML reads the same) for `--config.file`. */
export function prometheusScrapeConfig(
  targets: readonly ScrapeTarget[],
  options: ScrapeConfigOptions = {},
): string {
  const label = options.clusterLabel ?? "cluster";
  const interval = options.scrapeInterval ?? "15s";
  const q = (text: string) => JSON.stringify(text);
  const lines = [
    "global:",
    `  scrape_interval: ${q(interval)}`,
    `  evaluation_interval: ${q(interval)}`,
    "scrape_configs:",
    `  - job_name: ${q(options.jobName ?? "fleetgraph-sim")}`,
    `    scrape_interval: ${q(interval)}`,
    "    static_configs:",
  ];
  for (const t of targets) {
    const url = new URL(t.metricsUrl);
    // metrics_path is per job, so a target that is not at /metrics says so with __metrics_path__.
    const path = url.pathname === "/metrics" ? {} : { __metrics_path__: url.pathname };
    lines.push(`      - targets: [${q(url.host)}]`);
    lines.push(`        labels: ${JSON.stringify({ [label]: t.cluster, ...path })}`);
  }
  return lines.join("\n") + "\n";
}

/** One target group of Prometheus's HTTP service discovery (`http_sd_configs`). */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/**
 * The same targets as HTTP service discovery answers them: a Prometheus whose own config is a
 * fixed file (docker-compose, other jobs beside the fleet's) finds the simulator's metrics ports,
 * which it picks at start, by polling this list.
 */
export function scrapeTargetGroups(
  targets: readonly ScrapeTarget[],
  options: Pick<ScrapeConfigOptions, "clusterLabel"> = {},
): TargetGroup[] {
  const label = options.clusterLabel ?? "cluster";
  return targets.map((t) => {
    const url = new URL(t.metricsUrl);
    const labels: Record<string, string> = { [label]: t.cluster };
    if (url.pathname !== "/metrics") labels.__metrics_path__ = url.pathname;
    return { targets: [url.host], labels };
  });
}
