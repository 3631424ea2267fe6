/**
 * Alerts across the fleet (docs/alerts.md): what each cluster's Alertmanager and Prometheus say is
 * firing, pending or suppressed, the object an alert is about, its groups by name, the rules that
 * raise them, and the changes as they happen.
 */
import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Cluster } from "./cluster.js";
import { Connection } from "./connection.js";
import { DataSource } from "./enums.js";
import { KubeObject } from "./kube-object.js";
import { Label } from "./label.js";
import { ClusterOutcome } from "./outcome.js";
import { DateTime } from "./scalars.js";
import { Silence } from "./silences.js";

export enum AlertState {
  FIRING = "FIRING",
  PENDING = "PENDING",
  SUPPRESSED = "SUPPRESSED",
}
registerEnumType(AlertState, {
  name: "AlertState",
  description: "Where an alert stands.",
  valuesConfig: {
    FIRING: { description: "Active: its rule's condition held for its `for:` duration; notified." },
    PENDING: { description: "Its rule's condition holds, but not yet for its `for:` duration (Prometheus)." },
    SUPPRESSED: { description: "Active, but silenced or inhibited in Alertmanager: not notified." },
  },
});

export enum AlertOrder {
  STARTED = "STARTED",
  SEVERITY = "SEVERITY",
  NAME = "NAME",
}
registerEnumType(AlertOrder, {
  name: "AlertOrder",
  description: "The order of an alert list.",
  valuesConfig: {
    STARTED: { description: "Most recently started first (the default)." },
    SEVERITY: { description: "critical, error, warning, info, then others; most recent first within one." },
    NAME: { description: "By alert name, a to z." },
  },
});

export enum AlertChangeType {
  FIRED = "FIRED",
  RESOLVED = "RESOLVED",
  SILENCED = "SILENCED",
}
registerEnumType(AlertChangeType, {
  name: "AlertChangeType",
  description: "What happened to an alert.",
  valuesConfig: {
    FIRED: { description: "It fires: new, or active again after being silenced." },
    RESOLVED: { description: "It is no longer active (its condition stopped holding)." },
    SILENCED: { description: "It is silenced or inhibited in Alertmanager." },
  },
});

export enum AlertRuleHealth {
  OK = "OK",
  ERR = "ERR",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(AlertRuleHealth, {
  name: "AlertRuleHealth",
  description: "Whether a rule's last evaluation succeeded.",
  valuesConfig: {
    OK: { description: "It evaluated without error." },
    ERR: { description: "Its last evaluation failed (`lastError` says why)." },
    UNKNOWN: { description: "Not evaluated yet." },
  },
});

@InputType({ description: "Which alerts. Every field narrows; an empty list matches nothing." })
export class AlertFilter {
  @Field(() => [String], { nullable: true, description: "Cluster names." })
  clusters?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Workspaces: alerts of their namespaces (cluster-level alerts have none).",
  })
  workspaces?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The alerts' `namespace` label." })
  namespaces?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'The `severity` label, e.g. ["critical", "warning"].',
  })
  severities?: string[] | null;

  @Field(() => [AlertState], { nullable: true, description: "Default: every state." })
  states?: AlertState[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Alert names (`alertname`), e.g. ["KubePodCrashLooping"].',
  })
  names?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A Kubernetes label selector over the alerts\' labels, e.g. "severity=critical,team in (web)".',
  })
  labelSelector?: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description:
      "Only alerts that started (`startsAt`: began pending or firing) at or after this time. Not `updatedAt`, which Alertmanager renews on every re-send.",
  })
  since?: Date | null;
}

@InputType({ description: "Which of an object's alerts." })
export class ObjectAlertFilter {
  @Field(() => [String], { nullable: true, description: "The `severity` label." })
  severities?: string[] | null;

  @Field(() => [AlertState], { nullable: true, description: "Default: every state." })
  states?: AlertState[] | null;

  @Field(() => [String], { nullable: true, description: "Alert names (`alertname`)." })
  names?: string[] | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One alert of one cluster, as its Alertmanager (or Prometheus) tells it.",
})
export class Alert {
  @Field({
    description: "Alertmanager's fingerprint of the labels: the alert's identity within its cluster.",
  })
  fingerprint!: string;

  @Field({ description: "The `alertname` label: the rule that raised it." })
  name!: string;

  @Field(() => String, { nullable: true, description: "The `severity` label." })
  severity!: string | null;

  @Field(() => AlertState, { description: "FIRING, PENDING or SUPPRESSED." })
  state!: AlertState;

  @Field(() => String, { nullable: true, description: "The `summary` annotation." })
  summary!: string | null;

  @Field(() => String, { nullable: true, description: "The `description` annotation." })
  description!: string | null;

  @Field(() => [Label], { description: "Every label, sorted by key." })
  labels!: Label[];

  @Field(() => [Label], { description: "Every annotation, sorted by key." })
  annotations!: Label[];

  @Field(() => DateTime, {
    description: "When it started (for PENDING: when its condition started holding).",
  })
  startsAt!: Date;

  @Field(() => DateTime, { description: "When its source last updated it." })
  updatedAt!: Date;

  @Field(() => DateTime, { nullable: true, description: "When it ends or ended, if known." })
  endsAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The link to the expression that raised it." })
  generatorURL!: string | null;

  @Field(() => [String], { description: "The ids of the silences muting it." })
  silencedBy!: string[];

