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
    list: ${kind.field}(first: $first, after: $after, filter: $filter, consistency: ${consistency}) {
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

describe("root lists and counts", () => {
  it.each(DEMO_USERS)(
    "%s: every listed kind equals kubectl's answer intersected with the gateway's grants",
    async (user) => {
      const mismatches: string[] = [];
      for (const kind of LISTED_KINDS) {
        // Events and job pods come and go while the fleet runs: on a difference both sides are read again.
        let attempt = 0;
        await eventually(
          async () => {
            if (attempt++ > 0) await recomputeKind(user, kind);
            const got = await listAll(user, kind);
            if (user === "admin") idsOf.set(kind.kind, got.keys);
            const want = expectedOf(user, kind.kind);
            const extra = [...got.keys.keys()].filter((k) => !want.has(k));
            const missing = [...want].filter((k) => !got.keys.has(k));
            if (extra.length || missing.length || got.totalCount !== want.size) {
              throw new Error(
                `${kind.field} ${kind.kind}: extra ${extra.slice(0, 5).join(", ")}; missing ${missing.slice(0, 5).join(", ")}; totalCount ${got.totalCount} vs ${want.size}`,
              );
            }
            return true;
          },
          15_000,
          500,
        ).catch((error: Error) => mismatches.push(error.message));
      }
      expect(mismatches).toEqual([]);
    },
    240_000,
  );

  it("is not vacuous: users differ, and each restricted user sees something and misses something", () => {
    const pods = (u: User) => expectedOf(u, "Pod").size;
    expect(pods("admin")).toBeGreaterThan(pods("carol") - 1);
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
