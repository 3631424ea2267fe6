/**
 * What Alertmanager's API v2 answers (/api/v2/alerts, /api/v2/status), as plain records. A 2xx
 * answer of another shape is thrown as an AnswerShapeError for the client to report.
 */
import { AnswerShapeError } from "../prometheus/samples.js";

/** One alert of GET /api/v2/alerts (its `gettableAlert`). */
export interface AlertmanagerAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  updatedAt: string;
  endsAt?: string;
  generatorURL?: string;
  /** "active" | "suppressed" | "unprocessed". */
  state: string;
  silencedBy: string[];
  inhibitedBy: string[];
  receivers: string[];
}

/** GET /api/v2/status, the parts the gateway shows. */
export interface AlertmanagerStatus {
  version: string;
  /** "ready" | "settling" | "disabled". */
  clusterStatus: string;
  peers: number;
  uptime: string;
}

export function alertmanagerAlerts(parsed: unknown): AlertmanagerAlert[] {
  if (!Array.isArray(parsed)) throw new AnswerShapeError("the alerts answer is not a list");
  return parsed.map((entry: unknown) => {
    if (!isObject(entry) || typeof entry.fingerprint !== "string" || !isObject(entry.labels))
      throw new AnswerShapeError("an alert has no fingerprint or labels");
    const status = isObject(entry.status) ? entry.status : {};
    return {
      fingerprint: entry.fingerprint,
      labels: strings(entry.labels),
      annotations: strings(entry.annotations),
      startsAt: text(entry.startsAt),
      updatedAt: text(entry.updatedAt) || text(entry.startsAt),
      ...(text(entry.endsAt) !== "" ? { endsAt: text(entry.endsAt) } : {}),
      ...(text(entry.generatorURL) !== "" ? { generatorURL: text(entry.generatorURL) } : {}),
      state: text(status.state) || "active",
      silencedBy: list(status.silencedBy),
      inhibitedBy: list(status.inhibitedBy),
      receivers: Array.isArray(entry.receivers)
        ? entry.receivers.flatMap((r: unknown) => (isObject(r) && typeof r.name === "string" ? [r.name] : []))
        : [],
    };
  });
}

export function alertmanagerStatus(parsed: unknown): AlertmanagerStatus {
  if (!isObject(parsed) || !isObject(parsed.versionInfo))
    throw new AnswerShapeError("the status answer has no versionInfo");
  const cluster = isObject(parsed.cluster) ? parsed.cluster : {};
  return {
    version: text(parsed.versionInfo.version),
    clusterStatus: text(cluster.status),
    peers: Array.isArray(cluster.peers) ? cluster.peers.length : 0,
    uptime: text(parsed.uptime),
  };
}

function strings(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

const text = (value: unknown): string => (typeof value === "string" ? value : "");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
