/**
 * What each demo user should see through the gateway, computed without the gateway: the objects
 * `kubectl --as <user>` lists on each cluster (cluster-wide, or namespace by namespace where a
 * cluster-wide list is forbidden), kept where the user's gateway roles grant them, by the role
 * semantics docs/security.md documents for the demo's bindings (src/demo-identity/role-bindings.ts).
 */
import { kubectl } from "../support/kubectl.js";

/** A root list of the schema and the API resource kubectl lists for it. */
export interface ListedKind {
  /** The kind as Kubernetes names it (items' `kind`). */
  readonly kind: string;
  /** The Query field. */
  readonly field: string;
  /** The field's filter, when one field serves several kinds (workloads). */
  readonly filter?: Record<string, unknown>;
  readonly resource: string;
  readonly clusterScoped: boolean;
}

const namespaced = (kind: string, field: string, resource: string, filter?: Record<string, unknown>) => ({
  kind,
  field,
  resource,
  clusterScoped: false,
  ...(filter ? { filter } : {}),
});
const clusterScoped = (kind: string, field: string, resource: string) => ({
  kind,
  field,
  resource,
  clusterScoped: true,
});

export const LISTED_KINDS: readonly ListedKind[] = [
  namespaced("Pod", "pods", "pods"),
  namespaced("Deployment", "workloads", "deployments.apps", { kinds: ["DEPLOYMENT"] }),
  namespaced("StatefulSet", "workloads", "statefulsets.apps", { kinds: ["STATEFUL_SET"] }),
  namespaced("DaemonSet", "workloads", "daemonsets.apps", { kinds: ["DAEMON_SET"] }),
  namespaced("Job", "workloads", "jobs.batch", { kinds: ["JOB"] }),
  namespaced("CronJob", "workloads", "cronjobs.batch", { kinds: ["CRON_JOB"] }),
  namespaced("Service", "services", "services"),
  namespaced("ConfigMap", "configMaps", "configmaps"),
  namespaced("Secret", "secrets", "secrets"),
  namespaced("ServiceAccount", "serviceAccounts", "serviceaccounts"),
  namespaced("Ingress", "ingresses", "ingresses.networking.k8s.io"),
  namespaced("PersistentVolumeClaim", "persistentVolumeClaims", "persistentvolumeclaims"),
  namespaced("HorizontalPodAutoscaler", "horizontalPodAutoscalers", "horizontalpodautoscalers.autoscaling"),
  namespaced("ResourceQuota", "resourceQuotas", "resourcequotas"),
  namespaced("LimitRange", "limitRanges", "limitranges"),
  namespaced("Event", "events", "events"),
  clusterScoped("Namespace", "namespaces", "namespaces"),
  clusterScoped("Node", "clusterNodes", "nodes"),
  clusterScoped("PersistentVolume", "persistentVolumes", "persistentvolumes"),
  clusterScoped("StorageClass", "storageClasses", "storageclasses.storage.k8s.io"),
];

/** "cluster/namespace/name" ("cluster//name" when cluster-scoped; a Namespace's own name as name). */
export type ObjectKey = string;
export const objectKey = (cluster: string, namespace: string, name: string): ObjectKey =>
  `${cluster}/${namespace}/${name}`;

export interface ClusterNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What a user may read by the gateway's roles alone (the demo's bindings, as documented). */
export type GatewayGrant = (kind: string, namespace: ClusterNamespace | undefined) => boolean;

const WORKSPACE_LABEL = "kubesphere.io/workspace";
const NOT_SECRETS = (kind: string) => kind !== "Secret";

/**
 * admin: platform-admin, everything. alice: workspace-admin of retail, everything inside the
 * namespaces labelled with it, nothing cluster-scoped. bob: viewer in search and analytics, all
 * but Secrets there. carol (group auditors): cluster-viewer everywhere, all but Secrets, nodes
 * and volumes included. mallory: platform-regular, nothing. A namespace object goes with its
 * namespace (`namespace` is the object's own namespace, or the Namespace itself).
 */
export const DEMO_GRANTS: Readonly<Record<string, GatewayGrant>> = {
  admin: () => true,
  alice: (_kind, ns) => ns?.labels[WORKSPACE_LABEL] === "retail",
  bob: (kind, ns) => NOT_SECRETS(kind) && ns !== undefined && ["search", "analytics"].includes(ns.name),
  carol: (kind) => NOT_SECRETS(kind),
  mallory: () => false,
};

