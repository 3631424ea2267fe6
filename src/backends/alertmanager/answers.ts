/**
 * What Alertmanager's API v2 answers (/api/v2/alerts, /api/v2/status, /api/v2/silences), as plain records. A 2xx
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

/** One matcher of a silence, as API v2 writes it (`isEqual` false: != or !~; absent before 0.22: true). */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** What POST /api/v2/silences takes (its `postableSilence`, without an id: the gateway only creates). */
export interface PostableSilence {
  matchers: SilenceMatcher[];
  /** ISO 8601. */
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** One silence of GET /api/v2/silences or /api/v2/silence/{id} (its `gettableSilence`). */
export interface AlertmanagerSilence extends PostableSilence {
  id: string;
  updatedAt: string;
  /** "active" | "pending" | "expired". */
  state: string;
}

export function alertmanagerSilences(parsed: unknown): AlertmanagerSilence[] {
  if (!Array.isArray(parsed)) throw new AnswerShapeError("the silences answer is not a list");
  return parsed.map(alertmanagerSilence);
}

export function alertmanagerSilence(entry: unknown): AlertmanagerSilence {
  if (!isObject(entry) || typeof entry.id !== "string" || !Array.isArray(entry.matchers))
    throw new AnswerShapeError("a silence has no id or matchers");
  const status = isObject(entry.status) ? entry.status : {};
  return {
    id: entry.id,
    matchers: entry.matchers.map((m: unknown) => {
      if (!isObject(m) || typeof m.name !== "string" || typeof m.value !== "string")
        throw new AnswerShapeError("a silence's matcher has no name or value");
      return { name: m.name, value: m.value, isRegex: m.isRegex === true, isEqual: m.isEqual !== false };
    }),
    startsAt: text(entry.startsAt),
    endsAt: text(entry.endsAt),
    updatedAt: text(entry.updatedAt),
    createdBy: text(entry.createdBy),
    comment: text(entry.comment),
    state: text(status.state),
  };
}

/** POST /api/v2/silences answers `{silenceID}`. */
export function createdSilenceId(parsed: unknown): string {
  if (!isObject(parsed) || typeof parsed.silenceID !== "string" || parsed.silenceID === "")
    throw new AnswerShapeError("the answer names no silenceID");
  return parsed.silenceID;
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
