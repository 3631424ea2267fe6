/**
 * Tenant isolation over every query path: for each demo user, what the gateway answers (lists
 * paged through, counts, relations, ids, lookups, workspaces, viewer, STRONG reads, `resources`)
 * equals what kubectl lets that user list on each cluster, intersected with the user's gateway
 * roles (tenant-expectations.ts) — never more. A foreign object's id is not found, and no answer
 * (data, errors, extensions) names a namespace or object the user cannot see.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { DEMO_USERS, startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";
import {
  DEMO_GRANTS,
  inBatches,
  intersectWithGrant,
  kubectlCanI,
  kubectlVisible,
  LISTED_KINDS,
  objectKey,
  type ClusterNamespace,
  type Impersonated,
  type ListedKind,
  type ObjectKey,
} from "./tenant-expectations.js";

type User = (typeof DEMO_USERS)[number];

let fixture: AuthGateway;
let clusters: string[];
/** "cluster/namespace" -> the namespace, as admin lists them. */
const namespaces = new Map<string, ClusterNamespace>();
/** user -> kind -> the keys it should see. */
const expected = new Map<User, Map<string, Set<ObjectKey>>>();
/** kind -> key -> the object's global id, from admin's answers. */
const idsOf = new Map<string, Map<ObjectKey, string>>();
/** user -> every answer it got, to search for foreign names. */
const answers = new Map<User, { request: string; text: string }[]>();

const who = (user: User): Impersonated => ({ user, groups: fixture.sim.user(user).groups });