/** A kubectl failure other than the Forbidden answers the comparison expects. */
export class KubectlListError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(" ")} failed: ${stderr.trim().slice(0, 500)}`);
    this.name = "KubectlListError";
  }
}

export interface Impersonated {
  readonly user: string;
  readonly groups: readonly string[];
}

interface KubectlItem {
  kind: string;
  metadata: { name: string; namespace?: string };
}

const FORBIDDEN_LIST = /cannot (?:list|get) resource "([^"]+)" in API group "([^"]*)"/;

/** Objects kubectl lists, and the resources it was forbidden to list (as `resource[.group]`). */
async function kubectlGet(
  kubeconfig: string,
  cluster: string,
  who: Impersonated,
  args: readonly string[],
): Promise<{ items: KubectlItem[]; forbidden: Set<string> }> {
  const full = [
    `--context=${cluster}`,
    "get",
    ...args,
    `--as=${who.user}`,
    ...who.groups.map((g) => `--as-group=${g}`),
    "-o",
    "json",
  ];
  const result = await kubectl(kubeconfig, full);
  const forbidden = new Set<string>();
  for (const line of result.stderr.split("\n").filter((l) => l.trim() !== "")) {
    const match = FORBIDDEN_LIST.exec(line);
    if (!match) throw new KubectlListError(full, result.stderr);
    forbidden.add(match[2] ? `${match[1]}.${match[2]}` : match[1]!);
  }
  const parsed = result.stdout.trim() === "" ? { items: [] } : (JSON.parse(result.stdout) as object);
  const items = "items" in parsed ? (parsed.items as KubectlItem[]) : [parsed as KubectlItem];
  return { items, forbidden };
}

/** Runs `work` over `items` a few at a time (each kubectl is a process; the machine is shared). */
export async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>, size = 4) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/**
 * What kubectl lets `who` list on one cluster, per kind: cluster-wide first, then namespace by
 * namespace (each of `namespaces`) for the kinds forbidden cluster-wide, and each Namespace object
 * by name when listing them is forbidden (RBAC grants `get namespaces/<name>` inside a namespace).
 */
export async function kubectlVisible(
  kubeconfig: string,
  cluster: string,
  who: Impersonated,
  namespaces: readonly string[],
): Promise<Map<string, Set<ObjectKey>>> {
  const byKind = new Map<string, Set<ObjectKey>>(LISTED_KINDS.map((k) => [k.kind, new Set()]));
  const add = (items: KubectlItem[]) => {
    for (const item of items) {
      const namespace = item.kind === "Namespace" ? item.metadata.name : (item.metadata.namespace ?? "");
      byKind.get(item.kind)?.add(objectKey(cluster, namespace, item.metadata.name));
    }
  };
  const namespacedResources = LISTED_KINDS.filter((k) => !k.clusterScoped).map((k) => k.resource);
  const clusterResources = LISTED_KINDS.filter((k) => k.clusterScoped).map((k) => k.resource);
  const wide = await kubectlGet(kubeconfig, cluster, who, [namespacedResources.join(","), "-A"]);
  add(wide.items);
  const scoped = await kubectlGet(kubeconfig, cluster, who, [clusterResources.join(",")]);
  add(scoped.items);
  const perNamespace = namespacedResources.filter((r) => wide.forbidden.has(r));
  if (perNamespace.length > 0) {
    await inBatches(namespaces, async (namespace) => {
      add((await kubectlGet(kubeconfig, cluster, who, [perNamespace.join(","), "-n", namespace])).items);
    });
  }
  if (scoped.forbidden.has("namespaces")) {
    // One get by names: kubectl answers each it may read and reports the rest as forbidden.
    add((await kubectlGet(kubeconfig, cluster, who, ["namespaces", ...namespaces])).items);
  }
  return byKind;
}

/** kubectl's answer kept where the gateway's grant allows it. */
export function intersectWithGrant(
  visible: ReadonlyMap<string, ReadonlySet<ObjectKey>>,
  grant: GatewayGrant,
  namespaces: ReadonlyMap<string, ClusterNamespace>,
): Map<string, Set<ObjectKey>> {
  const out = new Map<string, Set<ObjectKey>>();
  for (const [kind, keys] of visible) {
    const kept = [...keys].filter((key) => {
      const [cluster, namespace] = key.split("/") as [string, string];
      const ns = namespace === "" ? undefined : namespaces.get(`${cluster}/${namespace}`);
      return grant(kind, ns);
    });
    out.set(kind, new Set(kept));
  }
  return out;
}

/** Whether kubectl auth can-i says yes. */
export async function kubectlCanI(
  kubeconfig: string,
  cluster: string,
  who: Impersonated,
  verb: string,
  resource: string,
  namespace?: string,
): Promise<boolean> {
  const args = [
    `--context=${cluster}`,
    "auth",
    "can-i",
    verb,
    resource,
    ...(namespace ? ["-n", namespace] : []),
    `--as=${who.user}`,
    ...who.groups.map((g) => `--as-group=${g}`),
  ];
  const result = await kubectl(kubeconfig, args);
  const answer = result.stdout.trim();
  if (answer !== "yes" && answer !== "no") throw new KubectlListError(args, result.stderr + answer);
  return answer === "yes";
}

/**
 * The namespaces ("cluster/namespace") where `user` may list `resource` (objects of `kind`), as the
 * gateway must decide it: its gateway grant (DEMO_GRANTS, for `kind`) and the cluster's RBAC both —
 * `kubectl auth can-i list <resource>` as the user, cluster-wide first, then per namespace.
 */
export async function namespacesReadable(
  kubeconfig: string,
  user: string,
  who: Impersonated,
  namespaces: Iterable<ClusterNamespace & { cluster: string }>,
  kind: string,
  resource: string,
): Promise<Set<string>> {
  const granted = new Map<string, (ClusterNamespace & { cluster: string })[]>();
  for (const ns of namespaces)
    if (DEMO_GRANTS[user]!(kind, ns)) granted.set(ns.cluster, [...(granted.get(ns.cluster) ?? []), ns]);
  const readable = new Set<string>();
  for (const [cluster, inCluster] of granted) {
    const everywhere = await kubectlCanI(kubeconfig, cluster, who, "list", resource, undefined);
    await inBatches(inCluster, async (ns) => {
      if (everywhere || (await kubectlCanI(kubeconfig, cluster, who, "list", resource, ns.name)))
        readable.add(`${cluster}/${ns.name}`);
    });
  }
  return readable;
}

/** The namespaces ("cluster/namespace") whose pods `user` may read (namespacesReadable for pods). */
export function podNamespacesReadable(
  kubeconfig: string,
  user: string,
  who: Impersonated,
  namespaces: Iterable<ClusterNamespace & { cluster: string }>,
): Promise<Set<string>> {
  return namespacesReadable(kubeconfig, user, who, namespaces, "Pod", "pods");
}
