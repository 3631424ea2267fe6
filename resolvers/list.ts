/** The one way a resolver reads a list, root or relation: arguments -> ObjectLists -> connection. */
import type { CacheEntry } from "../src/cache/entry.js";
import type { AnyKind } from "../src/kinds/index.js";
import type {
  ClusterRecord,
  ListRequest,
  NamePage,
  ObjectFilterFields,
  Within,
} from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import type { ConnectionShape } from "../schema/connection.js";
import type { PageArgs } from "../schema/args.js";
import type { ListArguments } from "../schema/list-args.js";
import { orderRequest, type OrderArgument } from "../src/metrics/metric-order.js";
import { toConnection, type OutcomeView } from "./connection.js";
import { clusterView, type ClusterView, type Viewed } from "./views/index.js";

/**
 * A list's GraphQL arguments as a service request; `narrow` adds filter fields a relation sets
 * itself (a service's name for its ingresses).
 */
export function listRequest(args: ListArguments, narrow?: Record<string, unknown>): ListRequest {
  const filter = (args.filter ?? null) as ObjectFilterFields | null;
  return {
    filter: narrow ? { ...filter, ...narrow } : filter,
    orderBy: args.orderBy ?? null,
    page: { first: args.first, after: args.after, last: args.last, before: args.before },
    consistency: args.consistency ?? null,
  };
}

export async function listOf<D, V extends Viewed<D>>(
  ctx: RequestContext,
  kinds: readonly AnyKind[],
  request: ListRequest,
  view: (entry: CacheEntry<D>) => V,
  within?: Within,
): Promise<ConnectionShape<V, OutcomeView>> {
  const argument = request.orderBy as OrderArgument | null | undefined;
  // Only an order by metric waits for Prometheus; every other list stays synchronous up to here.
  const ordered =
    argument && (argument.metric || !argument.field)
      ? {
          ...request,
          orderBy: await orderRequest(
            argument,
            kinds[0]!.kind,
            () => ctx.metrics,
            () => (within ? [within.cluster] : ctx.services.clusters.select(request.filter, ctx.scope)),
          ),
        }
      : request;
  const page = await ctx.services.objects.list<D>(
    kinds,
    ordered,
    ctx.scope,
    ctx.subject,
    ctx.outcomes,
    within,
  );
  return toConnection(page, view);
}

/** The arguments of a list of named things (clusters, workspaces) as a service request. */
export function nameListRequest<F>(
  args: PageArgs & { filter?: F | null; orderBy?: { field: "NAME"; direction: "ASC" | "DESC" } | null },
) {
  return {
    filter: args.filter ?? null,
    orderBy: args.orderBy ?? null,
    page: { first: args.first, after: args.after, last: args.last, before: args.before },
  };
}

/** Clusters as a connection: each cluster's freshness is its outcome (health is in the data). */
export function clusterConnection(page: NamePage<ClusterRecord>): ConnectionShape<ClusterView, OutcomeView> {
  const outcomes = page.items.map((r) => ({ ...r.freshness, source: "CACHE" as const, error: null }));
  return toConnection({ ...page, outcomes }, clusterView);
}
