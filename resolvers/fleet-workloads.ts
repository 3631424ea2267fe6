/** Query.fleetWorkloads: thin over FleetWorkloadReads, which groups and applies the Scope. */
import { Args, Ctx, Extensions, Query, Resolver } from "type-graphql";
import type { FleetWorkloadRequest } from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import type { ConnectionShape } from "../schema/connection.js";
import { FleetWorkloadConnection, FleetWorkloadListArgs } from "../schema/fleet-workload.js";
import { toConnection, type OutcomeView } from "./connection.js";
import { fleetWorkloadView, type FleetWorkloadView } from "./views/index.js";

@Resolver()
export class FleetWorkloadResolver {
  @Query(() => FleetWorkloadConnection, {
    description:
      "Workloads grouped across clusters by namespace, kind and name (or placement label): each with its instances, aggregate status and template drift, over what you may read.",
  })
  // A page of groups, each priced at its instances (at most one per cluster): not page x clusters twice.
  @Extensions({ mergedPage: true })
  fleetWorkloads(
    @Args(() => FleetWorkloadListArgs) args: FleetWorkloadListArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionShape<FleetWorkloadView, OutcomeView> {
    const request: FleetWorkloadRequest = {
      filter: args.filter ?? null,
      orderBy: (args.orderBy ?? null) as FleetWorkloadRequest["orderBy"],
      page: { first: args.first, after: args.after, last: args.last, before: args.before },
    };
    return toConnection(
      ctx.services.fleetWorkloads.list(request, ctx.scope, ctx.outcomes),
      fleetWorkloadView,
    );
  }
}
