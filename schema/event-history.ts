/**
 * Event history: Kubernetes events kept by the clusters' log stores (long after Kubernetes forgets
 * them, about an hour) merged with the live events of the watch caches, each event once at its
 * newest version.
 */
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "./connection.js";
import { DataSource, EventType } from "./enums.js";
import { InvolvedObject } from "./event.js";
import { ClusterFilterFields } from "./filters.js";
import { TimeRangeInput } from "./logs.js";
import { DateTime } from "./scalars.js";

@InputType({
  description: "What an event-history search matches. Every field narrows; an empty list matches nothing.",
})
export class EventHistoryFilter extends ClusterFilterFields {
  @Field(() => TimeRangeInput, {
    nullable: true,
    description: "When the events last happened (lastTimestamp); default the last hour.",
  })
  range?: TimeRangeInput | null;

  @Field(() => [String], { nullable: true, description: "Only namespaces of these workspaces." })
  workspaces?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "The events' own namespaces (a Node's events are in \"default\", as Kubernetes records them).",
  })
  namespaces?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Kinds of the involved object, e.g. "Pod", "Node" (exact, case-sensitive).',
  })
  involvedKinds?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Names of the involved object (exact)." })
  involvedNames?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Reasons, e.g. "BackOff" (exact).' })
  reasons?: string[] | null;

  @Field(() => [EventType], { nullable: true, description: "NORMAL, WARNING." })
  types?: EventType[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Each must appear in the message as a phrase (words in this order, case-insensitive); at most 16. Plain text: no query syntax.",
  })
  keywords?: string[] | null;
}

@ObjectType({
  description:
    "One Kubernetes event as event history shows it: once per event (cluster and uid), at its newest version.",
})
export class EventHistoryEntry {
  @Field(() => DateTime, { description: "When it last happened (lastTimestamp): its place in the order." })
  time!: Date;

  @Field(() => DateTime, { nullable: true, description: "When it first happened." })
  firstTimestamp!: Date | null;

  @Field(() => Int, { description: "How often it happened, as of this version." })
  count!: number;

  @Field(() => EventType, { description: "How serious it is." })
  type!: EventType;

  @Field({ description: 'A one-word reason, e.g. "BackOff", "Scheduled".' })
  reason!: string;

  @Field({ description: "What happened, for a person." })
  message!: string;

  @Field(() => InvolvedObject, {
    description: "The object it is about; `object` is that object while it is cached and in your scope.",
  })
  involvedObject!: InvolvedObject;

  @Field(() => String, {
    nullable: true,
    description: 'The component that reported it, e.g. "kubelet".',
  })
  sourceComponent!: string | null;

  @Field({ description: "The cluster's name." })
  clusterName!: string;

  @Field({ description: "The Event object's namespace." })
  namespace!: string;

  @Field({ description: "The Event object's name." })
  name!: string;

  @Field({ description: "The Event object's uid: one entry per uid and cluster." })
  uid!: string;

  @Field(() => DataSource, {
    description:
      "CACHE when this is the live event (Kubernetes still has it: its current version), LOG_STORE when it is the newest version the store recorded.",
  })
  source!: DataSource;
}

@ObjectType({
  simpleResolvers: true,
  description: "A page of event history, merged across clusters, stores and caches in time order.",
})
export class EventHistoryConnection extends Connection<EventHistoryEntry>(
  "EventHistoryEntry",
  EventHistoryEntry,
  "the events",
) {}
