/**
 * A request's alert reads (`alerts`, `alertGroups`, the objects' `alerts`, `alertRules`): each
 * cluster's sources asked once per request, the Scope applied to every alert (alert-scope.ts), the
 * filter after it, failures reported as the cluster's outcome with the source that failed.
 */
import type { Scope } from "../cache/scope.js";
import { QueryInputError } from "../cache/query/errors.js";
import type { AlertingRule } from "../backends/prometheus/rules.js";
import type { ClusterErrorCode, ClusterOutcomes, PageOutcome } from "../query-service/outcomes.js";
import type { ReadServices } from "../query-service/read-services.js";
import { workspaceNamespaces } from "../query-service/workspace-namespaces.js";
import { UpstreamRefusedError } from "../limits/request-budget.js";
import { ALERT_LABELS, type Alert, type AlertSource, type AlertState } from "./alert.js";
import { compileAlertFilter, type AlertFilterInput } from "./alert-filter.js";
import { afterCursor, alertCursor, severityRank, sortAlerts, type AlertOrder } from "./alert-order.js";
import { alertNamespace, mayReadAlert, mayReadClusterAlerts } from "./alert-scope.js";
import { sharedAlertReads } from "./shared-reads.js";
import { inCluster, readClusterAlerts, type AlertSources, type SourceFailure } from "./sources.js";

export interface AlertReadsDeps {
  services: ReadServices;
  scope: Scope;
  outcomes: ClusterOutcomes;
  sources: AlertSources;
}

export interface AlertPageRequest {
  first?: number | null;
  after?: string | null;
  orderBy?: AlertOrder | null;
}

export interface AlertPage {
  items: { alert: Alert; cursor: string }[];
  totalCount: number;
  hasNextPage: boolean;
  outcomes: PageOutcome[];
}

export interface AlertGroup {
  name: string;
  count: number;
  byState: Record<AlertState, number>;
  clusters: string[];
  /** The most severe severity label among the group's alerts. */
  severity: string | null;
}

/**
 * An alerting rule as one cluster's Prometheus evaluates it, its alerts those of the cluster.
 * `query` and `lastError` are null for a caller without a cluster role there (docs/alerts.md).
 */
export interface ClusterAlertRule extends Omit<AlertingRule, "query" | "lastError"> {
  cluster: string;
  query: string | null;
  lastError: string | null;
}

/** What an object's `alerts` field narrows to: the labels that name it. */
export interface AlertObject {
  cluster: string;
  namespace?: string;
  /** Label name -> value, all of which an alert's labels must carry (pod, deployment, node...). */
  labels?: Record<string, string>;
}

export const DEFAULT_ALERT_PAGE = 50;
export const MAX_ALERT_PAGE = 500;

const ERROR_CODES: Record<AlertSource, Record<"UNAVAILABLE" | "TIMEOUT" | "BAD_QUERY", ClusterErrorCode>> = {
  ALERTMANAGER: {
    UNAVAILABLE: "ALERTMANAGER_UNAVAILABLE",
    TIMEOUT: "ALERTMANAGER_TIMEOUT",
    BAD_QUERY: "ALERTMANAGER_BAD_QUERY",
  },
  PROMETHEUS: {
    UNAVAILABLE: "PROMETHEUS_UNAVAILABLE",
    TIMEOUT: "PROMETHEUS_TIMEOUT",
    BAD_QUERY: "PROMETHEUS_BAD_QUERY",
  },
};

export class AlertReads {
  private readonly read = new Map<string, Promise<Alert[]>>();
  private readonly answered = new Map<string, AlertSource>();

  /** A backend shared by several clusters is read once per request, not once per cluster. */
  private readonly sources: AlertSources;

  constructor(private readonly deps: AlertReadsDeps) {
    this.sources = sharedAlertReads(deps.sources);
  }

