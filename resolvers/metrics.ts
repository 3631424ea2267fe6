/**
 * `usage` and `metrics(names:, range:)` on every level, one resolver class per type made by the
 * same factory, and the usage types' fields (resolved after the schema is built: one resolver
 * per catalog metric, all reading the request's batched MetricReads).
 */
import { Arg, Ctx, Extensions, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from "graphql";
import { CATALOG, METRIC_LEVELS, type MetricLevel } from "../src/backends/prometheus/catalog.js";
import { QueryInputError } from "../src/cache/query/errors.js";
import type { MetricTarget } from "../src/metrics/metric-reads.js";
import { alignWindow } from "../src/metrics/window.js";
import type { RequestContext } from "../src/request/context.js";
import { Cluster } from "../schema/cluster.js";
import { ClusterNode } from "../schema/cluster-node.js";
import {
  ClusterMetric,
  ClusterNodeMetric,
  ContainerMetric,
  MetricRange,
  MetricSeries,
  NamespaceMetric,
  PodMetric,
  PromQueryResult,
  usageField,
  USAGE_TYPES,
  WorkloadMetric,
  WorkspaceMetric,
} from "../schema/metrics.js";
import { Namespace } from "../schema/namespace.js";
import { Container, Pod } from "../schema/pod.js";
import { Workload } from "../schema/workload.js";
import { Workspace } from "../schema/workspace.js";
import type {
  ClusterNodeView,
  ClusterView,
  ContainerOfPod,
  NamespaceView,
  PodView,
  WorkloadView,
  WorkspaceView,
} from "./views/index.js";

const MAX_NAMES = 20;

/** What a usage object resolves its fields for. */
export interface UsageView {
  target: MetricTarget;
}

type TargetOf<V> = (value: V, ctx: RequestContext) => MetricTarget;

function metricResolver<V>(
  level: MetricLevel,
  of: () => abstract new () => object,
  metricEnum: object,
  targetOf: TargetOf<V>,
): new () => object {
  @Resolver(of)
  class MetricFields {
    @FieldResolver(() => USAGE_TYPES[level], {
      nullable: true,
      description:
        "Its numbers now, from Prometheus (each null without data). Null with a FORBIDDEN error when your access does not cover them.",
    })
    usage(@Root() value: V, @Ctx() ctx: RequestContext): UsageView {
      const target = targetOf(value, ctx);
      ctx.metrics.authorize(target);
      return { target };
    }

    @FieldResolver(() => [MetricSeries], {
      nullable: "itemsAndList",
      description:
        "The named metrics over a range, one series each in the order asked; a series is null when its Prometheus failed, the list null (with BAD_USER_INPUT) when the range is refused.",
    })
    @Extensions({ metricSeries: true })
    async metrics(
      @Root() value: V,
      @Arg("names", () => [metricEnum], { description: "The metrics wanted (at most 20)." }) names: string[],
      @Arg("range", () => MetricRange, { description: "When, and how many points." }) range: MetricRange,
      @Ctx() ctx: RequestContext,
    ): Promise<(MetricSeries | null)[]> {
      if (names.length > MAX_NAMES)
        throw new QueryInputError("names", `at most ${MAX_NAMES} metrics at once, not ${names.length}`);
      const window = alignWindow(range);
      const target = targetOf(value, ctx);
      ctx.metrics.authorize(target);
      const found = await Promise.all(names.map((name) => ctx.metrics.series(target, name, window)));
      return found.map((s) => (s ? { ...s, start: new Date(s.start * 1000) } : null));
    }
  }
  Object.defineProperty(MetricFields, "name", { value: `${level}MetricFields` });
  return MetricFields;
}

export const METRIC_RESOLVERS = [
  metricResolver<ClusterView>(
    "CLUSTER",
    () => Cluster,
    ClusterMetric,
    (c) => ({
      level: "CLUSTER",
      cluster: c.name,
    }),
  ),
  metricResolver<ClusterNodeView>(
    "NODE",
    () => ClusterNode,
    ClusterNodeMetric,
    (n) => ({
      level: "NODE",
      cluster: n.entry.cluster,
      node: n.entry.name,
    }),
  ),
  metricResolver<WorkspaceView>(
    "WORKSPACE",
    () => Workspace,
    WorkspaceMetric,
    (w, ctx) => ({
      level: "WORKSPACE",
      namespaces: ctx.services.workspaces.namespaces(w.name, ctx.scope),
    }),
  ),
  metricResolver<NamespaceView>(
    "NAMESPACE",
    () => Namespace,
    NamespaceMetric,
    (n) => ({
      level: "NAMESPACE",
      cluster: n.entry.cluster,
      namespace: n.entry.name,
    }),
  ),
  metricResolver<WorkloadView>(
    "WORKLOAD",
    () => Workload,
    WorkloadMetric,
    (w) => ({
      level: "WORKLOAD",
      workload: w.entry,
    }),
  ),
  metricResolver<PodView>(
    "POD",
    () => Pod,
    PodMetric,
    (p) => ({
      level: "POD",
      cluster: p.entry.cluster,
      namespace: p.entry.namespace,
      pod: p.entry.name,
    }),
  ),
  metricResolver<ContainerOfPod>(
    "CONTAINER",
    () => Container,
    ContainerMetric,
    (c) => ({
      level: "CONTAINER",
      cluster: c.pod.cluster,
      namespace: c.pod.namespace,
      pod: c.pod.name,
      container: c.name,
    }),
  ),
];

/**
 * Gives each usage type's fields their resolver. Done on the built schema rather than with a
 * decorated method per metric: the fields come from the catalog, and graphql-jit (the gateway's
 * executor) reads a field without a resolver as a plain property.
 */
export function resolveUsageFields(schema: GraphQLSchema): void {
  for (const level of METRIC_LEVELS) {
    const type = schema.getType(USAGE_TYPES[level].name) as GraphQLObjectType | undefined;
    if (!type) throw new Error(`the schema has no ${USAGE_TYPES[level].name}`);
    const fields = type.getFields();
    for (const definition of CATALOG[level]) {
      const field = fields[usageField(definition.name)];
      if (!field) throw new Error(`${type.name} has no field for ${definition.name}`);
      const resolve: GraphQLFieldResolver<UsageView, RequestContext> = (usage, _args, ctx) =>
        ctx.metrics.value(usage.target, definition.name);
      field.resolve = resolve;
    }
  }
}

@Resolver()
export class PromQueryResolver {
  @Query(() => PromQueryResult, {
    nullable: true,
    description:
      "A PromQL query sent unchanged to a cluster's Prometheus: for platform admins only (FORBIDDEN otherwise), since it can read any tenant's series. Instant without `range`.",
  })
  promQuery(
    @Arg("cluster", { description: "The cluster whose Prometheus answers." }) cluster: string,
    @Arg("query", { description: "PromQL, at most 10,000 characters." }) query: string,
    @Arg("range", () => MetricRange, {
      nullable: true,
      description: "A range query over this window; instant without.",
    })
    range: MetricRange | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PromQueryResult> {
    const inFleet = ctx.services.clusters.get(cluster, ctx.scope) !== undefined;
    return ctx.metrics.raw(cluster, query, range ? alignWindow(range) : undefined, inFleet);
  }
}
