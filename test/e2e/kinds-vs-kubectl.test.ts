/**
 * Each kind typed with Schema 1.0, the gateway's answer against the real kubectl's: every object
 * `kubectl get <kind> -A -o json` lists in every cluster is in the gateway's list, once, with the
 * same identity and the fields kubectl shows; and each kind in a filtered, ordered page across
 * clusters equals what the same filter and order make of kubectl's lists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { kubectl } from "../support/kubectl.js";
import {
  fleetConfig,
  graphql,
  startSimFleet,
  startTestGateway,
  type GraphQLResponse,
} from "../integration/server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;
let clusters: string[];

beforeAll(async () => {
  // No churn: both sides must read the same state.
  fleet = await startSimFleet("kinds-vs-kubectl", { clusters: 2, nodes: 3, pods: 150, churn: 0 });
  clusters = fleet.clusters.map((c) => c.name).sort();
  gateway = await startTestGateway(fleetConfig(fleet));
  await gateway.fleetCache.whenSynced(30_000);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

interface KindCase {
  /** kubectl's resource name. */
  resource: string;
  /** The gateway's list field. */
  field: string;
  namespaced: boolean;
  /** Fields selected beside the identity, and how kubectl's object says the same. */
  select: string;
  expected: (o: KubeObject) => Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** Kubernetes' spelling of an enumeration value as the API's enum value: "WaitForFirstConsumer" -> WAIT_FOR_FIRST_CONSUMER. */
const enumName = (value: unknown): string | null =>
  typeof value === "string" ? value.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() : null;
const o = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});

const KINDS: KindCase[] = [
  {
    resource: "ingresses",
    field: "ingresses",
    namespaced: true,
    select: "className hosts addresses",
    expected: (x) => ({
      className: o(x.spec).ingressClassName ?? null,
      hosts: [...new Set((o(x.spec).rules as Json[] | undefined)?.map((r) => r.host).filter(Boolean) ?? [])],
      addresses: ((o(o(x.status).loadBalancer).ingress as Json[] | undefined) ?? []).map(
        (i) => i.ip ?? i.hostname,
      ),
    }),
  },
  {
    resource: "configmaps",
    field: "configMaps",
    namespaced: true,
    select: "keys",
    expected: (x) => ({ keys: [...Object.keys(o(x.data)), ...Object.keys(o(x.binaryData))].sort() }),
  },
  {
    resource: "secrets",
    field: "secrets",
    namespaced: true,
    select: "type keys",
    expected: (x) => ({ type: x.type, keys: Object.keys(o(x.data)).sort() }),
  },
  {
    resource: "serviceaccounts",
    field: "serviceAccounts",
    namespaced: true,
    select: "secrets",
    expected: (x) => ({ secrets: ((x.secrets as unknown[] | undefined) ?? []).length }),
  },
  {
    resource: "persistentvolumeclaims",
    field: "persistentVolumeClaims",
    namespaced: true,
    select: "phase volumeName storageClassName",
    expected: (x) => ({
      phase: enumName(o(x.status).phase),
      volumeName: o(x.spec).volumeName ?? null,
      storageClassName: o(x.spec).storageClassName ?? null,
    }),
  },
  {
    resource: "persistentvolumes",
    field: "persistentVolumes",
    namespaced: false,
    select: "phase reclaimPolicy storageClassName claimRef { namespaceName name }",
    expected: (x) => {
      const claim = o(o(x.spec).claimRef);
      return {
        phase: enumName(o(x.status).phase),
        reclaimPolicy: enumName(o(x.spec).persistentVolumeReclaimPolicy ?? null),
        storageClassName: o(x.spec).storageClassName ?? null,
        claimRef: claim.name ? { namespaceName: claim.namespace, name: claim.name } : null,
      };
    },
  },
  {
    resource: "storageclasses",
    field: "storageClasses",
    namespaced: false,
    select: "provisioner reclaimPolicy volumeBindingMode isDefault",
    expected: (x) => ({
      provisioner: x.provisioner,
      reclaimPolicy: enumName(x.reclaimPolicy ?? "Delete"),
      volumeBindingMode: enumName(x.volumeBindingMode ?? "Immediate"),
      isDefault: x.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
    }),
  },
  {
    resource: "horizontalpodautoscalers",
    field: "horizontalPodAutoscalers",
    namespaced: true,
    select: "minReplicas maxReplicas currentReplicas desiredReplicas scaleTargetRef { kind name }",
    expected: (x) => ({
      minReplicas: o(x.spec).minReplicas ?? 1,
      maxReplicas: o(x.spec).maxReplicas,
      currentReplicas: o(x.status).currentReplicas ?? 0,
      desiredReplicas: o(x.status).desiredReplicas ?? 0,
      scaleTargetRef: { kind: o(o(x.spec).scaleTargetRef).kind, name: o(o(x.spec).scaleTargetRef).name },
    }),
  },
  {
    resource: "resourcequotas",
    field: "resourceQuotas",
    namespaced: true,
    select: "resources { resource hard { quantity } used { quantity } }",
    expected: (x) => {
      const hard = o(o(x.status).hard);
      const used = o(o(x.status).used);
      return {
        resources: Object.keys(hard)
          .sort()
          .map((r) => ({
            resource: r,
            hard: { quantity: hard[r] },
            used: used[r] === undefined ? null : { quantity: used[r] },
          })),
      };
    },
  },
  {
    resource: "limitranges",
    field: "limitRanges",
    namespaced: true,
    select: "limits { type }",
    expected: (x) => ({
      limits: ((o(x.spec).limits as Json[] | undefined) ?? []).map((l) => ({ type: l.type })),
    }),
  },
];

