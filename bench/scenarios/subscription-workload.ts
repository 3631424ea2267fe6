/**
 * Who subscribes to what in the subscriptions scenario: every subscriber watches the pods of one
 * namespace of one cluster (a team's dashboard), as `podChanges(filter: {clusters: [c],
 * namespaces: [n]})`. Consecutive subscribers go to different clusters, so a thousand already
 * reach every cluster, and the namespaces are those that have pods (the gateway is asked).
 */
import { postGraphQL } from "../http-client.js";

export const POD_CHANGES = `subscription PodChanges($filter: PodFilter) {
  podChanges(filter: $filter) {
    type id cluster
    object { name namespaceName phase restarts resourceVersion }
  }
}`;

const NAMESPACES = `query Namespaces($after: String) {
  namespaces(first: 1000, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { clusterName name pods(first: 1) { totalCount } }
  }
}`;

interface NamespacesAnswer {
  namespaces: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { clusterName: string; name: string; pods: { totalCount: number } }[];
  };
}

export interface Watched {
  cluster: string;
  namespace: string;
}

export class SubscriptionWorkload {
  private readonly clusters: string[];

  constructor(private readonly namespaces: ReadonlyMap<string, readonly string[]>) {
    this.clusters = [...namespaces.keys()].sort();
    if (this.clusters.length === 0) throw new Error("no namespace with pods to subscribe to");
  }

  /** The namespaces with pods of every cluster, read from the gateway. */
  static async fromGateway(url: string, headers: Record<string, string>): Promise<SubscriptionWorkload> {
    const byCluster = new Map<string, string[]>();
    let after: string | null = null;
    do {
      const page: NamespacesAnswer = await postGraphQL<NamespacesAnswer>(
        url,
        { query: NAMESPACES, variables: { after } },
        headers,
      );
      for (const ns of page.namespaces.nodes) {
        if (ns.pods.totalCount === 0) continue;
        let list = byCluster.get(ns.clusterName);
        if (!list) byCluster.set(ns.clusterName, (list = []));
        list.push(ns.name);
      }
      after = page.namespaces.pageInfo.hasNextPage ? page.namespaces.pageInfo.endCursor : null;
    } while (after);
    for (const list of byCluster.values()) list.sort();
    return new SubscriptionWorkload(byCluster);
  }

  /** What subscriber `i` watches. */
  watchedBy(i: number): Watched {
    const cluster = this.clusters[i % this.clusters.length]!;
    const namespaces = this.namespaces.get(cluster)!;
    return { cluster, namespace: namespaces[Math.floor(i / this.clusters.length) % namespaces.length]! };
  }

  /** The `filter` variables of subscribers from..to-1. */
  filters(from: number, to: number): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (let i = from; i < to; i++) {
      const { cluster, namespace } = this.watchedBy(i);
      out.push({ clusters: [cluster], namespaces: [namespace] });
    }
    return out;
  }

  /** How many of the first `count` subscribers watch each "cluster/namespace". */
  audience(count: number): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const key = watchedKey(this.watchedBy(i));
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }

  get pairs(): number {
    let n = 0;
    for (const list of this.namespaces.values()) n += list.length;
    return n;
  }
}

export const watchedKey = (w: Watched): string => `${w.cluster}/${w.namespace}`;
