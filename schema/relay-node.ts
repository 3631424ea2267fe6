/**
 * Relay's Node interface. Every root object the resolvers return carries a `__typename`
 * (see resolvers/views), which is how the interface resolves plain objects to their type.
 */
import { Field, ID, InterfaceType } from "type-graphql";

export interface Typed {
  __typename: string;
}

@InterfaceType("Node", {
  description: "An object with an opaque global id that Query.node(id:) resolves.",
  resolveType: (value: Typed) => value.__typename,
})
export abstract class RelayNode {
  @Field(() => ID)
  id!: string;
}