  /** The alerts of the fleet the caller may see, filtered, ordered and paged. */
  async list(filter: AlertFilterInput, page: AlertPageRequest): Promise<AlertPage> {
    const first = page.first ?? DEFAULT_ALERT_PAGE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_ALERT_PAGE)
      throw new QueryInputError("first", `first must be between 0 and ${MAX_ALERT_PAGE}, not ${first}`);
    const order = page.orderBy ?? "STARTED";
    const { alerts, clusters } = await this.matching(filter);
    const sorted = sortAlerts(alerts, order);
    const rest = page.after ? afterCursor(sorted, order, page.after) : sorted;
    return {
      items: rest.slice(0, first).map((alert) => ({ alert, cursor: alertCursor(alert, order) })),
      totalCount: sorted.length,
      hasNextPage: rest.length > first,
      outcomes: this.pageOutcomes(clusters),
    };
  }

  /** The matching alerts grouped by name, most alerts first. */
  async groups(filter: AlertFilterInput): Promise<{ groups: AlertGroup[]; outcomes: PageOutcome[] }> {
    const { alerts, clusters } = await this.matching(filter);
    const byName = new Map<string, AlertGroup & { clusterSet: Set<string> }>();
    for (const alert of alerts) {
      let group = byName.get(alert.name);
      if (!group)
        byName.set(
          alert.name,
          (group = {
            name: alert.name,
            count: 0,
            byState: { FIRING: 0, PENDING: 0, SUPPRESSED: 0 },
            clusters: [],
            clusterSet: new Set(),
            severity: null,
          }),
        );
      group.count++;
      group.byState[alert.state]++;
      group.clusterSet.add(alert.cluster);
      const severity = alert.labels[ALERT_LABELS.severity];
      if (
        severity !== undefined &&
        (group.severity === null || severityRank(severity) < severityRank(group.severity))
      )
        group.severity = severity;
    }
    const groups = [...byName.values()]
      .map(({ clusterSet, ...group }) => ({ ...group, clusters: [...clusterSet].sort() }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return { groups, outcomes: this.pageOutcomes(clusters) };
  }

  /** The alerts about one object (its labels name it), the caller's Scope applied. */
  async about(object: AlertObject, filter: AlertFilterInput = {}): Promise<Alert[]> {
    const matcher = compileAlertFilter(filter);
    const alerts = await this.clusterAlerts(object.cluster);
    return sortAlerts(
      alerts.filter(
        (alert) =>
          (object.namespace === undefined || alertNamespace(alert) === object.namespace) &&
          Object.entries(object.labels ?? {}).every(([name, value]) => alert.labels[name] === value) &&
          matcher.matches(alert),
      ),
      "STARTED",
    );
  }

  /**
   * The alerting rules of a cluster's Prometheus (a shared one's are every cluster's), their
   * alerts narrowed to the cluster and to what the caller may see. A rule's definition (its
   * query, its errors) tells about every namespace it watches, so only a caller with a cluster
   * role (the one cluster-level alerts ask) sees every rule in full; any other caller sees only
   * the rules with an alert it may see, without `query` and `lastError`. Null when no
   * Prometheus is configured.
   */
  async rules(cluster: string, names?: string[] | null): Promise<ClusterAlertRule[] | null> {
    const { scope } = this.deps;
    if (!this.deps.services.clusters.get(cluster, scope))
      throw new QueryInputError("cluster", `no cluster "${cluster}" that you may read`);
    const prometheus = this.sources.forCluster(cluster).prometheus;
    if (!prometheus) return null;
    let rules: AlertingRule[];
    try {
      rules = await prometheus.client.rules();
    } catch (error) {
      this.report(cluster, { source: "PROMETHEUS", error });
      return [];
    }
    const wanted = names ? new Set(names) : undefined;
    const clusterRole = mayReadClusterAlerts(scope, cluster);
    return rules
      .filter((rule) => wanted === undefined || wanted.has(rule.name))
      .map((rule) => ({
        ...rule,
        cluster,
        query: clusterRole ? rule.query : null,
        lastError: clusterRole ? (rule.lastError ?? null) : null,
        alerts: rule.alerts.filter(
          (a) =>
            inCluster(a.labels, prometheus.clusterLabel) &&
            mayReadAlert(scope, { cluster, labels: a.labels }),
        ),
      }))
      .filter((rule) => clusterRole || rule.alerts.length > 0);
  }

  /** The Scope first, the filter after: the clusters read and the alerts that match. */
  private async matching(filter: AlertFilterInput): Promise<{ alerts: Alert[]; clusters: string[] }> {
    const matcher = compileAlertFilter(filter);
    const { services, scope } = this.deps;
    const clusters = services.clusters.select({ clusters: filter.clusters ?? null }, scope);
    const inWorkspaces = filter.workspaces?.length
      ? workspaceNamespaces(services.reader, filter.workspaces, clusters, scope, {
          workspaceLabel: services.workspaceLabel,
        })
      : undefined;
    const perCluster = await Promise.all(clusters.map((cluster) => this.clusterAlerts(cluster)));
    const alerts = perCluster
      .flat()
      .filter(
        (alert) =>
          (inWorkspaces === undefined || inWorkspaces.has(alert.cluster, alertNamespace(alert))) &&
          matcher.matches(alert),
      );
    return { alerts, clusters };
  }

  /** A cluster's alerts the caller may see, read once per request. */
  private clusterAlerts(cluster: string): Promise<Alert[]> {
    let alerts = this.read.get(cluster);
    if (!alerts) {
      const sources = this.sources.forCluster(cluster);
      alerts = readClusterAlerts(cluster, sources, { pending: true }).then((read) => {
        for (const failure of read.failures) this.report(cluster, failure);
        if (read.configured) this.answered.set(cluster, sources.alertmanager ? "ALERTMANAGER" : "PROMETHEUS");
        return read.alerts.filter((alert) => mayReadAlert(this.deps.scope, alert));
      });
      this.read.set(cluster, alerts);
    }
    return alerts;
  }

  private report(cluster: string, failure: SourceFailure): void {
    reportSourceFailure(this.deps.outcomes, cluster, failure);
  }

  /** One outcome per cluster read: which source answered, and the first failure of either. */
  private pageOutcomes(clusters: readonly string[]): PageOutcome[] {
    const { outcomes } = this.deps;
    return clusters.map((cluster) => {
      const error =
        outcomes.errorFor(cluster, "ALERTMANAGER") ?? outcomes.errorFor(cluster, "PROMETHEUS") ?? null;
      const configured = this.answered.get(cluster);
      if (!configured)
        outcomes.warn({
          code: "NO_ALERT_SOURCE",
          message: `cluster "${cluster}" has no Alertmanager or Prometheus configured: its alerts are unknown`,
          cluster,
        });
      return {
        cluster,
        synced: error === null && configured !== undefined,
        staleSince: null,
        resourceVersion: "",
        source: error?.source === "PROMETHEUS" ? "PROMETHEUS" : (configured ?? "ALERTMANAGER"),
        error,
      };
    });
  }
}

/** A source's failure as the cluster's outcome (ALERTMANAGER_* or PROMETHEUS_*), or its budget refusal. */
export function reportSourceFailure(
  outcomes: ClusterOutcomes,
  cluster: string,
  { source, error }: SourceFailure,
): void {
  if (error instanceof UpstreamRefusedError) {
    outcomes.reportRefusal(cluster, "alerts", error, source);
    return;
  }
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === "string" && /_(TIMEOUT|BAD_QUERY)$/.exec(code)?.[1];
  const message = error instanceof Error ? error.message : String(error);
  const retryable = (error as { retryable?: unknown }).retryable !== false;
  outcomes.reportClusterError(
    cluster,
    ERROR_CODES[source][(kind || "UNAVAILABLE") as "UNAVAILABLE" | "TIMEOUT" | "BAD_QUERY"],
    message,
    retryable,
    source,
  );
}
