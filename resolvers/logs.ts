/**
 * Container logs: `logs` and `logHistogram` across the fleet, `Pod.logs` (with the API server as
 * the fallback) and `Workload.logs`. Thin: the request's LogReads builds and merges the searches.
 */
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Extensions, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { LogEntry as LogEntryData } from "../src/logs/log-reads.js";
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
import type { OutcomeView } from "./connection.js";
import {
  entryConnection,
  histogramView,
  intervalArg,
  MERGED_PAGE,
  PER_OBJECT_SEARCH,
  pageArgs,
  pageRequest,
} from "./entry-pages.js";
import { clusterOf } from "./kube-object.js";
import { podView, type ClusterView, type PodView, type WorkloadView } from "./views/index.js";

const filterArgs = {
  fleet: () =>
    Arg("filter", () => LogFilter, {
      nullable: true,
      description: "Which lines; default every line of the last hour you may read.",
    }),
  object: () =>
    Arg("filter", () => ObjectLogFilter, {
      nullable: true,
      description: "Which lines; default the last hour's.",
    }),
};

@Resolver()
export class LogQueryResolver {
  @Query(() => LogEntryConnection, {
    description:
      "Container log lines across clusters, from their log stores: the pods you may read, filtered, merged in time order. " +
      "Each cluster's store is searched once per page (`search_after`); a store that fails leaves its clusters out, said in `outcomes`.",
  })
  @Extensions(MERGED_PAGE)
  async logs(
    @filterArgs.fleet() filter: LogFilter | null,
    @pageArgs.first() first: number | null,
    @pageArgs.after() after: string | null,
    @pageArgs.direction() direction: LogDirection,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<LogEntryData, OutcomeView>> {
    return entryConnection(await ctx.logs.search(filter ?? {}, pageRequest(first, after, direction, info)));
  }

  @Query(() => Histogram, {
    description:
      "How many log lines matching the filter fell in each interval of its range, across clusters.",
  })
  async logHistogram(
    @filterArgs.fleet() filter: LogFilter | null,
    @intervalArg() interval: string | null,
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
  @Extensions(PER_OBJECT_SEARCH)
  async logs(
    @Root() pod: PodView,
    @filterArgs.object() filter: ObjectLogFilter | null,
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
    @Arg("tailLines", () => Int, {
      nullable: true,
      description:
        "Only each container's last this many lines, as `kubectl logs --tail` (read from the API server).",
    })
    tailLines: number | null,
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
      pageRequest(first, after, direction, info),
      source,
      { previous, tailLines },
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
  @Extensions(PER_OBJECT_SEARCH)
  async logs(
    @Root() workload: WorkloadView,
    @filterArgs.object() filter: ObjectLogFilter | null,
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
      pageRequest(first, after, direction, info),
    );
    return entryConnection(page);
  }
}
