/**
 * What /api/v1/rules and /api/v1/alerts answer, as plain records. A 2xx answer whose shape is not
 * the documented one is thrown as an AnswerShapeError for the client to report.
 */
import { AnswerShapeError } from "./samples.js";

/** An alert of Prometheus's: a rule's condition holds for these labels. */
export interface RuleAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing" | "inactive";
  /** ISO 8601; when the condition started holding. */
  activeAt?: string;
  value?: string;
}

export interface AlertingRule {
  group: string;
  file: string;
  name: string;
  query: string;
  /** The rule's `for:` in seconds. */
  durationSeconds: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** "inactive" | "pending" | "firing". */
  state: string;
  /** "ok" | "err" | "unknown". */
  health: string;
  lastError?: string;
  /** ISO 8601; undefined before the first evaluation. */
  lastEvaluation?: string;
  evaluationSeconds?: number;
  alerts: RuleAlert[];
}

/** The alerting rules of a /api/v1/rules?type=alert answer, every group flattened. */
export function alertingRules(envelope: unknown): AlertingRule[] {
  const groups = successData(envelope).groups;
  if (!Array.isArray(groups)) throw new AnswerShapeError('no "data.groups" in a rules answer');
  return groups.flatMap((group: unknown) => {
    if (!isObject(group) || !Array.isArray(group.rules))
      throw new AnswerShapeError("a rule group has no rules");
    const groupName = text(group.name);
    const file = text(group.file);
    return group.rules.flatMap((rule: unknown): AlertingRule[] => {
      if (!isObject(rule)) throw new AnswerShapeError("a rule is not an object");
      if (rule.type !== "alerting") return [];
      const lastEvaluation = text(rule.lastEvaluation);
      return [
        {
          group: groupName,
          file,
          name: text(rule.name),
          query: text(rule.query),
          durationSeconds: typeof rule.duration === "number" ? rule.duration : 0,
          labels: strings(rule.labels),
          annotations: strings(rule.annotations),
          state: text(rule.state) || "inactive",
          health: text(rule.health) || "unknown",
          ...(text(rule.lastError) !== "" ? { lastError: text(rule.lastError) } : {}),
          // Go's zero time: never evaluated yet.
          ...(lastEvaluation !== "" && !lastEvaluation.startsWith("0001-") ? { lastEvaluation } : {}),
          ...(typeof rule.evaluationTime === "number" ? { evaluationSeconds: rule.evaluationTime } : {}),
          alerts: Array.isArray(rule.alerts) ? rule.alerts.map(ruleAlert) : [],
        },
      ];
    });
  });
}

/** The alerts of a /api/v1/alerts answer. */
export function activeAlerts(envelope: unknown): RuleAlert[] {
  const alerts = successData(envelope).alerts;
  if (!Array.isArray(alerts)) throw new AnswerShapeError('no "data.alerts" in an alerts answer');
  return alerts.map(ruleAlert);
}

function ruleAlert(entry: unknown): RuleAlert {
  if (!isObject(entry)) throw new AnswerShapeError("an alert is not an object");
  const state = entry.state === "firing" || entry.state === "pending" ? entry.state : "inactive";
  return {
    labels: strings(entry.labels),
    annotations: strings(entry.annotations),
    state,
    ...(typeof entry.activeAt === "string" ? { activeAt: entry.activeAt } : {}),
    ...(typeof entry.value === "string" ? { value: entry.value } : {}),
  };
}

function successData(envelope: unknown): Record<string, unknown> {
  const data = isObject(envelope) && envelope.status === "success" ? envelope.data : undefined;
  if (!isObject(data)) throw new AnswerShapeError('no "data" in a "success" answer');
  return data;
}

function strings(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
