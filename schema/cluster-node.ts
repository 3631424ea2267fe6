import { Field, Float, Int, ObjectType } from "type-graphql";
import { Condition } from "./common.js";
import { TaintEffect } from "./enums.js";
import { KubeObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  description: "A node's resources: Kubernetes quantities as reported, and parsed.",
})
export class NodeResources {
  @Field(() => String, { nullable: true, description: 'As reported, e.g. "3800m".' })
  cpu!: string | null;

  @Field(() => String, { nullable: true, description: 'As reported, e.g. "16Gi".' })
  memory!: string | null;

  @Field(() => String, { nullable: true, description: 'How many pods fit, as reported, e.g. "110".' })
  pods!: string | null;

  @Field(() => Float, { description: "CPU in cores." })
  cpuCores!: number;

  @Field(() => Float, { description: "Memory in bytes (a Float: it exceeds 2^31)." })
  memoryBytes!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "A taint: pods that do not tolerate it keep off the node.",
})
export class Taint {
  @Field({ description: "The taint's key." })
  key!: string;

  @Field(() => String, { nullable: true, description: "Its value, if any." })
  value!: string | null;

  @Field(() => TaintEffect, { description: "What it does to pods that do not tolerate it." })
  effect!: TaintEffect;
}

@ObjectType({
  simpleResolvers: true,
  description: "What the pods scheduled on a node (and in your scope) request and may use, summed.",
})
export class NodeAllocation {
  @Field(() => Int, { description: "Pods on the node that hold resources (not Succeeded or Failed)." })
  pods!: number;

  @Field(() => Float, { description: "CPU requested, in cores." })
  cpuRequestsCores!: number;

  @Field(() => Float, { description: "CPU limits, in cores." })
  cpuLimitsCores!: number;

  @Field(() => Float, { description: "Memory requested, in bytes." })
  memoryRequestsBytes!: number;

  @Field(() => Float, { description: "Memory limits, in bytes." })
  memoryLimitsBytes!: number;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject],
  description: "A Kubernetes node (named so to stay apart from Relay's Node).",
})
export class ClusterNode extends KubeObject {
  @Field({ description: "Its Ready condition holds." })
  ready!: boolean;

  @Field({ description: "Cordoned: no new pods are scheduled on it." })
  unschedulable!: boolean;

  @Field(() => [String], {
    description: 'Its roles, from node-role.kubernetes.io/* labels, e.g. "control-plane".',
  })
  roles!: string[];

  @Field(() => String, { nullable: true, description: "Its InternalIP address." })
  internalIP!: string | null;

  @Field(() => String, { nullable: true, description: "The kubelet's version." })
  kubeletVersion!: string | null;

  @Field(() => String, { nullable: true, description: "The operating system image." })
  osImage!: string | null;

  @Field(() => String, { nullable: true, description: 'The CPU architecture, e.g. "amd64".' })
  architecture!: string | null;

  @Field(() => NodeResources, { description: "status.capacity: what the machine has." })
  capacity!: NodeResources;

  @Field(() => NodeResources, { description: "status.allocatable: what pods may be given." })
  allocatable!: NodeResources;

  @Field(() => [Taint], { description: "spec.taints." })
  taints!: Taint[];

  @Field(() => [Condition], { description: "Ready, MemoryPressure, DiskPressure, PIDPressure, ..." })
  conditions!: Condition[];
}
