/** WorkloadSelection.workloads: the root workload list, narrowed by the selection's selector. */
import { Args, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import { QueryInputError } from "../src/cache/query/index.js";
import { LabelSelectorError, parseLabelSelector } from "../src/kube/label-selector.js";
import type { RequestContext } from "../src/request/context.js";
import type { ConnectionShape } from "../schema/connection.js";
import { WorkloadConnection } from "../schema/connections.js";
import { WorkloadListArgs } from "../schema/list-args.js";
import { WorkloadSelection } from "../schema/workload-selection.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import { workloadView, type WorkloadView } from "./views/index.js";
import { workloadKinds } from "./workload-kinds.js";

export interface WorkloadSelectionView {
  __typename: "WorkloadSelection";
  labelSelector: string;
}

/** Throws BAD_USER_INPUT for a selector Kubernetes' grammar rejects, before anything is read. */
export function workloadSelectionView(labelSelector: string): WorkloadSelectionView {
  if (labelSelector.trim() === "")
    throw new QueryInputError(
      "labelSelector",
      "an empty label selector would pick every workload; name a label",
    );
  try {
    parseLabelSelector(labelSelector);
  } catch (error) {
    if (!(error instanceof LabelSelectorError)) throw error;
    throw new QueryInputError("labelSelector", `invalid label selector "${labelSelector}": ${error.message}`);
  }
  return { __typename: "WorkloadSelection", labelSelector };
}

@Resolver(() => WorkloadSelection)
export class WorkloadSelectionResolver {
  @FieldResolver(() => WorkloadConnection, {
    description:
      "The workloads the selector picks across the fleet (and in your scope); the filter narrows them further.",
  })
  // Fans out over the fleet like Query.workloads: priced and limited the same way.
  @Extensions({ fleetWide: true })
  workloads(
    @Root() selection: WorkloadSelectionView,
    @Args(() => WorkloadListArgs) args: WorkloadListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<WorkloadView, OutcomeView>> {
    // Kubernetes ANDs a selector's comma-separated requirements.
    const asked = args.filter?.labelSelector;
    const labelSelector = asked ? `${selection.labelSelector},${asked}` : selection.labelSelector;
    return listOf(ctx, workloadKinds(args.filter), listRequest(args, { labelSelector }), workloadView);
  }
}
