/** Mutation.namespaceCreate: thin over src/mutations. */
import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import type { Namespace } from "../schema/namespace.js";
import { NamespaceCreateInput, NamespaceMutationPayload } from "../schema/namespace-mutations.js";
import {
  callerOf,
  mutationsOf,
  payloadOf,
  WRITE_PER_TARGET,
  type MutationRequestContext,
} from "./mutations.js";

@Resolver()
export class NamespaceMutationsResolver {
  @Mutation(() => NamespaceMutationPayload, {
    description:
      "Creates a namespace in a workspace on one or more clusters, as you on each: one outcome per cluster.",
  })
  @Extensions(WRITE_PER_TARGET)
  async namespaceCreate(
    @Arg("input", () => NamespaceCreateInput, { description: "The namespace, its workspace and clusters." })
    input: NamespaceCreateInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<NamespaceMutationPayload> {
    return payloadOf<Namespace>(await mutationsOf(ctx).namespaces.create(input, callerOf(ctx)), ctx);
  }
}
