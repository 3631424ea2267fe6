/**
 * Subscriptions' event types: one per subscription field, each with the object through the
 * same types as the lists (so its relations resolve as in a query), and the markers that tell a
 * reader where it stands.
 */
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType, type ClassType } from "type-graphql";
import { ClusterNode } from "./cluster-node.js";
import { ClusterStatus } from "./enums.js";
import { KubeEvent } from "./event.js";
import {
  ClusterNodeFilter,
  EventFilter,
  NamespacedFilterFields,
  PodFilter,
  ServiceFilter,
  WorkloadFilter,
} from "./filters.js";
import { KubeObject } from "./kube-object.js";
import { ClusterOutcome } from "./outcome.js";
import { Pod } from "./pod.js";
import { Service } from "./service.js";
import { Workload } from "./workload.js";

export enum ChangeType {
  ADDED = "ADDED",
  UPDATED = "UPDATED",
  DELETED = "DELETED",
  SYNCED = "SYNCED",
  RESET = "RESET",
}

registerEnumType(ChangeType, {
  name: "ChangeType",
  description: "What an event of an object subscription says.",
  valuesConfig: {
    ADDED: { description: "The object appeared, or entered the subscription's filter or your access." },
    UPDATED: { description: "The object changed and still matches." },
    DELETED: {
      description: "The object was deleted, or left the filter or your access; `object` is null.",
    },
    SYNCED: {
      description:
        "You have every change up to here: after the initial objects (`sendInitial`), and after a " +
        "stretch of coalesced events when you fell behind.",
    },
    RESET: {
      description:
        "The history no longer reaches back to your cursor: list again (the list's `watchCursor`) " +
        "and subscribe `after:` it. Live changes follow from now.",
    },
  },
});

export interface ChangeShape<T> {
  type: ChangeType;
  id: string | null;
  cluster: string | null;
  cursor: string;
  object: T | null;
}

function ChangeEvent<T extends object>(
  name: string,
  item: abstract new (...args: never[]) => T,
  what: string,
) {
  @ObjectType(name, { simpleResolvers: true, description: `A change of ${what}, or a marker.` })
  class Change implements ChangeShape<T> {
    @Field(() => ChangeType, { description: "What happened." })
    type!: ChangeType;

    @Field(() => ID, {
      nullable: true,
      description: "The object's global id (as `node(id:)` takes it); null on markers.",
    })
    id!: string | null;

    @Field(() => String, { nullable: true, description: "The object's cluster; null on markers." })
    cluster!: string | null;

    @Field({
      description: "Where you stand after this event: subscribe again `after:` it to resume without a gap.",
    })
    cursor!: string;

    @Field(() => item, {
      nullable: true,
      description: `The ${what} as it is now; null on DELETED and markers.`,
    })
    object!: T | null;
  }
  return Change as ClassType<ChangeShape<T>>;
}

export const PodChange = ChangeEvent("PodChange", Pod, "pod");
export const WorkloadChange = ChangeEvent("WorkloadChange", Workload, "workload");
export const ClusterNodeChange = ChangeEvent("ClusterNodeChange", ClusterNode, "node");
export const ServiceChange = ChangeEvent("ServiceChange", Service, "service");
export const EventChange = ChangeEvent("EventChange", KubeEvent, "Kubernetes event");
export const ObjectChange = ChangeEvent("ObjectChange", KubeObject, "object of any cached kind");

/** The arguments every object subscription takes beside its filter. */
@ArgsType()
export class WatchArgs {
  @Field(() => String, {
    nullable: true,
    description:
      "A list's `watchCursor` or an event's `cursor`: deliver exactly the changes since then " +
      "(RESET when the gateway's history no longer reaches back).",
  })
  after?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: "Without `after`: first the objects that match now (ADDED), then SYNCED, then changes.",
  })
  sendInitial?: boolean | null;
}

function FilterArgs<F extends object>(filter: ClassType<F>, what: string) {
  @ArgsType()
  class Args extends WatchArgs {
    @Field(() => filter, { nullable: true, description: `Which ${what}: the same filter as the list's.` })
    filter?: F | null;
  }
  return Args;
}

export const PodChangesArgs = FilterArgs(PodFilter, "pods");
export const WorkloadChangesArgs = FilterArgs(WorkloadFilter, "workloads");
export const ClusterNodeChangesArgs = FilterArgs(ClusterNodeFilter, "nodes");
export const ServiceChangesArgs = FilterArgs(ServiceFilter, "services");
export const EventChangesArgs = FilterArgs(EventFilter, "events");

@InputType({ description: "The filter fields every kind shares (objectChanges)." })
export class ObjectChangeFilter extends NamespacedFilterFields {}

@ArgsType()
export class ObjectChangesArgs extends WatchArgs {
  @Field(() => [String], {
    description: 'Cached kinds by name, e.g. ["Deployment", "ConfigMap"] (see the schema\'s object types).',
  })
  kinds!: string[];

  @Field(() => ObjectChangeFilter, {
    nullable: true,
    description: "Which objects; `namespaces` does not apply to cluster-scoped kinds.",
  })
  filter?: ObjectChangeFilter | null;
}

@ArgsType()
export class ClusterOutcomeChangedArgs {
  @Field(() => [String], {
    nullable: true,
    description: "Only these clusters; default every one you may read.",
  })
  clusters?: string[] | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "A cluster's health or cache freshness changed (a watch dropped, a sync finished, ...).",
})
export class ClusterOutcomeChange {
  @Field(() => ClusterOutcome, { description: "The cluster as a list would report it now." })
  outcome!: ClusterOutcome;

  @Field(() => ClusterStatus, { description: "The cluster's health now." })
  status!: ClusterStatus;
}
