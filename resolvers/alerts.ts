/**
 * Alerts: `alerts`, `alertGroups`, `alertRules`, the objects' `alerts` and the `alertChanges`
 * subscription. Thin: the request's AlertReads (src/alerts) reads, scopes and filters; the feed
 * streams.
 */
import {
  Arg,
  Args,
  Ctx,
  Extensions,
  FieldResolver,
  Int,
  Query,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import type { Alert as AlertData } from "../src/alerts/alert.js";
import { ALERT_LABELS } from "../src/alerts/alert.js";
import type { AlertChange as AlertChangeData } from "../src/alerts/alert-feed.js";
import { subscribeToAlerts } from "../src/alerts/alert-changes.js";
import type { AlertObject, ClusterAlertRule } from "../src/alerts/alert-reads.js";
import { alertReadsOf, type AlertContext } from "../src/alerts/context.js";
import type { CacheEntry } from "../src/cache/entry.js";
import type { RequestContext } from "../src/request/context.js";
import type { SubscriptionContext } from "../src/subscriptions/context.js";
import {
  Alert,
  AlertChange,
  AlertChangesArgs,
  AlertChangeType,
  AlertConnection,
  AlertFilter,
  AlertGroupList,
  AlertOrder,
  AlertRuleHealth,
  AlertRuleList,
  AlertState,
  ObjectAlertFilter,
} from "../schema/alerts.js";
import { Cluster } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import type { DataSource } from "../schema/enums.js";
import { KubeObject } from "../schema/kube-object.js";
import { Namespace } from "../schema/namespace.js";
import { Pod } from "../schema/pod.js";
import { Workload } from "../schema/workload.js";
import { cursoredConnection, outcomeView, type OutcomeView } from "./connection.js";
import { MERGED_PAGE, PER_OBJECT_SEARCH } from "./entry-pages.js";
import { clusterOf } from "./kube-object.js";
import { anyView, labelList, type ClusterView, type Viewed } from "./views/index.js";

type Context = RequestContext & AlertContext & SubscriptionContext;

export type AlertView = Omit<Alert, "cluster" | "subject" | "silences"> & {
  __typename: "Alert";
  data: AlertData;
};

function alertView(alert: AlertData): AlertView {
  return {
    __typename: "Alert",
    data: alert,
    fingerprint: alert.fingerprint,
    name: alert.name,
    severity: alert.labels[ALERT_LABELS.severity] ?? null,
    state: alert.state as AlertState,
    summary: alert.annotations.summary ?? null,
    description: alert.annotations.description ?? null,
    labels: labelList(alert.labels),
    annotations: labelList(alert.annotations),
    startsAt: new Date(alert.startsAt),
    updatedAt: new Date(alert.updatedAt),
    endsAt: alert.endsAt ? new Date(alert.endsAt) : null,
    generatorURL: alert.generatorURL ?? null,
    silencedBy: [...alert.silencedBy],
    inhibitedBy: [...alert.inhibitedBy],
    source: alert.source as DataSource,
    clusterName: alert.cluster,
    namespaceName: alert.labels[ALERT_LABELS.namespace] || null,
  };
}

/** The kube-state-metrics label naming each workload kind. */
const WORKLOAD_LABELS: readonly [kind: string, label: string][] = [
  ["Deployment", ALERT_LABELS.deployment],
  ["StatefulSet", ALERT_LABELS.statefulSet],
  ["DaemonSet", ALERT_LABELS.daemonSet],
];

/** The object an alert's labels name, most specific first, if the caller may read it. */
function subjectOf(alert: AlertData, ctx: RequestContext): CacheEntry | undefined {
  const { graph } = ctx.services;
  const { labels, cluster } = alert;
  const namespace = labels[ALERT_LABELS.namespace] ?? "";
  if (namespace !== "") {
    const pod = labels[ALERT_LABELS.pod];
    if (pod) return graph.byName(cluster, "Pod", namespace, pod, ctx.scope);
    for (const [kind, label] of WORKLOAD_LABELS) {
      const name = labels[label];
      if (name) return graph.byName(cluster, kind, namespace, name, ctx.scope);
    }
    return graph.byName(cluster, "Namespace", "", namespace, ctx.scope);
  }
  const node = labels[ALERT_LABELS.node];
  return node ? graph.byName(cluster, "Node", "", node, ctx.scope) : undefined;
}

const objectFilterArg = () =>
  Arg("filter", () => ObjectAlertFilter, { nullable: true, description: "Which alerts; default all." });

async function objectAlerts(
  ctx: Context,
  object: AlertObject,
  filter: ObjectAlertFilter | null,
): Promise<AlertView[]> {
  return (await alertReadsOf(ctx).about(object, filter ?? {})).map(alertView);
}

@Resolver()
export class AlertQueryResolver {
  @Query(() => AlertConnection, {
    description:
      "Alerts across the fleet, from each cluster's Alertmanager (and Prometheus for pending ones): those you may see " +
      "(alerts of namespaces whose pods you may read; cluster-level alerts with a cluster role), filtered. A source that " +
      "fails leaves its cluster's alerts out, said in `outcomes` (source ALERTMANAGER or PROMETHEUS).",
  })
  @Extensions(MERGED_PAGE)
  async alerts(
    @Arg("filter", () => AlertFilter, {
      nullable: true,
      description: "Which alerts; default every one you may see.",
    })
    filter: AlertFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 500; default 50." })
    first: number | null,
    @Arg("after", () => String, { nullable: true, description: "An alert's cursor: the page after it." })
    after: string | null,
    @Arg("orderBy", () => AlertOrder, { nullable: true, description: "Default STARTED." })
    orderBy: AlertOrder | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<AlertView, OutcomeView>> {
    const page = await alertReadsOf(ctx).list(filter ?? {}, { first, after, orderBy });
    return cursoredConnection(page, (i) => alertView(i.alert), after);
  }

  @Query(() => AlertGroupList, { description: "The alerts you may see, grouped by name across the fleet." })
  @Extensions(MERGED_PAGE)
  async alertGroups(
    @Arg("filter", () => AlertFilter, {
      nullable: true,
      description: "Which alerts; default every one you may see.",
    })
    filter: AlertFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AlertGroupList> {
    const { groups, outcomes } = await alertReadsOf(ctx).groups(filter ?? {});
    return {
      groups: groups.map((g) => ({
        name: g.name,
        count: g.count,
        firing: g.byState.FIRING,
        pending: g.byState.PENDING,
        suppressed: g.byState.SUPPRESSED,
        severity: g.severity,
        clusterNames: g.clusters,
      })),
      outcomes: outcomes.map(outcomeView),
    };
  }

  @Query(() => AlertRuleList, {
    nullable: true,
    description:
      "The alerting rules the cluster's Prometheus evaluates, with their health and last evaluation; their alerts those " +
      "of this cluster you may see. In full (queries, errors, every rule) only with a cluster role on the cluster; " +
      "otherwise the rules with an alert you may see, `query` and `lastError` null. Null when the cluster has no " +
      "Prometheus configured.",
  })
  @Extensions(PER_OBJECT_SEARCH)
  async alertRules(
    @Arg("cluster", () => String, { description: "The cluster whose Prometheus is asked." }) cluster: string,
    @Arg("names", () => [String], { nullable: true, description: "Only these alert names." })
    names: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<AlertRuleList | null> {
    const reads = alertReadsOf(ctx);
    const rules = await reads.rules(cluster, names);
    if (rules === null) return null;
    const error = ctx.outcomes.errorFor(cluster, "PROMETHEUS") ?? null;
    return {
      rules: rules.map(ruleView),
      outcomes: [
        outcomeView({
          cluster,
          synced: error === null,
          staleSince: null,
          resourceVersion: "",
          source: "PROMETHEUS",
          error,
        }),
      ],
    };
  }
}

function ruleView(rule: ClusterAlertRule) {
  return {
    clusterName: rule.cluster,
    group: rule.group,
    name: rule.name,
    query: rule.query,
    forSeconds: rule.durationSeconds,
    health:
      rule.health === "ok"
        ? AlertRuleHealth.OK
        : rule.health === "err"
          ? AlertRuleHealth.ERR
          : AlertRuleHealth.UNKNOWN,
    lastError: rule.lastError,
    lastEvaluation: rule.lastEvaluation ? new Date(rule.lastEvaluation) : null,
    evaluationSeconds: rule.evaluationSeconds ?? null,
    labels: labelList(rule.labels),
    annotations: labelList(rule.annotations),
    alerts: rule.alerts.map((a) => ({
      labels: labelList(a.labels),
      state: a.state === "pending" ? AlertState.PENDING : AlertState.FIRING,
      activeAt: a.activeAt ? new Date(a.activeAt) : null,
      value: a.value ?? null,
    })),
  };
}

@Resolver(() => Alert)
export class AlertResolver {
  @FieldResolver(() => Cluster)
  cluster(@Root() alert: AlertView, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(alert.clusterName, ctx);
  }

  @FieldResolver(() => KubeObject, { nullable: true })
  subject(@Root() alert: AlertView, @Ctx() ctx: RequestContext): Viewed | null {
    const entry = subjectOf(alert.data, ctx);
    return entry ? anyView(entry, ctx.services.workspaceLabel) : null;
  }
}

@Resolver(() => Pod)
export class PodAlertsResolver {
  @FieldResolver(() => [Alert], { description: "The alerts about this pod (its `pod` label) you may see." })
  @Extensions(PER_OBJECT_SEARCH)
  alerts(@Root() pod: Viewed, @objectFilterArg() filter: ObjectAlertFilter | null, @Ctx() ctx: Context) {
    const { entry } = pod;
    return objectAlerts(
      ctx,
      { cluster: entry.cluster, namespace: entry.namespace, labels: { [ALERT_LABELS.pod]: entry.name } },
      filter,
    );
  }
}

@Resolver(() => Workload)
export class WorkloadAlertsResolver {
  @FieldResolver(() => [Alert], {
    description:
      "The alerts about this workload (its deployment, statefulset or daemonset label) you may see.",
  })
  @Extensions(PER_OBJECT_SEARCH)
  alerts(@Root() workload: Viewed, @objectFilterArg() filter: ObjectAlertFilter | null, @Ctx() ctx: Context) {
    const { entry } = workload;
    const label = WORKLOAD_LABELS.find(([kind]) => kind === entry.kind)?.[1];
    if (!label) return [];
    return objectAlerts(
      ctx,
      { cluster: entry.cluster, namespace: entry.namespace, labels: { [label]: entry.name } },
      filter,
    );
  }
}

@Resolver(() => Namespace)
export class NamespaceAlertsResolver {
  @FieldResolver(() => [Alert], {
    description: "The alerts of this namespace (its `namespace` label) you may see.",
  })
  @Extensions(PER_OBJECT_SEARCH)
  alerts(
    @Root() namespace: Viewed,
    @objectFilterArg() filter: ObjectAlertFilter | null,
    @Ctx() ctx: Context,
  ) {
    const { entry } = namespace;
    return objectAlerts(ctx, { cluster: entry.cluster, namespace: entry.name }, filter);
  }
}

@Resolver(() => Cluster)
export class ClusterAlertsResolver {
  @FieldResolver(() => [Alert], {
    description: "The cluster's alerts you may see, namespaced and cluster-level.",
  })
  @Extensions(PER_OBJECT_SEARCH)
  alerts(
    @Root() cluster: ClusterView,
    @objectFilterArg() filter: ObjectAlertFilter | null,
    @Ctx() ctx: Context,
  ) {
    return objectAlerts(ctx, { cluster: cluster.name }, filter);
  }
}

@Resolver()
export class AlertChangesResolver {
  @Subscription(() => AlertChange, {
    name: "alertChanges",
    description:
      "Alerts as they fire, resolve and are silenced, for those you may see: first the alerts active now, then the " +
      "changes. Fed by polling each cluster's Alertmanager (one poller per cluster, shared by every subscriber) and by " +
      "its webhook notifications.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      if (!ctx.alerts) throw new Error("alert subscriptions are not served by this server");
      const filter = (args as AlertChangesArgs).filter ?? {};
      return subscribeToAlerts(ctx.alerts.feed, {
        filter,
        scope: ctx.scopeNow ?? (() => ctx.scope),
        maxQueued: ctx.alerts.maxQueued(),
        services: ctx.services,
      });
    },
  })
  alertChanges(@Root() change: AlertChangeData, @Args(() => AlertChangesArgs) _args: object) {
    return { type: change.type as AlertChangeType, alert: alertView(change.alert), at: new Date(change.at) };
  }
}

export const ALERT_RESOLVERS = [
  AlertQueryResolver,
  AlertResolver,
  PodAlertsResolver,
  WorkloadAlertsResolver,
  NamespaceAlertsResolver,
  ClusterAlertsResolver,
  AlertChangesResolver,
] as const;
