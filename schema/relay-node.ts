/**
 * Relay's Node interface. Every root object the resolvers return carries a `__typename`
 * (see resolvers/views), which is how the interface resolves plain objects to their type
 * (schema/build.ts).
 */
import { Field, ID, InterfaceType } from "type-graphql";

@InterfaceType("Node", {
  description: "An object with an opaque global id that Query.node(id:) resolves.",
})
export abstract class RelayNode {
  @Field(() => ID)
  id!: string;
}
