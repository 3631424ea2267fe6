/** Workspaces: KubeSphere's tenants, spanning clusters. Relations are in resolvers/workspace.ts. */
import { Field, Int, ObjectType } from "type-graphql";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  description: "Counts over a workspace's namespaces, within your scope.",
})
export class WorkspaceSummary {
  @Field(() => Int, { description: "Clusters it has namespaces in." })
  clusters!: number;

  @Field(() => Int, { description: "Its namespaces, across clusters." })
  namespaces!: number;

  @Field(() => Int, { description: "Pods in its namespaces." })
  pods!: number;

  @Field(() => Int, { description: "Of those, pods in phase Running." })
  runningPods!: number;

  @Field(() => Int, {
    description: "Deployments, StatefulSets, DaemonSets, Jobs and CronJobs in its namespaces.",
  })
  workloads!: number;
}

@ObjectType({
  simpleResolvers: true,
  implements: RelayNode,
  description:
    "A workspace (KubeSphere's tenant): the namespaces, in any cluster, labelled with its name " +
    "(label `kubesphere.io/workspace` unless configured otherwise). Read-only here.",
})
export class Workspace extends RelayNode {
  @Field({ description: "Its name: the value of the workspace label." })
  name!: string;

  @Field({ description: "A name for people (the name, until workspaces carry their own)." })
  displayName!: string;

  @Field(() => [String], {
    description: "The names of the clusters it has namespaces in (the `clusters` field has the objects).",
  })
  clusterNames!: string[];
}
