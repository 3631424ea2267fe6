/**
 * Where the feeders write, following KubeSphere's fluent-bit pipeline (Logstash_Format with a
 * prefix per kind, daily indices named by the document's UTC date):
 * `ks-logstash-log-YYYY.MM.DD` (container logs, time field `time`),
 * `ks-logstash-events-YYYY.MM.DD` (core/v1 Events, time field `lastTimestamp`),
 * `ks-logstash-auditing-YYYY.MM.DD` (audit.k8s.io/v1 Events, time field `requestReceivedTimestamp`).
 * Every document also has a top-level `cluster` (the cluster's name).
 */
import { dailySuffix } from "../date-math.js";

export const LOG_INDEX_PREFIX = "ks-logstash-log";
export const EVENTS_INDEX_PREFIX = "ks-logstash-events";
export const AUDIT_INDEX_PREFIX = "ks-logstash-auditing";

export const TIME_FIELDS = {
  [LOG_INDEX_PREFIX]: "time",
  [EVENTS_INDEX_PREFIX]: "lastTimestamp",
  [AUDIT_INDEX_PREFIX]: "requestReceivedTimestamp",
} as const;

export function dailyIndex(prefix: string, time: number): string {
  return `${prefix}-${dailySuffix(time)}`;
}
