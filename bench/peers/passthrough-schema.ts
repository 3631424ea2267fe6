/**
 * The passthrough peer's schema: the part of the gateway's schema the scenarios ask for, with the
 * same names and argument shapes, so the very same documents run against both.
 */
import { buildSchema } from "graphql";

export const PASSTHROUGH_SDL = `
scalar DateTime
enum PodPhase { FAILED PENDING RUNNING SUCCEEDED UNKNOWN }
enum OrderDirection { ASC DESC }
enum PodOrderField { CLUSTER CREATED NAME NAMESPACE RESTARTS }
enum WorkloadOrderField { CLUSTER CREATED NAME NAMESPACE }
enum WorkloadKind { CRON_JOB DAEMON_SET DEPLOYMENT JOB STATEFUL_SET }

input PodFilter {
  clusters: [String!]
  namespaces: [String!]
  labelSelector: String
  phases: [PodPhase!]
}
input PodOrder { field: PodOrderField!, direction: OrderDirection! = ASC }
input WorkloadOrder { field: WorkloadOrderField!, direction: OrderDirection! = ASC }

interface Node { id: ID! }

type ClusterNode implements Node { id: ID! clusterName: String! name: String! ready: Boolean! }

type Pod implements Node {
  id: ID!
  clusterName: String!
  namespaceName: String!
  name: String!
  phase: PodPhase!
  restarts: Int!
  nodeName: String
  createdAt: DateTime
  node: ClusterNode
}

type PodPhaseCounts { total: Int! running: Int! pending: Int! succeeded: Int! failed: Int! unknown: Int! }
type ClusterSummary { nodes: Int! readyNodes: Int! namespaces: Int! workloads: Int! pods: PodPhaseCounts! }
type Cluster implements Node { id: ID! name: String! summary: ClusterSummary! }

interface Workload implements Node {
  id: ID! kind: WorkloadKind! clusterName: String! namespaceName: String! name: String!
  replicas: WorkloadReplicas pods(first: Int): PodConnection!
}
type Deployment implements Node & Workload {
  id: ID! kind: WorkloadKind! clusterName: String! namespaceName: String! name: String!
  replicas: WorkloadReplicas pods(first: Int): PodConnection!
}
type StatefulSet implements Node & Workload {
  id: ID! kind: WorkloadKind! clusterName: String! namespaceName: String! name: String!
  replicas: WorkloadReplicas pods(first: Int): PodConnection!
}
type DaemonSet implements Node & Workload {
  id: ID! kind: WorkloadKind! clusterName: String! namespaceName: String! name: String!
  replicas: WorkloadReplicas pods(first: Int): PodConnection!
}
type Job implements Node & Workload {
  id: ID! kind: WorkloadKind! clusterName: String! namespaceName: String! name: String!
  replicas: WorkloadReplicas pods(first: Int): PodConnection!
}
type CronJob implements Node & Workload {
  id: ID! kind: WorkloadKind! clusterName: String! namespaceName: String! name: String!
  replicas: WorkloadReplicas pods(first: Int): PodConnection!
}

type PodConnection { totalCount: Int! nodes: [Pod!]! }
type WorkloadReplicas { desired: Int! ready: Int! }
type ClusterConnection { totalCount: Int! nodes: [Cluster!]! }
type WorkloadConnection { totalCount: Int! nodes: [Workload!]! }

type Query {
  pods(filter: PodFilter, orderBy: PodOrder, first: Int): PodConnection!
  node(id: ID!): Node
  clusters(first: Int): ClusterConnection!
  workloads(first: Int, orderBy: WorkloadOrder): WorkloadConnection!
}
`;

export const passthroughSchema = () => buildSchema(PASSTHROUGH_SDL);
