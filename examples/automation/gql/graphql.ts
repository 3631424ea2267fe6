/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How a mutation went for one target. */
export type MutationStatus =
  /** Changed, as the API server answered. */
  | 'APPLIED'
  /** The cluster did not answer; asking again later may succeed. */
  | 'CLUSTER_UNAVAILABLE'
  /** The object changed since expectedResourceVersion, or (apply) a field is owned by another field manager. */
  | 'CONFLICT'
  /** Validated by the API server, not persisted (dryRun: true). */
  | 'DRY_RUN'
  /** Anything else went wrong; see the error. */
  | 'FAILED'
  /** Refused by the gateway's access rules or the cluster's RBAC. */
  | 'FORBIDDEN'
  /** The API server refused the change as invalid. */
  | 'INVALID'
  /** No such object (deleted, or not yours to see). */
  | 'NOT_FOUND'
  /** Already as asked: the API server changed nothing. */
  | 'UNCHANGED';

/** Which workloads to list. */
export type WorkloadFilter = {
  /** A label selector over the clusters' labels, e.g. "region=eu,environment!=dev". */
  clusterSelector?: string | null | undefined;
  /** Cluster names; a name unknown or outside your scope matches nothing (with a warning). */
  clusters?: Array<string> | null | undefined;
  /** Default: every workload kind. */
  kinds?: Array<WorkloadKind> | null | undefined;
  /** A Kubernetes label selector over the objects' labels, e.g. "app=web,tier in (front,api)". */
  labelSelector?: string | null | undefined;
  /** A case-insensitive substring of the name. */
  nameContains?: string | null | undefined;
  /** Namespace names; unknown names match nothing. */
  namespaces?: Array<string> | null | undefined;
  /** true: every desired replica is ready; false: not. */
  ready?: boolean | null | undefined;
  /** Only workloads in one of these states. */
  statuses?: Array<WorkloadStatus> | null | undefined;
  /** Only objects in namespaces of these workspaces (cluster-scoped kinds: in clusters where they have namespaces). */
  workspaces?: Array<string> | null | undefined;
};

/** The Kubernetes kinds that are workloads. */
export type WorkloadKind =
  /** batch/v1 CronJob. */
  | 'CRON_JOB'
  /** apps/v1 DaemonSet. */
  | 'DAEMON_SET'
  /** apps/v1 Deployment. */
  | 'DEPLOYMENT'
  /** batch/v1 Job. */
  | 'JOB'
  /** apps/v1 StatefulSet. */
  | 'STATEFUL_SET';

/** Deployments, StatefulSets and DaemonSets to restart (a rolling restart, as kubectl rollout restart). */
export type WorkloadRestartInput = {
  /** Validate with the API servers (dryRun=All) and change nothing. */
  dryRun?: boolean | null | undefined;
  /** Every workload `workloads(filter:)` lists now, of the kinds this mutation acts on; more than the target limit is refused whole (LIMIT_EXCEEDED). Give ids or filter. */
  filter?: WorkloadFilter | null | undefined;
  /** Makes a retry safe: the same key (yours, within a day) answers each target's first outcome again and sends only what did not reach a final state (CLUSTER_UNAVAILABLE, FAILED). Reusing a key with another input is a user error. */
  idempotencyKey?: string | null | undefined;
  /** The workloads' ids, on any clusters (at most 100 by default). Give ids or filter. */
  ids?: Array<string | number> | null | undefined;
};

/** One word for a workload's state, as a console shows it. */
export type WorkloadStatus =
  /** A Job that finished successfully. */
  | 'COMPLETE'
  /** Its rollout exceeded its progress deadline, or (a Job) it failed. */
  | 'FAILED'
  /** Every desired replica is updated and ready (a CronJob: scheduling). */
  | 'RUNNING'
  /** Scaled to zero replicas. */
  | 'STOPPED'
  /** A paused Deployment, or a suspended Job or CronJob. */
  | 'SUSPENDED'
  /** A value this version of the API does not know (a newer Kubernetes may send one). */
  | 'UNKNOWN'
  /** Rolling out, scaling, or waiting for replicas to become ready. */
  | 'UPDATING';

export type RestartWorkloadsMutationVariables = Exact<{
  input: WorkloadRestartInput;
}>;


export type RestartWorkloadsMutation = { workloadRestart: { outcomes: Array<{ cluster: string, status: MutationStatus, replayed: boolean, target: { id: string | null, kind: string, namespace: string, name: string }, error: { code: string, message: string } | null }>, userErrors: Array<{ field: Array<string>, message: string, code: string }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RestartWorkloadsDocument = new TypedDocumentString(`
    mutation RestartWorkloads($input: WorkloadRestartInput!) {
  workloadRestart(input: $input) {
    outcomes {
      cluster
      status
      replayed
      target {
        id
        kind
        namespace
        name
      }
      error {
        code
        message
      }
    }
    userErrors {
      field
      message
      code
    }
  }
}
    `, {"hash":"sha256:be7ccdec60bae8275d5fc136b878dd9f62e51d9024a94302bb2f48e218178c65"}) as unknown as TypedDocumentString<RestartWorkloadsMutation, RestartWorkloadsMutationVariables>;