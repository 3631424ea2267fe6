/**
 * Relay's Node interface. Every object the resolvers return carries a `__typename` (see
 * resolvers/views), which is how interfaces resolve plain objects to their type.
 */
import { Field, ID, InterfaceType } from "type-graphql";

@InterfaceType("Node", {
  description: "An object with an opaque global id that Query.node(id:) and Query.nodes(ids:) resolve.",
})
export abstract class RelayNode {
  @Field(() => ID, { description: "Opaque and global: the same object has the same id in every answer." })
  id!: string;
}
