/** The connection type of every list. */
import { ObjectType } from "type-graphql";
import { Cluster } from "./cluster.js";
import { ClusterNode } from "./cluster-node.js";
import { Connection } from "./connection.js";
import { KubeEvent } from "./event.js";
import { Namespace } from "./namespace.js";
import { Pod } from "./pod.js";
import { Service } from "./service.js";
import { Workload } from "./workload.js";

@ObjectType({ simpleResolvers: true })
export class ClusterConnection extends Connection<Cluster>("Cluster", Cluster) {}

@ObjectType({ simpleResolvers: true })
export class NamespaceConnection extends Connection<Namespace>("Namespace", Namespace) {}

@ObjectType({ simpleResolvers: true })
export class ClusterNodeConnection extends Connection<ClusterNode>("ClusterNode", ClusterNode) {}

@ObjectType({ simpleResolvers: true })
export class WorkloadConnection extends Connection<Workload>("Workload", Workload) {}

@ObjectType({ simpleResolvers: true })
export class PodConnection extends Connection<Pod>("Pod", Pod) {}

@ObjectType({ simpleResolvers: true })
export class ServiceConnection extends Connection<Service>("Service", Service) {}

@ObjectType({ simpleResolvers: true })
export class EventConnection extends Connection<KubeEvent>("Event", KubeEvent) {}
