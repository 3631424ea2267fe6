/**
 * The namespaces of some workspaces, per cluster: a namespace belongs to workspace W when it is
 * labelled `<workspaceLabel>=W` (KubeSphere's rule). Read from the namespace cache under the
 * caller's Scope, once per filter.
 */
import type { Scope } from "../cache/scope.js";
import type { NamespaceData } from "../kinds/index.js";
import type { KindSettings } from "../kinds/index.js";
import type { ObjectReader } from "./object-reader.js";

export class WorkspaceNamespaces {
  private readonly pairs = new Set<string>();
  private readonly byName = new Set<string>();
  private readonly inClusters = new Map<string, string[]>();

  add(cluster: string, namespace: string): void {
    this.pairs.add(`${cluster}\u0000${namespace}`);
    this.byName.add(namespace);
    const names = this.inClusters.get(cluster);
    if (names) names.push(namespace);
    else this.inClusters.set(cluster, [namespace]);
  }

  has(cluster: string, namespace: string): boolean {
    return this.pairs.has(`${cluster}\u0000${namespace}`);
  }

  /** Every namespace name in any cluster (to narrow a read to their buckets). */
  names(): string[] {
    return [...this.byName];
  }

  clusters(): string[] {
    return [...this.inClusters.keys()];
  }

  /** The namespace names per cluster. */
  byCluster(): ReadonlyMap<string, readonly string[]> {
    return this.inClusters;
  }
}

export function workspaceNamespaces(
  reader: ObjectReader,
  workspaces: readonly string[],
  clusters: string[] | undefined,
  scope: Scope,
  settings: KindSettings,
): WorkspaceNamespaces {
  const wanted = new Set(workspaces);
  const label = settings.workspaceLabel;
  const found = new WorkspaceNamespaces();
  reader.forEach<NamespaceData>(
    "Namespace",
    {
      ...(clusters !== undefined ? { clusters } : {}),
      predicate: (e) => {
        const workspace = e.labels[label];
        return workspace !== undefined && wanted.has(workspace);
      },
    },
    scope,
    (e) => found.add(e.cluster, e.name),
  );
  return found;
}
