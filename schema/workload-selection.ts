/**
 * The workloads a label selector picks across the fleet: a federation entity keyed by its
 * selector (docs/federation.md), so another subgraph (a teams service) can hand back "the
 * workloads labelled team=payments" and let Fleetgraph list them under the caller's Scope.
 */
import { Field, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "The workloads a Kubernetes label selector picks across the fleet (a federation entity keyed by the selector).",
})
export class WorkloadSelection {
  @Field(() => String, { description: 'The label selector, e.g. "team=payments,tier!=batch".' })
  labelSelector!: string;
}
