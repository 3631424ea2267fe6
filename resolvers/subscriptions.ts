/**
 * The subscription fields: each starts a stream of the change feed (src/subscriptions) with the
 * list's filter, and each event is shown through the same views as the lists, so its object's
 * relations resolve as in a query (with loaders of that event's own context).
 */
import type { GraphQLResolveInfo } from "graphql";
import { selectsField } from "./selection.js";
import { Args, Ctx, Resolver, Root, Subscription } from "type-graphql";
import type { CacheEntry } from "../src/cache/entry.js";
import { QueryInputError } from "../src/cache/query/index.js";
import { EVENT, findKind, NODE, POD, SERVICE, type AnyKind } from "../src/kinds/index.js";
import { objectId } from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import type { ChangeEvent } from "../src/subscriptions/change-event.js";
import type { SubscriptionContext } from "../src/subscriptions/context.js";
import { CLOSE_SUBSCRIBER_TOO_SLOW, SubscriberTooSlowError } from "../src/subscriptions/event-queue.js";
import {
  ClusterNodeChange,
  ClusterNodeChangesArgs,
  ClusterOutcomeChange,
  ClusterOutcomeChangedArgs,
  EventChange,
  EventChangesArgs,
  ObjectChange,
  ObjectChangesArgs,
  PodChange,
  PodChangesArgs,
  ServiceChange,
  ServiceChangesArgs,
  type ChangeShape,
  type ChangeType,
  WorkloadChange,
  WorkloadChangesArgs,
} from "../schema/subscriptions.js";
import {
  anyView,
  clusterNodeView,
  eventView,
  podView,
  serviceView,
  workloadView,
  type Viewed,
} from "./views/index.js";
import { workloadKinds } from "./workload-kinds.js";
import { outcomeView } from "./connection.js";
import type { ClusterChange } from "../src/subscriptions/cluster-changes.js";
import type { ClusterStatus } from "../schema/enums.js";

type Context = RequestContext & SubscriptionContext;

interface WatchArguments {
  filter?: object | null;
  after?: string | null;
  sendInitial?: boolean | null;
}

/** Whether the event's `cursor` is selected: without it no position is copied per event. */
function selectsCursor(info: GraphQLResolveInfo): boolean {
  return selectsField(info, "cursor");
}

function watch(ctx: Context, kinds: readonly AnyKind[], args: WatchArguments, info: GraphQLResolveInfo) {
  const changes = ctx.changes;
  if (!changes) throw new Error("subscriptions are not served by this server");
  const scopeNow = ctx.scopeNow ?? (() => ctx.scope);
  const close = ctx.closeConnection;
  return changes.subscribe({
    cursors: selectsCursor(info),
    ...(close
      ? {
          onFail: (error: unknown) => {
            if (error instanceof SubscriberTooSlowError) close(CLOSE_SUBSCRIBER_TOO_SLOW, error.message);
          },
        }
      : {}),
    kinds,
    filter: args.filter ?? null,
    after: args.after ?? null,
    sendInitial: args.sendInitial ?? false,
    scope: scopeNow,
  });
}

function changeOf<V>(event: ChangeEvent, view: (entry: CacheEntry<never>) => V): ChangeShape<V> {
  const entry = event.entry;
  return {
    type: event.type as ChangeType,
    id: entry ? objectId(entry.kind, entry.cluster, entry.uid) : null,
    cluster: event.cluster,
    get cursor() {
      return event.cursor;
    },
    object: entry && event.type !== "DELETED" ? view(entry as CacheEntry<never>) : null,
  };
}

/** objectChanges' kinds: served kinds by name, at least one. */
function servedKinds(names: readonly string[]): AnyKind[] {
  if (names.length === 0) throw new QueryInputError("kinds", 'name at least one kind, e.g. ["Deployment"]');
  return names.map((name) => {
    const kind = findKind(name);
    if (!kind)
      throw new QueryInputError(
        "kinds",
        `"${name}" is not a kind this gateway caches; use a type name of the schema such as "Pod" or "ConfigMap"`,
      );
    return kind;
  });
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => PodChange, {
    name: "podChanges",
    description: "Pods as they change across the fleet, within your access and the filter.",
    subscribe: ({ args, context, info }) => watch(context as Context, [POD], args as WatchArguments, info),
  })
  podChanges(@Root() event: ChangeEvent, @Args(() => PodChangesArgs) _args: object) {
    return changeOf(event, podView);
  }

  @Subscription(() => WorkloadChange, {
    name: "workloadChanges",
    description: "Workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs) as they change.",
    subscribe: ({ args, context, info }) => {
      const a = args as WatchArguments & { filter?: { kinds?: string[] | null } | null };
      return watch(context as Context, workloadKinds(a.filter), a, info);
    },
  })
  workloadChanges(@Root() event: ChangeEvent, @Args(() => WorkloadChangesArgs) _args: object) {
    return changeOf(event, workloadView);
  }

  @Subscription(() => ClusterNodeChange, {
    name: "clusterNodeChanges",
    description: "Nodes as they change across the fleet.",
    subscribe: ({ args, context, info }) => watch(context as Context, [NODE], args as WatchArguments, info),
  })
  clusterNodeChanges(@Root() event: ChangeEvent, @Args(() => ClusterNodeChangesArgs) _args: object) {
    return changeOf(event, clusterNodeView);
  }

  @Subscription(() => ServiceChange, {
    name: "serviceChanges",
    description: "Services as they change across the fleet.",
    subscribe: ({ args, context, info }) =>
      watch(context as Context, [SERVICE], args as WatchArguments, info),
  })
  serviceChanges(@Root() event: ChangeEvent, @Args(() => ServiceChangesArgs) _args: object) {
    return changeOf(event, serviceView);
  }

  @Subscription(() => EventChange, {
    name: "eventChanges",
    description: "Kubernetes events as they are recorded (and updated as they repeat).",
    subscribe: ({ args, context, info }) => watch(context as Context, [EVENT], args as WatchArguments, info),
  })
  eventChanges(@Root() event: ChangeEvent, @Args(() => EventChangesArgs) _args: object) {
    return changeOf(event, eventView);
  }

  @Subscription(() => ObjectChange, {
    name: "objectChanges",
    description: "Objects of the named kinds as they change, with the filter fields every kind shares.",
    subscribe: ({ args, context, info }) => {
      const a = args as WatchArguments & { kinds: string[] };
      return watch(context as Context, servedKinds(a.kinds), a, info);
    },
  })
  objectChanges(
    @Root() event: ChangeEvent,
    @Args(() => ObjectChangesArgs) _args: object,
    @Ctx() ctx: RequestContext,
  ) {
    return changeOf<Viewed>(event, (entry) => anyView(entry, ctx.services.workspaceLabel));
  }

  @Subscription(() => ClusterOutcomeChange, {
    name: "clusterOutcomeChanged",
    description:
      "Clusters' health, sync and staleness as they change (a watch dropping, a relist finishing), " +
      "for the clusters you may read.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      if (!ctx.clusterChanges) throw new Error("subscriptions are not served by this server");
      return ctx.clusterChanges.subscribe({
        clusters: (args as { clusters?: string[] | null }).clusters ?? null,
        scope: ctx.scopeNow ?? (() => ctx.scope),
      });
    },
  })
  clusterOutcomeChanged(
    @Root() change: ClusterChange,
    @Args(() => ClusterOutcomeChangedArgs) _args: object,
  ): ClusterOutcomeChange {
    return { outcome: outcomeView(change.outcome), status: change.status as ClusterStatus };
  }
}
