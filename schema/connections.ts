/** The connection type of every list. */
import { ObjectType } from "type-graphql";
import { Cluster } from "./cluster.js";
import { ClusterNode } from "./cluster-node.js";
import { Connection } from "./connection.js";
import { KubeEvent } from "./event.js";
import { Namespace } from "./namespace.js";
import { Pod } from "./pod.js";
import { Service } from "./service.js";
import { ReplicaSet, Workload } from "./workload.js";
import { Workspace } from "./workspace.js";

@ObjectType({ simpleResolvers: true, description: "A page of clusters." })
export class ClusterConnection extends Connection<Cluster>("Cluster", Cluster, "the clusters") {}

@ObjectType({ simpleResolvers: true, description: "A page of workspaces." })
export class WorkspaceConnection extends Connection<Workspace>("Workspace", Workspace, "the workspaces") {}

@ObjectType({ simpleResolvers: true, description: "A page of namespaces." })
export class NamespaceConnection extends Connection<Namespace>("Namespace", Namespace, "the namespaces") {}

@ObjectType({ simpleResolvers: true, description: "A page of Kubernetes nodes." })
export class ClusterNodeConnection extends Connection<ClusterNode>("ClusterNode", ClusterNode, "the nodes") {}

@ObjectType({ simpleResolvers: true, description: "A page of workloads." })
export class WorkloadConnection extends Connection<Workload>("Workload", Workload, "the workloads") {}

@ObjectType({ simpleResolvers: true, description: "A page of ReplicaSets." })
export class ReplicaSetConnection extends Connection<ReplicaSet>("ReplicaSet", ReplicaSet, "the ReplicaSets") {}

@ObjectType({ simpleResolvers: true, description: "A page of pods." })
export class PodConnection extends Connection<Pod>("Pod", Pod, "the pods") {}

@ObjectType({ simpleResolvers: true, description: "A page of services." })
export class ServiceConnection extends Connection<Service>("Service", Service, "the services") {}

@ObjectType({ simpleResolvers: true, description: "A page of events." })
export class EventConnection extends Connection<KubeEvent>("Event", KubeEvent, "the events") {}
