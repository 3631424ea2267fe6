/**
 * Silences (docs/alerts.md "Silences"): each cluster's Alertmanager silences as the gateway shows
 * them, and the inputs and payload of silenceCreate and silenceExpire.
 */
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Cluster } from "./cluster.js";
import { Connection } from "./connection.js";
import { MutationInput, mutationPayload } from "./mutations.js";
import { DateTime } from "./scalars.js";

export enum SilenceState {
  ACTIVE = "ACTIVE",
  PENDING = "PENDING",
  EXPIRED = "EXPIRED",
}
registerEnumType(SilenceState, {
  name: "SilenceState",
  description: "Where a silence stands.",
  valuesConfig: {
    ACTIVE: { description: "It mutes the alerts it matches now." },
    PENDING: { description: "It starts later." },
    EXPIRED: { description: "It ended (Alertmanager keeps expired silences for a while)." },
  },
});

@InputType({
  description:
    'One matcher of a silence, as Alertmanager takes it: `name="value"`, or `=~`, `!=`, `!~` with isRegex and isEqual.',
})
export class SilenceMatcherInput {
  @Field({ description: 'A label name, e.g. "alertname" or "namespace".' })
  name!: string;

  @Field({
    description:
      'The value, or with isRegex an RE2 regular expression Alertmanager anchors at both ends ("a|b" matches exactly a or b).',
  })
  value!: string;

  @Field(() => Boolean, { nullable: true, description: "Default false: the value is a literal." })
  isRegex?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Default true (= or =~); false for != or !~." })
  isEqual?: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: "One matcher of a silence." })
export class SilenceMatcher {
  @Field({ description: "The label name." })
  name!: string;

  @Field({ description: "The value, or a regular expression when isRegex." })
  value!: string;

  @Field({ description: "Whether value is an (anchored) regular expression." })
  isRegex!: boolean;

  @Field({ description: "True for = and =~, false for != and !~." })
  isEqual!: boolean;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A silence of one cluster's Alertmanager: while active, the alerts its matchers match are SUPPRESSED (not notified).",
})
export class Silence {
  @Field(() => ID, {
    description: "Alertmanager's id (a UUID): what silenceExpire and Alert.silencedBy name.",
  })
  id!: string;

  @Field({ description: "The cluster's name." })
  clusterName!: string;

  @Field(() => [SilenceMatcher], {
    description:
      "Every matcher an alert must match to be muted; in an Alertmanager shared by clusters, the cluster label's included.",
  })
  matchers!: SilenceMatcher[];

  @Field(() => DateTime, { description: "When it starts (or started)." })
  startsAt!: Date;

  @Field(() => DateTime, { description: "When it ends (or ended)." })
  endsAt!: Date;

  @Field(() => DateTime, { description: "When Alertmanager last changed it." })
  updatedAt!: Date;

  @Field({ description: "Who made it: for silences made through the gateway, the caller's user name." })
  createdBy!: string;

  @Field({ description: "Why." })
  comment!: string;

  @Field(() => SilenceState, { description: "ACTIVE, PENDING or EXPIRED." })
  state!: SilenceState;

  @Field(() => Cluster, { description: "The cluster whose Alertmanager holds it." })
  cluster!: Cluster;
}

@ObjectType({ simpleResolvers: true, description: "A page of silences across the fleet." })
export class SilenceConnection extends Connection<Silence>("Silence", Silence, "the silences") {}

@InputType({ description: "Which silences. Every field narrows; an empty list matches nothing." })
export class SilenceFilter {
  @Field(() => [String], { nullable: true, description: "Cluster names." })
  clusters?: string[] | null;

  @Field(() => [SilenceState], { nullable: true, description: "Default: every state." })
  states?: SilenceState[] | null;
}

export const SilenceMutationPayload = mutationPayload(
  Silence,
  "Silence",
  "silence",
  "The silence made or expired, as the gateway sent it to Alertmanager (for a dry run: as it would be; its id empty when made); " +
    "for UNCHANGED and FORBIDDEN expiries, the silence as it is; null otherwise.",
);
export type SilenceMutationPayload = InstanceType<typeof SilenceMutationPayload>;

@InputType({
  description:
    "A silence to make on one or more clusters' Alertmanagers. A workspace admin (or namespace admin, operator) may silence " +
    'only the alerts of their namespaces: the matchers must pin them (namespace="ns", or namespace=~"a|b"); a silence ' +
    "that pins no namespace takes a cluster role.",
})
export class SilenceCreateInput extends MutationInput {
  @Field(() => String, { nullable: true, description: "The cluster. Give cluster or clusters." })
  cluster?: string | null;

  @Field(() => [String], { nullable: true, description: "Several clusters at once: one silence on each." })
  clusters?: string[] | null;

  @Field(() => [SilenceMatcherInput], {
    description:
      "What it mutes: alerts matching every matcher. At least one matcher must not match an empty value (at most 20).",
  })
  matchers!: SilenceMatcherInput[];

  @Field(() => String, {
    nullable: true,
    description:
      'How long from now, as Go writes it ("2h", "1h30m", "7d") or ISO 8601 ("PT2H"); a minute to 30 days. Give duration or endsAt.',
  })
  duration?: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "When it ends: a minute to 30 days from now. Give duration or endsAt.",
  })
  endsAt?: Date | null;

  @Field({ description: "Why (required): what on-call reads beside the silence." })
  comment!: string;
}

@InputType({
  description:
    "A silence to expire: allowed to whoever could have made it (its matchers are checked again), so a workspace " +
    "admin cannot end a cluster-wide silence.",
})
export class SilenceExpireInput extends MutationInput {
  @Field({ description: "The cluster whose Alertmanager holds it." })
  cluster!: string;

  @Field(() => ID, { description: "The silence's id." })
  id!: string;
}
