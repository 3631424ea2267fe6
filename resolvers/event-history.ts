/**
 * Event history: `eventHistory` (a page of events, the log stores' merged with the caches' live
 * ones, each event once) and `eventHistogram`. Thin: the request's EventHistory does the work.
 */
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Extensions, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import type { EventHistoryEntry as EntryData } from "../src/logs/event-history.js";
import type { RequestContext } from "../src/request/context.js";
import { Cluster } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import { EventType, knownOr } from "../schema/enums.js";
import { EventHistoryConnection, EventHistoryEntry, EventHistoryFilter } from "../schema/event-history.js";
import { Histogram, LogDirection } from "../schema/logs.js";
import type { OutcomeView } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import {
  entryConnection,
  histogramView,
  intervalArg,
  MERGED_PAGE,
  pageArgs,
  pageRequest,
} from "./entry-pages.js";
import type { ClusterView, InvolvedObjectView } from "./views/index.js";

/** An entry as the schema's type reads it. */
export type EventHistoryView = Omit<EntryData, "type" | "involvedObject"> & {
  type: EventType;
  clusterName: string;
  involvedObject: InvolvedObjectView;
};

const filterArg = () =>
  Arg("filter", () => EventHistoryFilter, {
    nullable: true,
    description: "What to match; default: every event you may read in the last hour.",
  });

function view(entry: EntryData): EventHistoryView {
  return {
    ...entry,
    type: knownOr(EventType, entry.type),
    clusterName: entry.cluster,
    involvedObject: { ...entry.involvedObject, event: { cluster: entry.cluster } },
  };
}

@Resolver()
export class EventHistoryQueryResolver {
  @Query(() => EventHistoryConnection, {
    description:
      "Kubernetes events across clusters: the log stores' history merged with the live events of the caches, " +
      "each event (cluster and uid) once at its newest version, in time order (lastTimestamp). " +
      "Events you may read only (namespaces where you may read Events). `totalCount` is always null.",
  })
  @Extensions(MERGED_PAGE)
  async eventHistory(
    @filterArg() filter: EventHistoryFilter | null,
    @pageArgs.first() first: number | null,
    @pageArgs.after() after: string | null,
    @pageArgs.direction() direction: LogDirection,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<EventHistoryView, OutcomeView>> {
    const page = await ctx.eventHistory.page(filter ?? {}, pageRequest(first, after, direction, info));
    return entryConnection({ ...page, entries: page.entries.map(view) });
  }

  @Query(() => Histogram, {
    description:
      "How many stored event versions matching the filter fell in each interval of its range (each update of an event counts; live events not yet stored do not).",
  })
  async eventHistogram(
    @filterArg() filter: EventHistoryFilter | null,
    @intervalArg() interval: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Histogram> {
    return histogramView(await ctx.eventHistory.histogram(filter ?? {}, interval));
  }
}

@Resolver(() => EventHistoryEntry)
export class EventHistoryEntryResolver {
  @FieldResolver(() => Cluster, { description: "The cluster." })
  cluster(@Root() entry: EventHistoryView, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(entry.cluster, ctx);
  }
}
