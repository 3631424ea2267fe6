/** Every resolver class of the schema, for buildSchema. */
import "reflect-metadata";
import { ClusterNodeResolver } from "./cluster-node.js";
import { ClusterResolver } from "./cluster.js";
import { ListResolver } from "./lists.js";
import { NamespaceResolver } from "./namespace.js";
import { PodResolver } from "./pod.js";
import { ResourceResolver } from "./resources.js";
import { RootResolver } from "./root.js";
import { ReplicaSetResolver, WorkloadResolver } from "./workload.js";

export const RESOLVERS = [
  RootResolver,
  ListResolver,
  ClusterResolver,
  NamespaceResolver,
  ClusterNodeResolver,
  WorkloadResolver,
  ReplicaSetResolver,
  PodResolver,
  ResourceResolver,
] as const;
