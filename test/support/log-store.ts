/**
 * The simulator's Elasticsearch-compatible store for tests: started on a free port, filled with
 * documents in the shapes KubeSphere's pipeline writes, and the gateway's settings to reach it.
 */
import { Client } from "@elastic/elasticsearch";
import { DEFAULT_LOG_STORE, type LogStoreSettings } from "../../src/config/index.js";
import { LogStoreServer, type LogStoreServerOptions } from "../../sim/logstore/server.js";

export async function startLogStore(options: LogStoreServerOptions = {}): Promise<LogStoreServer> {
  const server = new LogStoreServer(options);
  await server.listen();
  return server;
}

/** A log store entry of the gateway's config, as the loader resolves one. */
export function logStoreSettings(url: string, overrides: Partial<LogStoreSettings> = {}): LogStoreSettings {
  return {
    url,
    flavor: "elasticsearch",
    clusterField: DEFAULT_LOG_STORE.clusterField,
    indices: { ...DEFAULT_LOG_STORE.indices },
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 5000,
    maxConcurrentRequests: 8,
    ...overrides,
  };
}

export interface LogLineDoc {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  time: number;
  log: string;
  node?: string;
  labels?: Record<string, string>;
}

/** `ks-logstash-log-YYYY.MM.DD` of a time. */
export function dailyIndex(prefix: string, time: number): string {
  const d = new Date(time);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${prefix}-${d.getUTCFullYear()}.${p(d.getUTCMonth() + 1)}.${p(d.getUTCDate())}`;
}

/** A container log line as fluent-bit's kubernetes filter and ES output write it. */
export function logDocument(line: LogLineDoc): Record<string, unknown> {
  const labels = Object.fromEntries(
    Object.entries(line.labels ?? {}).map(([k, v]) => [k.replace(/\./g, "_"), v]),
  );
  return {
    log: `${line.log}\n`,
    time: new Date(line.time).toISOString(),
    stream: "stdout",
    cluster: line.cluster,
    kubernetes: {
      namespace_name: line.namespace,
      pod_name: line.pod,
      container_name: line.container,
      host: line.node ?? "node-0",
      labels,
    },
  };
}

/** Writes log lines with the official client's bulk helper (one request per 5,000). */
export async function writeLogLines(url: string, lines: readonly LogLineDoc[]): Promise<void> {
  const client = new Client({ node: url });
  try {
    for (let i = 0; i < lines.length; i += 5000) {
      const operations = lines
        .slice(i, i + 5000)
        .flatMap((l) => [
          { index: { _index: dailyIndex(DEFAULT_LOG_STORE.indices.logs, l.time) } },
          logDocument(l),
        ]);
      const answer = await client.bulk({ operations, refresh: true });
      if (answer.errors)
        throw new Error(`bulk: ${JSON.stringify(answer.items.find((it) => it.index?.error))}`);
    }
  } finally {
    await client.close();
  }
}
