/**
 * The alert filter (the `alerts` query's and the `alertChanges` subscription's), checked once and
 * compiled into a predicate over alerts. Names, severities and label selectors are user input:
 * bounded, and the selector parsed with Kubernetes' grammar, so a bad one is BAD_USER_INPUT.
 */
import { QueryInputError } from "../cache/query/errors.js";
import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  type LabelSelector,
} from "../kube/label-selector.js";
import { checkNames } from "../logs/search-scope.js";
import type { Alert, AlertState } from "./alert.js";
import { alertNamespace } from "./alert-scope.js";

export interface AlertFilterInput {
  clusters?: string[] | null;
  workspaces?: string[] | null;
  namespaces?: string[] | null;
  severities?: string[] | null;
  states?: AlertState[] | null;
  names?: string[] | null;
  labelSelector?: string | null;
  /** Only alerts that started firing (or pending) at or after this time. Not `updatedAt`:
   * Alertmanager renews it on every re-send, so an alert firing for days looks new. */
  since?: Date | null;
}

/** Alert names are rule names: Prometheus metric-name characters. */
const ALERT_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SEVERITY = /^[a-zA-Z0-9_.-]{1,63}$/;
const MAX_VALUES = 100;

export interface CompiledAlertFilter {
  /** Whether the alert matches every field but clusters and workspaces (the reads narrow those). */
  matches(alert: Alert): boolean;
}

export function compileAlertFilter(filter: AlertFilterInput): CompiledAlertFilter {
  checkNames("filter.namespaces", filter.namespaces, undefined, 63);
  checkPattern("filter.names", filter.names, ALERT_NAME, "an alert name (letters, digits, '_' and ':')");
  checkPattern(
    "filter.severities",
    filter.severities,
    SEVERITY,
    "a severity (letters, digits, '_', '.' and '-')",
  );
  let selector: LabelSelector | undefined;
  if (filter.labelSelector) {
    try {
      selector = parseLabelSelector(filter.labelSelector);
    } catch (error) {
      if (error instanceof LabelSelectorError)
        throw new QueryInputError("filter.labelSelector", error.message);
      throw error;
    }
  }
  const since = filter.since ? filter.since.getTime() : undefined;
  if (since !== undefined && Number.isNaN(since))
    throw new QueryInputError("filter.since", "filter.since is not a valid time");
  const namespaces = filter.namespaces ? new Set(filter.namespaces) : undefined;
  const severities = filter.severities ? new Set(filter.severities) : undefined;
  const states = filter.states ? new Set(filter.states) : undefined;
  const names = filter.names ? new Set(filter.names) : undefined;
  return {
    matches(alert) {
      if (namespaces && !namespaces.has(alertNamespace(alert))) return false;
      if (severities && !severities.has(alert.labels.severity ?? "")) return false;
      if (states && !states.has(alert.state)) return false;
      if (names && !names.has(alert.name)) return false;
      if (selector && !matchesLabels(selector, alert.labels)) return false;
      if (since !== undefined && Date.parse(alert.startsAt) < since) return false;
      return true;
    },
  };
}

function checkPattern(
  argument: string,
  values: readonly string[] | null | undefined,
  pattern: RegExp,
  what: string,
): void {
  if (!values) return;
  if (values.length > MAX_VALUES)
    throw new QueryInputError(
      argument,
      `${argument} lists ${values.length} values; at most ${MAX_VALUES} are allowed`,
    );
  for (const value of values)
    if (value.length > 253 || !pattern.test(value))
      throw new QueryInputError(argument, `${argument} has "${value.slice(0, 80)}", which is not ${what}`);
}
