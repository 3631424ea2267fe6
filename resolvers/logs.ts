/**
 * Container logs: `logs` and `logHistogram` across the fleet, `Pod.logs` (with the API server as
 * the fallback) and `Workload.logs`. Thin: the request's LogReads builds and merges the searches.
 */
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Extensions, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { EntryPage } from "../src/logs/entry-search.js";
import type { LogEntry as LogEntryData } from "../src/logs/log-reads.js";
import type { Histogram as HistogramData } from "../src/logs/histogram.js";
import type { PageOutcome } from "../src/query-service/outcomes.js";
import type { RequestContext } from "../src/request/context.js";
import { objectId } from "../src/query-service/index.js";
import { Cluster } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import { Pod } from "../schema/pod.js";
import { Workload } from "../schema/workload.js";
import {
  Histogram,
  LogDirection,
  LogEntry,
  LogEntryConnection,
  LogFilter,
  LogSourceChoice,
  ObjectLogFilter,
} from "../schema/logs.js";
import { outcomeView, type OutcomeView } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import { selectsField } from "./selection.js";
import { podView, type ClusterView, type PodView, type WorkloadView } from "./views/index.js";

/** Pages of log lines are merged across clusters: priced as one page, not one per cluster. */
export const MERGED_PAGE = { mergedPage: true };

export function entryConnection<E extends { cursor: string }>(
  page: EntryPage<E>,
): ConnectionShape<E, OutcomeView> {
  const last = page.entries.at(-1);
  return {
    edges: page.entries.map((node) => ({ cursor: node.cursor, node })),
    nodes: page.entries,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.entries[0]?.cursor ?? null,
      endCursor: page.endCursor ?? last?.cursor ?? null,
    },
    totalCount: page.totalCount,
    outcomes: page.outcomes.map(outcomeView),
    watchCursor: null,
  };
}

export const pageArgs = {
  first: () => Arg("first", () => Int, { nullable: true, description: "At most 1,000; default 100." }),
  after: () =>
    Arg("after", () => String, { nullable: true, description: "An entry's cursor: the page after it." }),
  direction: () =>
    Arg("direction", () => LogDirection, {
      nullable: true,
      defaultValue: LogDirection.NEWEST_FIRST,
      description: "Default NEWEST_FIRST.",
    }),
};

export function histogramView(result: HistogramData & { outcomes: PageOutcome[] }): Histogram {
  return {
    interval: result.interval,
    buckets: result.buckets.map((b) => ({ time: new Date(b.time), count: b.count })),
    total: result.total,
    outcomes: result.outcomes.map(outcomeView),
  };
}

@Resolver()
export class LogQueryResolver {
  @Query(() => LogEntryConnection, {
    description:
      "Container log lines across clusters, from their log stores: the pods you may read, filtered, merged in time order. " +
      "Each cluster's store is searched once per page (`search_after`); a store that fails leaves its clusters out, said in `outcomes`.",
  })
  @Extensions(MERGED_PAGE)
  async logs(
    @Arg("filter", () => LogFilter, {
      nullable: true,
      description: "Which lines; default every line of the last hour you may read.",
    })
    filter: LogFilter | null,
    @pageArgs.first() first: number | null,
    @pageArgs.after() after: string | null,
    @pageArgs.direction() direction: LogDirection,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<LogEntryData, OutcomeView>> {
    const page = await ctx.logs.search(filter ?? {}, {
      first,
      after,
      direction,
      countTotal: selectsField(info, "totalCount"),
    });
    return entryConnection(page);
  }

  @Query(() => Histogram, {
    description:
      "How many log lines matching the filter fell in each interval of its range, across clusters.",
  })
  async logHistogram(
    @Arg("filter", () => LogFilter, {
      nullable: true,
      description: "Which lines; default every line of the last hour you may read.",
    })
    filter: LogFilter | null,
    @Arg("interval", () => String, {
      nullable: true,
      description:
        'A duration such as "30s", "5m", "1h" or "1d"; default about 60 buckets. At most 1,000 buckets.',
    })
    interval: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Histogram> {
    return histogramView(await ctx.logs.histogram(filter ?? {}, interval));
  }
}

@Resolver(() => LogEntry)
export class LogEntryResolver {
  @FieldResolver(() => String, { description: "The cluster's name." })
  clusterName(@Root() entry: LogEntryData): string {
    return entry.cluster;
  }

  @FieldResolver(() => Cluster, { description: "The cluster." })
  cluster(@Root() entry: LogEntryData, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(entry.cluster, ctx);
  }

  @FieldResolver(() => Pod, {
    nullable: true,
    description: "The pod, while it exists and you may read it; null for lines of pods since deleted.",
  })
  pod(@Root() entry: LogEntryData, @Ctx() ctx: RequestContext): PodView | null {
    const pod = ctx.services.graph.byName(entry.cluster, "Pod", entry.namespace, entry.podName, ctx.scope);
    return pod ? podView(pod as never) : null;
  }
}

@Resolver(() => Pod)
export class PodLogsFieldResolver {
  @FieldResolver(() => LogEntryConnection, {
    description:
      "The pod's log lines: from its cluster's log store (history, keywords as phrases), or from the API server's pods/log " +
      "where the cluster has none (what the node still keeps; keywords as substrings). `outcomes[0].source` says which.",
  })
  async logs(
    @Root() pod: PodView,
    @Arg("filter", () => ObjectLogFilter, {
      nullable: true,
      description: "Which lines; default the last hour's.",
    })
    filter: ObjectLogFilter | null,
    @pageArgs.first() first: number | null,
    @pageArgs.after() after: string | null,
    @pageArgs.direction() direction: LogDirection,
    @Arg("source", () => LogSourceChoice, {
      defaultValue: LogSourceChoice.AUTO,
      description: "Where to read: AUTO (the store when the cluster has one), LOG_STORE or API_SERVER.",
    })
    source: LogSourceChoice,
    @Arg("previous", () => Boolean, {
      defaultValue: false,
      description: "The container instance before its last restart (read from the API server).",
    })
    previous: boolean,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<LogEntryData, OutcomeView>> {
    const entry = pod.entry;
    const data = entry.data;
    const page = await ctx.logs.podLogs(
      {
        cluster: entry.cluster,
        namespace: entry.namespace,
        name: entry.name,
        node: data.nodeName ?? null,
        containers: data.containers.map((c) => c.spec.name),
      },
      filter ?? {},
      { first, after, direction, countTotal: selectsField(info, "totalCount") },
      source,
      previous,
    );
    return entryConnection(page);
  }
}

@Resolver(() => Workload)
export class WorkloadLogsResolver {
  @FieldResolver(() => LogEntryConnection, {
    description:
      "Log lines of the workload's pods (those its selector matches, past ones included), from its cluster's log store.",
  })
  async logs(
    @Root() workload: WorkloadView,
    @Arg("filter", () => ObjectLogFilter, {
      nullable: true,
      description: "Which lines; default the last hour's.",
    })
    filter: ObjectLogFilter | null,
    @pageArgs.first() first: number | null,
    @pageArgs.after() after: string | null,
    @pageArgs.direction() direction: LogDirection,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<LogEntryData, OutcomeView>> {
    const { entry } = workload;
    const page = await ctx.logs.search(
      {
        ...filter,
        clusters: [entry.cluster],
        namespaces: [entry.namespace],
        workloads: [objectId(entry.kind, entry.cluster, entry.uid)],
      },
      { first, after, direction, countTotal: selectsField(info, "totalCount") },
    );
    return entryConnection(page);
  }
}
