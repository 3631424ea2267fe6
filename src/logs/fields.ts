/**
 * Where things are in the stored documents, as KubeSphere's pipeline writes them (fluent-bit for
 * container logs, its events exporter, the API servers' audit webhook) and as Elasticsearch's
 * dynamic mapping indexes them: strings are `text` with an exact `.keyword` sub-field, so exact
 * matches, sorts and aggregations use the sub-field and user text is matched on the text field.
 */
export const keyword = (field: string): string => `${field}.keyword`;

/** Container log lines: `ks-logstash-log-YYYY.MM.DD`. */
export const LOG_FIELDS = {
  time: "time",
  message: "log",
  namespace: keyword("kubernetes.namespace_name"),
  pod: keyword("kubernetes.pod_name"),
  container: keyword("kubernetes.container_name"),
  node: keyword("kubernetes.host"),
  /** fluent-bit writes label keys with dots replaced by underscores (Replace_Dots). */
  label: (key: string) => keyword(`kubernetes.labels.${key.replace(/\./g, "_")}`),
} as const;

/**
 * Kubernetes events (core/v1 Event objects, one document per ADDED/MODIFIED version):
 * `ks-logstash-events-YYYY.MM.DD`. The Scope and the namespace filter use the EVENT's namespace
 * (`metadata.namespace`), as the live `events` list does: a Node's events live in "default" and
 * are readable where events of "default" are, although their involved object has no namespace.
 */
export const EVENT_FIELDS = {
  time: "lastTimestamp",
  uid: keyword("metadata.uid"),
  namespace: keyword("metadata.namespace"),
  involvedKind: keyword("involvedObject.kind"),
  involvedName: keyword("involvedObject.name"),
  reason: keyword("reason"),
  type: keyword("type"),
  message: "message",
} as const;

/**
 * API-server audit events (audit.k8s.io/v1 Event, as the log backend writes them):
 * `ks-logstash-auditing-YYYY.MM.DD`. `user` is who authenticated; `impersonatedUser`, when
 * present, is who the request acted as (the effective user).
 */
export const AUDIT_FIELDS = {
  time: "requestReceivedTimestamp",
  user: keyword("user.username"),
  impersonatedUser: keyword("impersonatedUser.username"),
  verb: keyword("verb"),
  namespace: keyword("objectRef.namespace"),
  resource: keyword("objectRef.resource"),
  code: "responseStatus.code",
  /** Text fields keywords are matched on (each keyword as a phrase in any of them). */
  text: ["requestURI", "objectRef.name", "userAgent"],
} as const;

/** Reads a dotted path from a document's `_source`. */
export function pathValue(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function stringAt(source: unknown, path: string): string | undefined {
  const value = pathValue(source, path);
  return typeof value === "string" ? value : undefined;
}
