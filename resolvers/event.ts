/** InvolvedObject.object: the object an event is about, as its type, when it is cached and readable. */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { findKind } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { InvolvedObject } from "../schema/event.js";
import { RelayNode } from "../schema/relay-node.js";
import { anyView, type InvolvedObjectView, type Viewed } from "./views/index.js";

@Resolver(() => InvolvedObject)
export class InvolvedObjectResolver {
  @FieldResolver(() => RelayNode, {
    nullable: true,
    description:
      "The object itself; null when its kind is not typed by this API, it is gone, or outside your scope.",
  })
  object(@Root() involved: InvolvedObjectView, @Ctx() ctx: RequestContext): Viewed | null {
    if (!findKind(involved.kind)) return null;
    const { cluster } = involved.event;
    const graph = ctx.services.graph;
    // By uid when the event names one (a recreated object with the same name is another object).
    const entry =
      involved.uid !== null
        ? graph.byUid(cluster, involved.kind, involved.uid, ctx.scope)
        : graph.byName(cluster, involved.kind, involved.namespaceName, involved.name, ctx.scope);
    return entry ? anyView(entry, ctx.services.workspaceLabel) : null;
  }
}
