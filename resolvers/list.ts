/** The one way a resolver reads a list, root or relation: arguments -> ObjectLists -> connection. */
import type { CacheEntry } from "../src/cache/entry.js";
import type { AnyKind } from "../src/kinds/index.js";
import type {
  Consistency,
  ListRequest,
  ObjectFilterFields,
  OrderRequest,
  Within,
} from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import type { ConnectionShape } from "../schema/connection.js";
import { toConnection, type OutcomeView } from "./connection.js";
import type { Viewed } from "./views/index.js";

interface ListArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  consistency?: Consistency | null;
}

export function listRequest<F extends ObjectFilterFields>(
  filter: F | null | undefined,
  orderBy: OrderRequest | null | undefined,
  args: ListArgs,
): ListRequest {
  return {
    filter: filter ?? null,
    orderBy: orderBy ?? null,
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
  const page = await ctx.services.objects.list<D>(kinds, request, ctx.scope, ctx.outcomes, within);
  return toConnection(page, view);
}