  @Field(() => [Silence], {
    description:
      "The silences muting it (of `silencedBy`) that you may see: those whose namespaces you may read, cluster-wide ones with a cluster role. At most 16.",
  })
  silences!: Silence[];

  @Field(() => [String], { description: "The fingerprints of the alerts inhibiting it." })
  inhibitedBy!: string[];

  @Field(() => DataSource, {
    description: "ALERTMANAGER, or PROMETHEUS (pending alerts, clusters without one).",
  })
  source!: DataSource;

  @Field({ description: "The cluster's name." })
  clusterName!: string;

  @Field(() => String, {
    nullable: true,
    description: "The `namespace` label; null for cluster-level alerts.",
  })
  namespaceName!: string | null;

  @Field(() => Cluster, { description: "The cluster the alert is about." })
  cluster!: Cluster;

  @Field(() => KubeObject, {
    nullable: true,
    description:
      "The object the alert is about, where its labels name one you may read: a pod, a workload (deployment, statefulset, daemonset), a node or a namespace.",
  })
  subject!: KubeObject | null;
}

@ObjectType({ simpleResolvers: true, description: "A page of alerts across the fleet." })
export class AlertConnection extends Connection<Alert>("Alert", Alert, "the alerts") {}

@ObjectType({ simpleResolvers: true, description: "The alerts of one name across the fleet." })
export class AlertGroup {
  @Field({ description: "The alert name." })
  name!: string;

  @Field(() => Int, { description: "Alerts of this name that match the filter." })
  count!: number;

  @Field(() => Int, { description: "How many of them fire." })
  firing!: number;

  @Field(() => Int, { description: "How many of them are pending." })
  pending!: number;

  @Field(() => Int, { description: "How many of them are silenced or inhibited." })
  suppressed!: number;

  @Field(() => String, { nullable: true, description: "The most severe `severity` among them." })
  severity!: string | null;

  @Field(() => [String], { description: "The clusters where they are, by name." })
  clusterNames!: string[];
}

@ObjectType({ simpleResolvers: true, description: "Alerts grouped by name, most alerts first." })
export class AlertGroupList {
  @Field(() => [AlertGroup], { description: "One per alert name, most alerts first." })
  groups!: AlertGroup[];

  @Field(() => [ClusterOutcome], {
    description: "One per cluster read: which source answered, or why it did not.",
  })
  outcomes!: ClusterOutcome[];
}

@ObjectType({ simpleResolvers: true, description: "One alert of a rule, as Prometheus evaluates it." })
export class AlertRuleInstance {
  @Field(() => [Label], { description: "Its labels, sorted by key." })
  labels!: Label[];

  @Field(() => AlertState, { description: "FIRING or PENDING." })
  state!: AlertState;

  @Field(() => DateTime, { nullable: true, description: "When its condition started holding." })
  activeAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The expression's value, as Prometheus writes it." })
  value!: string | null;
}

@ObjectType({ simpleResolvers: true, description: "An alerting rule the cluster's Prometheus evaluates." })
export class AlertRule {
  @Field({ description: "The cluster whose Prometheus was asked." })
  clusterName!: string;

  @Field({ description: "The rule group." })
  group!: string;

  @Field({ description: "The alert it raises." })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "The PromQL expression; null unless you hold a cluster role on the cluster.",
  })
  query!: string | null;

  @Field(() => Float, { description: "Its `for:` duration in seconds." })
  forSeconds!: number;

  @Field(() => AlertRuleHealth, { description: "Whether its last evaluation succeeded." })
  health!: AlertRuleHealth;

  @Field(() => String, {
    nullable: true,
    description: "Why its last evaluation failed; null unless you hold a cluster role on the cluster.",
  })
  lastError!: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "When it was last evaluated; null before the first time.",
  })
  lastEvaluation!: Date | null;

  @Field(() => Float, { nullable: true, description: "How long its last evaluation took, in seconds." })
  evaluationSeconds!: number | null;

  @Field(() => [Label], { description: "The labels it adds to its alerts (severity...)." })
  labels!: Label[];

  @Field(() => [Label], { description: "Its annotation templates (summary, description...)." })
  annotations!: Label[];

  @Field(() => [AlertRuleInstance], {
    description: "Its pending and firing alerts of this cluster that you may see.",
  })
  alerts!: AlertRuleInstance[];
}

@ObjectType({ simpleResolvers: true, description: "The alerting rules of one cluster's Prometheus." })
export class AlertRuleList {
  @Field(() => [AlertRule], {
    description:
      "With a cluster role on the cluster: every alerting rule, by group. Otherwise only the rules with an alert you may see.",
  })
  rules!: AlertRule[];

  @Field(() => [ClusterOutcome], {
    description: "The cluster's outcome: PROMETHEUS, or why it did not answer.",
  })
  outcomes!: ClusterOutcome[];
}

@ObjectType({ simpleResolvers: true, description: "An alert that fired, resolved or was silenced." })
export class AlertChange {
  @Field(() => AlertChangeType, { description: "What happened." })
  type!: AlertChangeType;

  @Field(() => Alert, { description: "The alert now; on RESOLVED, as it last was, `endsAt` set." })
  alert!: Alert;

  @Field(() => DateTime, { description: "When the gateway learned of it." })
  at!: Date;
}

@ArgsType()
export class AlertChangesArgs {
  @Field(() => AlertFilter, { nullable: true, description: "Which alerts; default every one you may see." })
  filter?: AlertFilter | null;
}
