/**
 * The orders of alert lists and their keyset cursors: a cursor names its order and the last item's
 * key (order key, cluster, fingerprint), so a page after it starts strictly after that item however
 * the list changed meanwhile.
 */
import { QueryInputError } from "../cache/query/errors.js";
import type { Alert } from "./alert.js";

/** STARTED: newest first; SEVERITY: critical, warning, info, others, then newest first; NAME: a-z. */
export type AlertOrder = "STARTED" | "SEVERITY" | "NAME";

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, error: 1, warning: 2, info: 3 };

/** How severe a `severity` label is: lower is worse; unknown ones after info. */
export const severityRank = (severity: string | undefined): number => SEVERITY_RANK[severity ?? ""] ?? 9;

type Key = readonly (string | number)[];

function keyOf(alert: Alert, order: AlertOrder): Key {
  const started = -Date.parse(alert.startsAt) || 0;
  switch (order) {
    case "STARTED":
      return [started, alert.cluster, alert.fingerprint];
    case "SEVERITY":
      return [severityRank(alert.labels.severity), started, alert.cluster, alert.fingerprint];
    case "NAME":
      return [alert.name, alert.cluster, alert.fingerprint];
  }
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}

export function sortAlerts(alerts: Alert[], order: AlertOrder): Alert[] {
  const keyed = alerts.map((alert) => ({ alert, key: keyOf(alert, order) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((k) => k.alert);
}

export function alertCursor(alert: Alert, order: AlertOrder): string {
  return Buffer.from(JSON.stringify({ o: order, k: keyOf(alert, order) })).toString("base64url");
}

/** The items after `cursor` in `sorted` (sorted by `order`); BAD_USER_INPUT for a foreign cursor. */
export function afterCursor(sorted: Alert[], order: AlertOrder, cursor: string): Alert[] {
  let parsed: { o?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof parsed;
  } catch {
    parsed = {};
  }
  const key = parsed.k;
  if (
    parsed.o !== order ||
    !Array.isArray(key) ||
    key.length > 4 ||
    !key.every((part) => typeof part === "string" || typeof part === "number")
  )
    throw new QueryInputError(
      "after",
      `after is not a cursor of an alert list in ${order} order; pass an endCursor this list returned with the same orderBy`,
    );
  const last = key;
  return sorted.filter((alert) => compareKeys(keyOf(alert, order), last) > 0);
}
