/** Mutation.objectDelete: thin over src/mutations. */
import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import type { KubeObject } from "../schema/kube-object.js";
import { ObjectDeleteInput, ObjectMutationPayload } from "../schema/object-mutations.js";
import {
  callerOf,
  mutationsOf,
  payloadOf,
  WRITE_PER_TARGET,
  type MutationRequestContext,
} from "./mutations.js";

@Resolver()
export class ObjectMutationsResolver {
  @Mutation(() => ObjectMutationPayload, {
    description:
      "Deletes one object of any kind a cluster serves (custom resources included), as you on that cluster, with the API server's DeleteOptions.",
  })
  @Extensions(WRITE_PER_TARGET)
  async objectDelete(
    @Arg("input", () => ObjectDeleteInput, { description: "The object, and how to delete it." })
    input: ObjectDeleteInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<ObjectMutationPayload> {
    return payloadOf<KubeObject>(await mutationsOf(ctx).objects.delete(input, callerOf(ctx)), ctx);
  }
}
