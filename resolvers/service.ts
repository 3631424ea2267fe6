/** Service relations: the pods its selector picks, and how many of them are ready endpoints. */
import { Args, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { POD } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { PodListArgs } from "../schema/list-args.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection } from "../schema/connections.js";
import { Service } from "../schema/service.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import { podView, type PodView, type ServiceView } from "./views/index.js";

@Resolver(() => Service)
export class ServiceResolver {
  @FieldResolver(() => PodConnection, {
    description: "The pods its selector picks in its namespace (empty for a service without a selector).",
  })
  pods(
    @Root() service: ServiceView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<PodView, OutcomeView>> {
    const within = ctx.services.graph.selectedBy(service.entry, service.selector?.text);
    return listOf(ctx, [POD], listRequest(args), podView, within);
  }

  @FieldResolver(() => Int, {
    description: "How many ready pods it selects: its endpoints (0 for a service without a selector).",
  })
  endpointsCount(@Root() service: ServiceView, @Ctx() ctx: RequestContext): number {
    return ctx.services.graph.readyPodsSelected(service.entry, service.selector?.text, ctx.scope);
  }
}
