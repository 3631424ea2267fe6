/** OwnerRef.object: the owner itself, when its kind is typed here and it is readable. */
import { FieldResolver, Resolver, Root } from "type-graphql";
import { OwnerRef } from "../schema/common.js";
import { RelayNode } from "../schema/relay-node.js";
import type { OwnerRefView } from "./owners.js";
import type { Viewed } from "./views/index.js";

@Resolver(() => OwnerRef)
export class OwnerRefResolver {
  @FieldResolver(() => RelayNode, {
    nullable: true,
    description: "The owner; null when its kind is not typed by this API or it is outside your scope.",
  })
  object(@Root() ref: OwnerRefView): Viewed | null {
    return ref.object;
  }
}
