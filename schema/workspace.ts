/** Workspaces: KubeSphere's tenants, spanning clusters. Relations are in resolvers/workspace.ts. */
import { Field, Float, Int, ObjectType } from "type-graphql";
import { PageInfo } from "./connection.js";
import { RelayNode } from "./relay-node.js";
import { BuiltInRole, WorkspaceMember } from "./viewer.js";

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
    "(label `kubesphere.io/workspace` unless configured otherwise), its members and quotas.",
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

@ObjectType({ simpleResolvers: true, description: "One member of a workspace, with its role there." })
export class WorkspaceMemberEdge {
  @Field({ description: "Opaque; pass as `after` to page from this member." })
  cursor!: string;

  @Field(() => BuiltInRole, { description: "Its workspace role (the strongest, when bound more than once)." })
  role!: BuiltInRole;

  @Field(() => WorkspaceMember, { description: "The user or group." })
  node!: WorkspaceMember;
}

@ObjectType({ simpleResolvers: true, description: "A page of a workspace's members, by kind then name." })
export class WorkspaceMemberConnection {
  @Field(() => [WorkspaceMemberEdge], { description: "The page's members with their roles." })
  edges!: WorkspaceMemberEdge[];

  @Field(() => PageInfo, { description: "Whether more members follow." })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "Every member of the workspace." })
  totalCount!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "One resource summed over the ResourceQuotas of a workspace's namespaces that you may read.",
})
export class WorkspaceQuota {
  @Field({ description: 'The resource, e.g. "requests.cpu", "limits.memory", "pods".' })
  resource!: string;

  @Field(() => Float, {
    description: "The summed limits (cores for CPU, bytes for memory and storage, else counts).",
  })
  hard!: number;

  @Field(() => Float, { description: "What is used of it, summed the same way." })
  used!: number;

  @Field(() => Int, { description: "How many ResourceQuotas limit it." })
  quotas!: number;
}