async function kubectlList(cluster: string, resource: string): Promise<KubeObject[]> {
  const result = await kubectl(fleet.kubeconfigPath, [
    "--context",
    cluster,
    "get",
    resource,
    "-A",
    "-o",
    "json",
  ]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { items: KubeObject[] }).items;
}

interface ListPage {
  pageInfo: { hasNextPage: boolean; endCursor: string };
  nodes: Json[];
}

async function gatewayAll(kind: KindCase): Promise<Json[]> {
  const items: Json[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: GraphQLResponse<{ list: ListPage }> = await graphql<{ list: ListPage }>(
      gateway.url,
      `query($after: String) { list: ${kind.field}(first: 500, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { clusterName name uid ${kind.namespaced ? "namespaceName" : ""} ${kind.select} }
      } }`,
      { after },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const page: ListPage = answer.data!.list;
    items.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return items;
    after = page.pageInfo.endCursor;
  }
}

const key = (cluster: string, namespace: string | undefined, name: string) =>
  `${cluster}/${namespace ?? ""}/${name}`;

describe.each(KINDS)("$field against kubectl get $resource -A", (kind) => {
  it("lists every object kubectl lists, once, with the same identity and fields", async () => {
    const fromKubectl = new Map<string, { cluster: string; object: KubeObject }>();
    for (const cluster of clusters) {
      for (const object of await kubectlList(cluster, kind.resource)) {
        fromKubectl.set(key(cluster, object.metadata.namespace, object.metadata.name!), { cluster, object });
      }
    }
    expect(fromKubectl.size, `the generated fleet has no ${kind.resource}`).toBeGreaterThan(0);
    const fromGateway = await gatewayAll(kind);
    const seen = new Set<string>();
    for (const item of fromGateway) {
      const k = key(
        item.clusterName as string,
        item.namespaceName as string | undefined,
        item.name as string,
      );
      expect(seen.has(k), `${k} twice`).toBe(false);
      seen.add(k);
      const expected = fromKubectl.get(k);
      expect(expected, `${k} is not in kubectl's list`).toBeDefined();
      expect(item.uid).toBe(expected!.object.metadata.uid);
      const { clusterName: _c, name: _n, uid: _u, namespaceName: _ns, ...fields } = item;
      expect(fields, k).toEqual(kind.expected(expected!.object));
    }
    expect(seen.size).toBe(fromKubectl.size);
  });

  it("pages it filtered, ordered and across clusters as the same filter and order make of kubectl's lists", async () => {
    const all: { cluster: string; object: KubeObject }[] = [];
    for (const cluster of clusters)
      for (const object of await kubectlList(cluster, kind.resource)) all.push({ cluster, object });
    // A filter that keeps some but not all: the name contains a letter most names have.
    const needle = "e";
    const wanted = all
      .filter((x) => x.object.metadata.name!.toLowerCase().includes(needle))
      .sort((a, b) => {
        // NAME DESC, then cluster, namespace and name ascending (the API's tie-breakers).
        const an = a.object.metadata.name!;
        const bn = b.object.metadata.name!;
        if (an !== bn) return an < bn ? 1 : -1;
        if (a.cluster !== b.cluster) return a.cluster < b.cluster ? -1 : 1;
        const ans = a.object.metadata.namespace ?? "";
        const bns = b.object.metadata.namespace ?? "";
        return ans < bns ? -1 : ans > bns ? 1 : 0;
      });
    const answer = await graphql<
      Record<string, { totalCount: number; outcomes: { clusterName: string }[]; nodes: Json[] }>
    >(
      gateway.url,
      `query($clusters: [String!]) { list: ${kind.field}(first: 7, filter: { clusters: $clusters, nameContains: "${needle}" }, orderBy: { field: NAME, direction: DESC }) {
        totalCount outcomes { clusterName } nodes { clusterName name ${kind.namespaced ? "namespaceName" : ""} }
      } }`,
      { clusters },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const page = answer.data!.list!;
    expect(page.outcomes.map((x) => x.clusterName)).toEqual(clusters);
    expect(page.totalCount).toBe(wanted.length);
    expect(
      page.nodes.map((n) =>
        key(n.clusterName as string, n.namespaceName as string | undefined, n.name as string),
      ),
    ).toEqual(
      wanted.slice(0, 7).map((x) => key(x.cluster, x.object.metadata.namespace, x.object.metadata.name!)),
    );
  });
});
