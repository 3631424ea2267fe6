/**
 * The audit layer of the gateway: the AuditTrail of the config in force (or of DEFAULT_AUDIT when
 * the file has no `audit` section), its sinks, and the recorder handed to the login routes, the
 * request contexts and the GraphQL plugin. Started once the port is known (the default spool is
 * per port); stopped after the HTTP server, so the last requests' events are still recorded.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { AuditRecorder } from "../audit/recorder.js";
import { GatewayLogSink } from "../audit/sinks/gateway-log-sink.js";
import { JsonLinesSink } from "../audit/sinks/json-lines-sink.js";
import { LogStoreSink } from "../audit/sinks/log-store-sink.js";
import type { AuditSink } from "../audit/sinks/sink.js";
import { AuditTrail } from "../audit/trail.js";
import { LogStoreClient } from "../backends/logstore/client.js";
import { DEFAULT_AUDIT, type AuditSettings, type GatewayConfig } from "../config/index.js";

export interface AuditLayer {
  /** What audited code records through; discards when `audit.enabled` is false. */
  readonly recorder: AuditRecorder;
  /** Undefined when auditing is off. */
  readonly trail?: AuditTrail;
  stop(): Promise<void>;
}

/** The settings in force: the file's section, or the defaults with the shared log store. */
export function auditSettingsOf(config: GatewayConfig): AuditSettings {
  if (config.audit) return config.audit;
  const shared = config.logs?.elasticsearch;
  return { ...DEFAULT_AUDIT, ...(shared ? { logStore: shared } : {}) };
}

/** Where a replica without `audit.spoolDir` spools: per port, so two local gateways do not share. */
export function defaultSpoolDir(port: number): string {
  return join(tmpdir(), `fleetgraph-audit-${port}`);
}

export async function startAudit(config: GatewayConfig, port: number, logger: Logger): Promise<AuditLayer> {
  const settings = auditSettingsOf(config);
  if (!settings.enabled) {
    logger.warn("audit.enabled is false: logins, tokens and denials are not recorded");
    return { recorder: DISCARD, stop: () => Promise.resolve() };
  }
  const sinks: AuditSink[] = [];
  if (settings.logStore) sinks.push(new LogStoreSink(new LogStoreClient(settings.logStore), settings.index));
  if (settings.file) sinks.push(new JsonLinesSink(settings.file));
  if (settings.log ?? sinks.length === 0)
    sinks.push(new GatewayLogSink(logger.child({ component: "audit" })));
  const spoolDir = settings.spoolDir ?? defaultSpoolDir(port);
  if (settings.spoolDir === undefined)
    logger.warn(
      { spoolDir },
      "audit.spoolDir is not set: audit events are spooled in a temporary directory; give each replica a persistent one (docs/security.md)",
    );
  const trail = await AuditTrail.start({
    spoolDir,
    sinks,
    ...(settings.replica !== undefined ? { replica: settings.replica } : {}),
    batchSize: settings.batchSize,
    flushIntervalMs: settings.flushIntervalMs,
    maxSpoolBytes: settings.maxSpoolBytes,
    segmentBytes: settings.segmentBytes,
    logger,
  });
  logger.info(
    {
      spoolDir,
      sinks: sinks.map((s) => (s instanceof LogStoreSink ? `${s.name} ${s.backend}` : s.name)),
      index: `${settings.index}-YYYY.MM.DD`,
      replica: trail.replica,
    },
    "audit trail started",
  );
  return { recorder: trail, trail, stop: () => trail.stop(settings.stopTimeoutMs) };
}

const DISCARD: AuditRecorder = {
  record: (record) =>
    Promise.resolve({ id: "", time: new Date().toISOString(), replica: "", instance: "", ...record }),
};
