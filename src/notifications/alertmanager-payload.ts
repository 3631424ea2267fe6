/**
 * Alertmanager's webhook payload, version "4" (prometheus.io/docs/alerting/latest/configuration,
 * `<webhook_config>`), checked field by field: a payload that does not match is refused with
 * the first fields at fault named, never half-read.
 */
import * as z from "zod";
import type { AlertPush, PushedAlert } from "./alert-sink.js";

const labelMap = z.record(z.string(), z.string());
const status = z.enum(["firing", "resolved"]);
const time = z.string().refine((t) => !Number.isNaN(Date.parse(t)), "must be an RFC 3339 time");

const alertSchema = z.object({
  status,
  labels: labelMap,
  annotations: labelMap.default({}),
  startsAt: time,
  endsAt: time.optional(),
  generatorURL: z.string().max(8192).optional(),
  fingerprint: z.string().regex(/^[0-9a-zA-Z]{1,64}$/, "must be Alertmanager's hexadecimal fingerprint"),
});

const payloadSchema = z.object({
  version: z.literal("4", { error: 'must be "4" (Alertmanager\'s webhook payload version)' }),
  groupKey: z.string(),
  truncatedAlerts: z.int().min(0).default(0),
  status,
  receiver: z.string(),
  groupLabels: labelMap.default({}),
  commonLabels: labelMap.default({}),
  commonAnnotations: labelMap.default({}),
  externalURL: z.string().default(""),
  alerts: z.array(alertSchema).max(10_000),
});

export type AlertmanagerPayload = z.output<typeof payloadSchema>;
export type AlertmanagerAlert = AlertmanagerPayload["alerts"][number];

/** Why a payload was refused: what Alertmanager's operator must fix. */
export class PayloadProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadProblem";
  }
}

/** Alertmanager's "no end yet": the zero time of Go. */
const ZERO_TIME = /^0001-01-01T00:00:00/;

/**
 * The payload as the sinks take it. `clusterOf` names each alert's cluster; undefined leaves
 * the alert out (the caller tells why).
 */
export function parseAlertmanagerPayload(
  body: unknown,
  clusterOf: (alert: AlertmanagerAlert, index: number) => string | undefined,
): AlertPush {
  const parsed = payloadSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length > 0 ? i.path.join(".") : "(body)"}: ${i.message}`);
    throw new PayloadProblem(`not an Alertmanager webhook payload (version 4): ${issues.join("; ")}`);
  }
  const p = parsed.data;
  const alerts: PushedAlert[] = p.alerts.flatMap((a, index) => {
    const cluster = clusterOf(a, index);
    return cluster === undefined ? [] : [{ ...pushedAlert(a), cluster }];
  });
  return {
    receiver: p.receiver,
    status: p.status,
    groupKey: p.groupKey,
    externalURL: p.externalURL,
    truncatedAlerts: p.truncatedAlerts,
    groupLabels: p.groupLabels,
    alerts,
  };
}

function pushedAlert(a: AlertmanagerAlert): Omit<PushedAlert, "cluster"> {
  return {
    status: a.status,
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt,
    ...(a.endsAt !== undefined && !ZERO_TIME.test(a.endsAt) ? { endsAt: a.endsAt } : {}),
    ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
  };
}
