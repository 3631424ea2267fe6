/**
 * The arguments of every object list, root or relation: paging, consistency, the kind's filter and
 * its order. One ArgsType per list type, so a list field declares one argument class.
 */
import { ArgsType, Field, type ClassType } from "type-graphql";
import { ObjectListArgs, PageArgs } from "./args.js";
import {
  ClusterFilter,
  ClusterNodeFilter,
  ConfigMapFilter,
  EventFilter,
  HorizontalPodAutoscalerFilter,
  IngressFilter,
  LimitRangeFilter,
  NamespaceFilter,
  ObjectEventFilter,
  PersistentVolumeClaimFilter,
  PersistentVolumeFilter,
  PodFilter,
  ResourceQuotaFilter,
  SecretFilter,
  ServiceAccountFilter,
  ServiceFilter,
  StorageClassFilter,
  WorkloadFilter,
  WorkspaceFilter,
} from "./filters.js";
import * as O from "./orders.js";

/** What a resolver reads of a list's arguments. */
export interface ListArguments<F = object> extends PageArgs {
  consistency?: ObjectListArgs["consistency"];
  filter?: F | null;
  orderBy?: { field: string; direction: "ASC" | "DESC" } | null;
}

export function ListArgs<F extends object>(
  filter: ClassType<F>,
  order: ClassType,
  what: string,
  defaultOrder = "by cluster, namespace and name",
): ClassType<ListArguments<F>> {
  @ArgsType()
  class Args extends ObjectListArgs implements ListArguments<F> {
    @Field(() => filter, { nullable: true, description: `Which ${what}; every one when left out.` })
    filter?: F | null;

    @Field(() => order, { nullable: true, description: `The order; ${defaultOrder} when left out.` })
    orderBy?: ListArguments["orderBy"];
  }
  return Args;
}

@ArgsType()
export class NamespaceListArgs extends ListArgs(NamespaceFilter, O.NamespaceOrder, "namespaces") {}
@ArgsType()
export class ClusterNodeListArgs extends ListArgs(
  ClusterNodeFilter,
  O.ClusterNodeOrder,
  "nodes",
  "by cluster and name",
) {}
@ArgsType()
export class WorkloadListArgs extends ListArgs(WorkloadFilter, O.WorkloadOrder, "workloads") {}
@ArgsType()
export class PodListArgs extends ListArgs(PodFilter, O.PodOrder, "pods") {}
@ArgsType()
export class ServiceListArgs extends ListArgs(ServiceFilter, O.ServiceOrder, "services") {}
@ArgsType()
export class EventListArgs extends ListArgs(
  EventFilter,
  O.EventOrder,
  "events",
  "the latest first (LAST_SEEN DESC)",
) {}
@ArgsType()
export class ObjectEventListArgs extends ListArgs(
  ObjectEventFilter,
  O.EventOrder,
  "of its events",
  "the latest first (LAST_SEEN DESC)",
) {}
@ArgsType()
export class IngressListArgs extends ListArgs(IngressFilter, O.IngressOrder, "ingresses") {}
@ArgsType()
export class ConfigMapListArgs extends ListArgs(ConfigMapFilter, O.ConfigMapOrder, "ConfigMaps") {}
@ArgsType()
export class SecretListArgs extends ListArgs(SecretFilter, O.SecretOrder, "Secrets") {}
@ArgsType()
export class ServiceAccountListArgs extends ListArgs(
  ServiceAccountFilter,
  O.ServiceAccountOrder,
  "ServiceAccounts",
) {}
@ArgsType()
export class PersistentVolumeClaimListArgs extends ListArgs(
  PersistentVolumeClaimFilter,
  O.PersistentVolumeClaimOrder,
  "claims",
) {}
@ArgsType()
export class PersistentVolumeListArgs extends ListArgs(
  PersistentVolumeFilter,
  O.PersistentVolumeOrder,
  "volumes",
  "by cluster and name",
) {}
@ArgsType()
export class StorageClassListArgs extends ListArgs(
  StorageClassFilter,
  O.StorageClassOrder,
  "classes",
  "by cluster and name",
) {}
@ArgsType()
export class HorizontalPodAutoscalerListArgs extends ListArgs(
  HorizontalPodAutoscalerFilter,
  O.HorizontalPodAutoscalerOrder,
  "autoscalers",
) {}
@ArgsType()
export class ResourceQuotaListArgs extends ListArgs(ResourceQuotaFilter, O.ResourceQuotaOrder, "quotas") {}
@ArgsType()
export class LimitRangeListArgs extends ListArgs(LimitRangeFilter, O.LimitRangeOrder, "limit ranges") {}

@ArgsType()
export class RevisionListArgs extends PageArgs {
  @Field(() => O.ReplicaSetOrder, {
    nullable: true,
    description: "The order; the newest revision first when left out.",
  })
  orderBy?: ListArguments["orderBy"];
}

@ArgsType()
export class ClusterListArgs extends PageArgs {
  @Field(() => ClusterFilter, {
    nullable: true,
    description: "Which clusters; every one you may read when left out.",
  })
  filter?: ClusterFilter | null;

  @Field(() => O.ClusterOrder, { nullable: true, description: "The order; by name when left out." })
  orderBy?: { field: "NAME"; direction: "ASC" | "DESC" } | null;
}

@ArgsType()
export class WorkspaceListArgs extends PageArgs {
  @Field(() => WorkspaceFilter, {
    nullable: true,
    description: "Which workspaces; every one you may see when left out.",
  })
  filter?: WorkspaceFilter | null;

  @Field(() => O.WorkspaceOrder, { nullable: true, description: "The order; by name when left out." })
  orderBy?: { field: "NAME"; direction: "ASC" | "DESC" } | null;
}