async function ask<D = Record<string, unknown>>(
  user: User,
  document: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<D>> {
  const answer = await fixture.query<D>(user, document, variables);
  answers
    .get(user)!
    .push({ request: document + JSON.stringify(variables ?? {}), text: JSON.stringify(answer) });
  return answer;
}

interface Listed {
  id: string;
  name: string;
  clusterName: string;
  namespaceName?: string;
}

const LIST = (kind: ListedKind, consistency = "CACHED") => `
  query List($first: Int, $after: String, $filter: ${filterType(kind)}) {
    list: ${kind.field}(first: $first, after: $after, filter: $filter, consistency: ${consistency}${
      // Events default to LAST_SEEN, which API servers cannot order by.
      consistency === "STRONG" ? ", orderBy: { field: NAME }" : ""
    }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name clusterName ${kind.clusterScoped ? "" : "namespaceName"} }
    }
  }`;

function filterType(kind: ListedKind): string {
  const names: Record<string, string> = {
    pods: "PodFilter",
    workloads: "WorkloadFilter",
    services: "ServiceFilter",
    configMaps: "ConfigMapFilter",
    secrets: "SecretFilter",
    serviceAccounts: "ServiceAccountFilter",
    ingresses: "IngressFilter",
    persistentVolumeClaims: "PersistentVolumeClaimFilter",
    horizontalPodAutoscalers: "HorizontalPodAutoscalerFilter",
    resourceQuotas: "ResourceQuotaFilter",
    limitRanges: "LimitRangeFilter",
    events: "EventFilter",
    namespaces: "NamespaceFilter",
    clusterNodes: "ClusterNodeFilter",
    persistentVolumes: "PersistentVolumeFilter",
    storageClasses: "StorageClassFilter",
  };
  return names[kind.field]!;
}

interface ListPage {
  list: {
    totalCount: number | null;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Listed[];
  };
}

/** Every page of one root list (pages of 40, so the big lists take several), and its totalCount. */
async function listAll(
  user: User,
  kind: ListedKind,
  options: { consistency?: string; filter?: Record<string, unknown> } = {},
): Promise<{ keys: Map<ObjectKey, string>; totalCount: number | null; errors: unknown[] }> {
  const keys = new Map<ObjectKey, string>();
  let after: string | null = null;
  let totalCount: number | null = null;
  const errors: unknown[] = [];
  for (let page = 0; page < 100; page++) {
    const filter = { ...kind.filter, ...options.filter };
    const answer: GraphQLResponse<ListPage> = await ask<ListPage>(user, LIST(kind, options.consistency), {
      first: 40,
      ...(after ? { after } : {}),
      ...(Object.keys(filter).length ? { filter } : {}),
    });
    expect(answer.status, JSON.stringify(answer.errors)).toBe(200);
    expect(answer.data, JSON.stringify(answer.errors)).not.toBeNull();
    errors.push(...(answer.errors ?? []));
    const list = answer.data!.list;
    if (page === 0) totalCount = list.totalCount;
    for (const node of list.nodes) {
      const namespace = kind.kind === "Namespace" ? node.name : (node.namespaceName ?? "");
      keys.set(objectKey(node.clusterName, namespace, node.name), node.id);
    }
    if (!list.pageInfo.hasNextPage) break;
    after = list.pageInfo.endCursor;
  }
  return { keys, totalCount, errors };
}

async function computeExpectations(): Promise<void> {
  const admin = who("admin");
  for (const cluster of clusters) {
    const listed = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${cluster}`,
      "get",
      "namespaces",
      "-o",
      "json",
    ]);
    const items = (
      JSON.parse(listed.stdout) as {
        items: { metadata: { name: string; labels?: Record<string, string> } }[];
      }
    ).items;
    for (const item of items)
      namespaces.set(`${cluster}/${item.metadata.name}`, {
        name: item.metadata.name,
        labels: item.metadata.labels ?? {},
      });
  }
  expect(admin.groups).toContain("system:masters");
  await inBatches(
    DEMO_USERS.flatMap((user) => clusters.map((cluster) => ({ user, cluster }))),
    async ({ user, cluster }) => {
      const visible = await kubectlVisible(
        fixture.sim.kubeconfigPath,
        cluster,
        who(user),
        namespacesIn(cluster),
      );
      const kept = intersectWithGrant(visible, DEMO_GRANTS[user]!, namespaces);
      const mine = expected.get(user) ?? new Map<string, Set<ObjectKey>>();
      for (const [kind, keys] of kept) mine.set(kind, new Set([...(mine.get(kind) ?? []), ...keys]));
      expected.set(user, mine);
    },
    2,
  );
}

const namespacesIn = (cluster: string): string[] =>
  [...namespaces.keys()]
    .filter((key) => key.startsWith(`${cluster}/`))
    .map((key) => key.slice(cluster.length + 1));

const expectedOf = (user: User, kind: string): Set<ObjectKey> => expected.get(user)!.get(kind)!;

/** Everything `user` should see, of every kind. */
const visibleKeys = (user: User): Set<ObjectKey> =>
  new Set([...expected.get(user)!.values()].flatMap((keys) => [...keys]));

beforeAll(async () => {
  fixture = await startAuthGateway({ seed: "tenant-isolation", fleet: { clusters: 2, nodes: 2, pods: 30 } });
  clusters = fixture.sim.clusters.map((c) => c.name);
  for (const user of DEMO_USERS) answers.set(user, []);
  await computeExpectations();
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

/**
 * Each kind's list (every page) and totalCount against the expectation; the mismatches, if any.
 * Events and job pods come and go while the fleet runs: on a difference both sides are read again.
 */
async function listMismatches(user: User, consistency: "CACHED" | "STRONG"): Promise<string[]> {
  const mismatches: string[] = [];
  for (const kind of LISTED_KINDS) {
    let attempt = 0;
    await eventually(
      async () => {
        if (attempt++ > 0) await recomputeKind(user, kind);
        const got = await listAll(user, kind, { consistency });
        if (user === "admin" && consistency === "CACHED") idsOf.set(kind.kind, got.keys);
        const want = expectedOf(user, kind.kind);
        const extra = [...got.keys.keys()].filter((k) => !want.has(k));
        const missing = [...want].filter((k) => !got.keys.has(k));
        // A STRONG read counts only when every API server told it exactly; null says "unknown".
        const countAgrees =
          got.totalCount === want.size || (consistency === "STRONG" && got.totalCount === null);
        if (extra.length || missing.length || !countAgrees) {
          throw new Error(
            `${consistency} ${kind.field} ${kind.kind}: extra ${extra.slice(0, 5).join(", ")}; missing ${missing.slice(0, 5).join(", ")}; totalCount ${got.totalCount} vs ${want.size}; errors ${JSON.stringify(got.errors).slice(0, 300)}`,
          );
        }
        return true;
      },
      15_000,
      500,
    ).catch((error: Error) => mismatches.push(`${consistency} ${kind.kind}: ${error.message}`));
  }
  return mismatches;
}

describe("root lists and counts", () => {
  it.each(DEMO_USERS)(
    "%s: every listed kind equals kubectl's answer intersected with the gateway's grants",
    async (user) => {
      expect(await listMismatches(user, "CACHED")).toEqual([]);
    },
    240_000,
  );

  it("is not vacuous: users differ, and each restricted user sees something and misses something", () => {
    const pods = (u: User) => expectedOf(u, "Pod").size;
    expect(pods("carol")).toBe(pods("admin"));
    expect(pods("alice")).toBeGreaterThan(0);
    expect(pods("bob")).toBeGreaterThan(0);
    expect(pods("bob")).toBeLessThan(pods("admin"));
    expect(pods("alice")).toBeLessThan(pods("admin"));
    expect(pods("mallory")).toBe(0);
    expect(expectedOf("carol", "Secret").size).toBe(0);
    expect(expectedOf("admin", "Secret").size).toBeGreaterThan(0);
    expect(expectedOf("alice", "Secret").size).toBeGreaterThan(0);
    expect(expectedOf("admin", "Node").size).toBeGreaterThan(0);
  });
});

async function recomputeKind(user: User, kind: ListedKind): Promise<void> {
  const fresh = new Set<ObjectKey>();
  for (const cluster of clusters) {
    const visible = await kubectlVisible(
      fixture.sim.kubeconfigPath,
      cluster,
      who(user),
      namespacesIn(cluster),
    );
    for (const key of intersectWithGrant(visible, DEMO_GRANTS[user]!, namespaces).get(kind.kind)!)
      fresh.add(key);
  }
  expected.get(user)!.set(kind.kind, fresh);
}

const RESTRICTED: readonly User[] = ["alice", "bob", "carol", "mallory"];

/** Keys of `kind` admin sees and `user` must not. */
const foreignKeys = (user: User, kind: string): ObjectKey[] =>
  [...idsOf.get(kind)!.keys()].filter((key) => !expectedOf(user, kind).has(key));

const split = (key: ObjectKey) => {
  const [cluster, namespace, name] = key.split("/") as [string, string, string];
  return { cluster, namespace, name };
};

interface PodRef {
  name: string;
  namespaceName: string;
  clusterName: string;
}
const podKey = (p: PodRef) => objectKey(p.clusterName, p.namespaceName, p.name);

describe("relations", () => {
  it.each(DEMO_USERS)(
    "%s: Namespace.pods, Cluster.pods, Workload.pods and Pod.node stay in scope",
    async (user) => {
      const seesNodes = expectedOf(user, "Node").size > 0;
      let attempt = 0;
      await eventually(
        async () => {
          if (attempt++ > 0)
            await recomputeKind(
              user,
              LISTED_KINDS.find((k) => k.kind === "Pod")!,
            );
          const pods = expectedOf(user, "Pod");
          const byNamespace = await ask<{
            namespaces: {
              pageInfo: { hasNextPage: boolean };
              nodes: {
                pods: { totalCount: number; nodes: (PodRef & { node: { name: string } | null })[] };
              }[];
            };
          }>(
            user,
            `{ namespaces(first: 60) { pageInfo { hasNextPage } nodes {
              pods(first: 60) { totalCount nodes { name namespaceName clusterName node { name } } } } } }`,
          );
          expect(byNamespace.errors).toBeUndefined();
          expect(byNamespace.data!.namespaces.pageInfo.hasNextPage).toBe(false);
          const viaNamespaces = byNamespace.data!.namespaces.nodes.flatMap((ns) => {
            expect(ns.pods.totalCount).toBe(ns.pods.nodes.length);
            return ns.pods.nodes;
          });
          // The fleet's RBAC and roles are per namespace: every visible pod is in a visible namespace.
          expect(new Set(viaNamespaces.map(podKey))).toEqual(pods);
          if (seesNodes) expect(viaNamespaces.some((p) => p.node !== null)).toBe(true);
          else expect(viaNamespaces.filter((p) => p.node !== null).map(podKey)).toEqual([]);

          const byCluster = await ask<{
            clusters: { nodes: { name: string; pods: { totalCount: number } }[] };
          }>(user, `{ clusters(first: 10) { nodes { name pods(first: 1) { totalCount } } } }`);
          expect(byCluster.errors).toBeUndefined();
          for (const cluster of byCluster.data!.clusters.nodes) {
            const inCluster = [...pods].filter((k) => k.startsWith(`${cluster.name}/`)).length;
            expect(cluster.pods.totalCount, `${user} Cluster.pods of ${cluster.name}`).toBe(inCluster);
          }

          const byWorkload = await ask<{
            workloads: { pageInfo: { hasNextPage: boolean }; nodes: { pods: { nodes: PodRef[] } }[] };
          }>(
            user,
            `{ workloads(first: 100) { pageInfo { hasNextPage } nodes {
              pods(first: 20) { nodes { name namespaceName clusterName } } } } }`,
          );
          expect(byWorkload.errors).toBeUndefined();
          expect(byWorkload.data!.workloads.pageInfo.hasNextPage).toBe(false);
          const viaWorkloads = byWorkload.data!.workloads.nodes.flatMap((w) => w.pods.nodes.map(podKey));
          expect(viaWorkloads.filter((key) => !pods.has(key))).toEqual([]);
          if (pods.size > 0) expect(viaWorkloads.length).toBeGreaterThan(0);
          return true;
        },
        15_000,
        500,
      );
    },
    60_000,
  );
});

describe("ids and lookups", () => {
  it.each(RESTRICTED)(
    "%s: node(id)/nodes(ids) of foreign objects are null, its own are not",
    async (user) => {
      const foreign = LISTED_KINDS.filter((k) => k.kind !== "Event").flatMap((k) =>
        foreignKeys(user, k.kind)
          .slice(0, 6)
          .map((key) => idsOf.get(k.kind)!.get(key)!),
      );
      expect(foreign.length).toBeGreaterThan(user === "carol" ? 5 : 20);
      const own = LISTED_KINDS.flatMap((k) =>
        [...expectedOf(user, k.kind)].slice(0, 2).map((key) => idsOf.get(k.kind)!.get(key)),
      ).filter((id): id is string => id !== undefined);
      const answer = await ask<{ nodes: ({ id: string } | null)[]; one: { id: string } | null }>(
        user,
        `query Ids($ids: [ID!]!, $one: ID!) { nodes(ids: $ids) { id } one: node(id: $one) { id } }`,
        { ids: [...foreign, ...own], one: foreign[0] },
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.nodes.slice(0, foreign.length)).toEqual(foreign.map(() => null));
      expect(answer.data!.nodes.slice(foreign.length).map((n) => n?.id)).toEqual(own);
      expect(answer.data!.one).toBeNull();
    },
  );

  it.each(RESTRICTED)(
    "%s: lookups by name of foreign objects answer null, of its own the object",
    async (user) => {
      // One lookup per kind that has one, for an object admin sees and the user must not.
      const lookups: { field: string; kind: string; args: (k: ObjectKey) => string }[] = [
        { field: "pod", kind: "Pod", args: namespacedArgs },
        { field: "service", kind: "Service", args: namespacedArgs },
        { field: "namespace", kind: "Namespace", args: clusterArgs },
        { field: "clusterNode", kind: "Node", args: clusterArgs },
      ];
      const asked = lookups.flatMap((l) => {
        const key = foreignKeys(user, l.kind)[0];
        return key === undefined ? [] : [`${l.field}(${l.args(key)}) { name }`];
      });
      expect(asked.length).toBeGreaterThan(0);
      const ownPod = [...expectedOf(user, "Pod")][0];
      const own = ownPod ? `own: pod(${namespacedArgs(ownPod)}) { name }` : "";
      const answer = await ask<Record<string, { name: string } | null>>(
        user,
        `{ ${asked.join(" ")} ${own} }`,
      );
      expect(answer.errors).toBeUndefined();
      const { own: found, ...foreign } = answer.data!;
      expect(Object.values(foreign)).toEqual(asked.map(() => null));
      if (ownPod) expect(found).toEqual({ name: split(ownPod).name });
    },
  );
});

function namespacedArgs(key: ObjectKey): string {
  const { cluster, namespace, name } = split(key);
  return `cluster: ${JSON.stringify(cluster)}, namespace: ${JSON.stringify(namespace)}, name: ${JSON.stringify(name)}`;
}

function clusterArgs(key: ObjectKey): string {
  const { cluster, name } = split(key);
  return `cluster: ${JSON.stringify(cluster)}, name: ${JSON.stringify(name)}`;
}

describe("workspaces and viewer", () => {
  it.each(DEMO_USERS)(
    "%s: workspaces are those with a readable namespace, with exactly those namespaces",
    async (user) => {
      const answer = await ask<{
        workspaces: {
          nodes: { name: string; namespaces: { nodes: { name: string; clusterName: string }[] } }[];
        };
      }>(
        user,
        `{ workspaces(first: 20) { nodes { name namespaces(first: 60) { nodes { name clusterName } } } } }`,
      );
      expect(answer.errors).toBeUndefined();
      const wanted = new Map<string, Set<ObjectKey>>();
      for (const key of expectedOf(user, "Namespace")) {
        const { cluster, name } = split(key);
        const workspace = namespaces.get(`${cluster}/${name}`)!.labels["kubesphere.io/workspace"];
        if (workspace === undefined) continue;
        wanted.set(workspace, new Set([...(wanted.get(workspace) ?? []), key]));
      }
      const got = new Map(
        answer.data!.workspaces.nodes.map((w) => [
          w.name,
          new Set(w.namespaces.nodes.map((ns) => objectKey(ns.clusterName, ns.name, ns.name))),
        ]),
      );
      expect(got).toEqual(wanted);
      if (user === "bob") expect([...got.keys()]).toEqual(["data"]);
    },
  );

  it.each(DEMO_USERS)(
    "%s: viewer.can agrees with kubectl auth can-i and the gateway's roles",
    async (user) => {
      const cluster = clusters[0]!;
      const questions = [
        { verb: "list", resource: "pods", group: "", namespace: "search", kind: "Pod" },
        { verb: "get", resource: "secrets", group: "", namespace: "cart", kind: "Secret" },
        { verb: "delete", resource: "pods", group: "", namespace: "cart", kind: "Pod" },
        {
          verb: "list",
          resource: "deployments",
          group: "apps",
          namespace: "kube-system",
          kind: "Deployment",
        },
        { verb: "list", resource: "nodes", group: "", namespace: undefined, kind: "Node" },
        { verb: "list", resource: "configmaps", group: "", namespace: "analytics", kind: "ConfigMap" },
      ];
      const mismatches: string[] = [];
      const allowed: boolean[] = [];
      for (const q of questions) {
        const ns = q.namespace === undefined ? undefined : namespaces.get(`${cluster}/${q.namespace}`);
        const read = ["get", "list", "watch"].includes(q.verb);
        // Writes: only admin's platform role and alice's workspace-admin grant them.
        const granted = read
          ? DEMO_GRANTS[user]!(q.kind, ns)
          : user === "admin" || (user === "alice" && DEMO_GRANTS.alice!(q.kind, ns));
        const cluster_ = await kubectlCanI(
          fixture.sim.kubeconfigPath,
          cluster,
          who(user),
          q.verb,
          q.group ? `${q.resource}.${q.group}` : q.resource,
          q.namespace,
        );
        const answer = await ask<{ viewer: { can: { allowed: boolean; reason: string | null } } }>(
          user,
          `query Can($verb: String!, $resource: String!, $group: String!, $cluster: String!, $namespace: String) {
          viewer { can(verb: $verb, resource: $resource, group: $group, cluster: $cluster, namespace: $namespace) { allowed reason } } }`,
          { verb: q.verb, resource: q.resource, group: q.group, cluster, namespace: q.namespace ?? null },
        );
        expect(answer.errors).toBeUndefined();
        const got = answer.data!.viewer.can.allowed;
        allowed.push(got);
        if (got !== (granted && cluster_))
          mismatches.push(
            `${q.verb} ${q.resource} ${q.namespace ?? ""}: gateway ${got}, kubectl ${cluster_}, roles ${granted}`,
          );
      }
      expect(mismatches).toEqual([]);
      if (user === "admin") expect(allowed.every(Boolean)).toBe(true);
      if (user === "mallory") expect(allowed.some(Boolean)).toBe(false);
    },
  );
});

describe("reads from the API servers", () => {
  it.each(DEMO_USERS)(
    "%s: every STRONG list (impersonated reads) equals the same expectation",
    async (user) => {
      expect(await listMismatches(user, "STRONG")).toEqual([]);
    },
    240_000,
  );

  it.each(RESTRICTED.filter((u) => u !== "carol"))(
    "%s: STRONG lists and resources() in a namespace it may not read answer nothing, FORBIDDEN (or not found)",
    async (user) => {
      const foreign = [...namespaces.values()].find(
        (ns) => !DEMO_GRANTS[user]!("Pod", ns) && ns.name !== "default",
      )!;
      const pods = LISTED_KINDS.find((k) => k.kind === "Pod")!;
      const strong = await listAll(user, pods, {
        consistency: "STRONG",
        filter: { namespaces: [foreign.name] },
      });
      expect(strong.keys.size).toBe(0);
      const answer = await ask<{ resources: { nodes: unknown[] } | null }>(
        user,
        `query R($cluster: String!, $namespace: String!) {
          resources(cluster: $cluster, apiVersion: "v1", kind: "Pod", namespace: $namespace, first: 50) { nodes } }`,
        { cluster: clusters[0], namespace: foreign.name },
      );
      expect(answer.data?.resources ?? null).toBeNull();
      expect(answer.errors?.length).toBeGreaterThan(0);
      const codes = answer.errors!.map((e) => e.extensions?.code);
      if (visibleKeys(user).size > 0) {
        expect(codes, JSON.stringify(answer.errors)).toEqual(["FORBIDDEN"]);
      } else {
        // A cluster the user reads nothing of behaves as one that does not exist.
        expect(codes, JSON.stringify(answer.errors)).toEqual(["BAD_USER_INPUT"]);
        expect(answer.errors![0]!.message).toMatch(/clusters: none$/);
      }
    },
  );
});

describe("answers name nothing foreign", () => {
  it.each(RESTRICTED)(
    "%s: no answer's data, errors or extensions names a namespace or object it cannot see",
    (user) => {
      const visibleNames = [...visibleKeys(user)].flatMap((key) => {
        const { namespace, name } = split(key);
        return [namespace, name];
      });
      const foreignNames = new Set(
        [...idsOf.values()]
          .flatMap((byKey) => [...byKey.keys()])
          .flatMap((key) => {
            const { namespace, name } = split(key);
            return [namespace, name];
          })
          .filter((name) => name.length > 2 && !visibleNames.some((v) => v.includes(name))),
      );
      expect(foreignNames.size).toBeGreaterThan(10);
      const leaks: string[] = [];
      const seen = answers.get(user)!;
      expect(seen.length).toBeGreaterThan(LISTED_KINDS.length);
      for (const { request, text } of seen) {
        for (const name of foreignNames) {
          if (request.includes(name)) continue;
          if (new RegExp(`(^|[^\\w.-])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w.-])`).test(text))
            leaks.push(`${name} in ${text.slice(0, 200)}`);
        }
      }
      expect(leaks).toEqual([]);
    },
  );
});
