/**
 * What the passthrough peer reads from the API servers during one request. Whole lists are
 * fetched once per (cluster, kind) per request and shared by every field that needs them, the
 * way a DataLoader-equipped pass-through server (Backstage's Kubernetes backend, GraphQL Mesh)
 * would; nothing survives the request.
 */
import type {
  KubernetesObject,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Namespace,
  V1Node,
  V1Pod,
  V1StatefulSet,
} from "@kubernetes/client-node";
import type { ClusterClients } from "./fleet-clients.js";

export interface ListedKinds {
  pods: V1Pod;
  nodes: V1Node;
  namespaces: V1Namespace;
  deployments: V1Deployment;
  statefulsets: V1StatefulSet;
  daemonsets: V1DaemonSet;
  jobs: V1Job;
  cronjobs: V1CronJob;
}
export type ListKind = keyof ListedKinds;

export class UnknownClusterError extends Error {
  constructor(readonly cluster: string) {
    super(`no cluster named "${cluster}"`);
    this.name = "UnknownClusterError";
  }
}

function listAll(c: ClusterClients, kind: ListKind): Promise<{ items: KubernetesObject[] }> {
  switch (kind) {
    case "pods":
      return c.core.listPodForAllNamespaces();
    case "nodes":
      return c.core.listNode();
    case "namespaces":
      return c.core.listNamespace();
    case "deployments":
      return c.apps.listDeploymentForAllNamespaces();
    case "statefulsets":
      return c.apps.listStatefulSetForAllNamespaces();
    case "daemonsets":
      return c.apps.listDaemonSetForAllNamespaces();
    case "jobs":
      return c.batch.listJobForAllNamespaces();
    case "cronjobs":
      return c.batch.listCronJobForAllNamespaces();
  }
}

export class RequestLists {
  private readonly memo = new Map<string, Promise<KubernetesObject[]>>();

  constructor(private readonly clients: ReadonlyMap<string, ClusterClients>) {}

  clusterNames(): string[] {
    return [...this.clients.keys()];
  }

  client(cluster: string): ClusterClients {
    const c = this.clients.get(cluster);
    if (!c) throw new UnknownClusterError(cluster);
    return c;
  }

  list<K extends ListKind>(cluster: string, kind: K): Promise<ListedKinds[K][]> {
    const key = `${cluster}/${kind}`;
    let pending = this.memo.get(key);
    if (!pending) {
      pending = listAll(this.client(cluster), kind).then((list) => list.items);
      this.memo.set(key, pending);
    }
    return pending as Promise<ListedKinds[K][]>;
  }
}
