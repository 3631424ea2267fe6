/**
 * Tenant isolation over subscriptions: every demo user subscribes without a filter while the
 * fleet churns, and nothing it is told lies outside what it may read — the (cluster, namespace)
 * pairs of its own lists, which tenant-isolation.test.ts checks against `kubectl --as` — while a
 * user who can read something is told of its changes. A RoleBinding added with kubectl mid-stream
 * makes its namespace's events start arriving; deleting it makes them stop.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESOURCE_KINDS } from "../../sim/kinds.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { DEMO_USERS, startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

type User = (typeof DEMO_USERS)[number];

const POD_KIND = RESOURCE_KINDS.find((k) => k.kind === "Pod")!;

/** A namespace where bob holds the gateway's viewer role but the clusters' RBAC gives him nothing. */
const GRANTABLE = "cart";
const BINDING = "bob-view-cart-live";

interface ChangeObject {
  __typename?: string;
  name: string;
  clusterName: string;
  namespaceName?: string;
}
interface Change {
  type: string;
  id: string | null;
  cluster: string | null;
  object: ChangeObject | null;
}

const POD_CHANGES = `subscription {
  podChanges(sendInitial: true) { type id cluster object { name clusterName namespaceName } }
}`;
const OBJECT_CHANGES = `subscription {
  objectChanges(kinds: ["Pod", "Deployment", "Secret"], sendInitial: true) {
    type id cluster object { __typename name clusterName ... on NamespacedObject { namespaceName } }
  }
}`;

/** Each kind's root list, as the readable set is read from it. */
const LISTS: Record<string, { field: string; filter?: Record<string, unknown> }> = {
  Pod: { field: "pods" },
  Deployment: { field: "workloads", filter: { kinds: ["DEPLOYMENT"] } },
  Secret: { field: "secrets" },
};

let fixture: AuthGateway;

beforeAll(async () => {
  fixture = await startAuthGateway({
    seed: "subscription-tenancy",
    fleet: { clusters: 2, nodes: 1, pods: 40 },
    // The gateway's half of bob's grant in GRANTABLE; the cluster's half is added mid-stream.
    extraRoleBindings: [{ role: "viewer", namespace: GRANTABLE, users: ["bob"], groups: [] }],
  });
}, 120_000);

afterAll(async () => {
  fixture?.sim.churn.setRate(0);
  await fixture?.stop();
});

/** "cluster/namespace/name" of every object of `kind` the user's list returns (every page). */
async function listed(user: User, kind: string, namespace?: string): Promise<Set<string>> {
  const { field, filter } = LISTS[kind]!;
  const keys = new Set<string>();
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const answer: GraphQLResponse<{
      list: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { name: string; clusterName: string; namespaceName: string }[];
      };
    }> = await fixture.query(
      user,
      `query ($after: String, $filter: ${kind === "Deployment" ? "WorkloadFilter" : `${kind}Filter`}) {
        list: ${field}(first: 200, after: $after, filter: $filter) {
          pageInfo { hasNextPage endCursor }
          nodes { name clusterName namespaceName }
        }
      }`,
      { after, filter: { ...filter, ...(namespace ? { namespaces: [namespace] } : {}) } },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    for (const n of answer.data!.list.nodes) keys.add(`${n.clusterName}/${n.namespaceName}/${n.name}`);
    if (!answer.data!.list.pageInfo.hasNextPage) break;
    after = answer.data!.list.pageInfo.endCursor;
  }
  return keys;
}

const namespacesOf = (keys: Iterable<string>): Set<string> =>
  new Set([...keys].map((k) => k.split("/").slice(0, 2).join("/")));

/** The kind an event's object is of (podChanges tells only pods). */
const kindOf = (change: Change, stream: "pods" | "objects"): string =>
  stream === "pods" ? "Pod" : change.object!.__typename!;

/**
 * What is wrong with a stream's events for a reader whose readable (cluster/namespace) pairs per
 * kind are `readable`: an object outside them, an object whose cluster disagrees with the event,
 * or a deletion of an object it was never shown.
 */
function violations(
  changes: readonly Change[],
  stream: "pods" | "objects",
  readable: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const problems: string[] = [];
  const shown = new Set<string>();
  for (const c of changes) {
    if (c.type === "SYNCED") continue;
    if (c.type === "RESET" || c.id === null) {
      problems.push(`unexpected ${c.type}`);
      continue;
    }
    if (c.type === "DELETED") {
      if (!shown.has(c.id)) problems.push(`DELETED of an object never shown: ${c.id}`);
      continue;
    }
    const o = c.object!;
    const kind = kindOf(c, stream);
    const where = `${o.clusterName}/${o.namespaceName ?? ""}`;
    if (o.clusterName !== c.cluster) problems.push(`${kind} ${o.name}: event cluster ${c.cluster}`);
    if (!readable.get(kind)?.has(where))
      problems.push(`${c.type} ${kind} ${where}/${o.name} is not readable`);
    shown.add(c.id);
  }
  return problems;
}

const payloads = (s: Subscriber<Record<string, Change>>, field: string): Change[] =>
  s.events.map((e) => {
    expect(e.errors, JSON.stringify(e.errors)).toBeUndefined();
    return e.data![field]!;
  });

/** Events after the initial snapshot's SYNCED. */
const afterSnapshot = (changes: readonly Change[]): Change[] =>
  changes.slice(changes.findIndex((c) => c.type === "SYNCED") + 1);

describe("subscriptions per tenant", () => {
  it("tell each demo user only what it may read, and tell readers its changes", async () => {
    const users = [...DEMO_USERS];
    const readableBefore = new Map<User, Map<string, Set<string>>>();
    const initialPods = new Map<User, Set<string>>();
    for (const user of users) {
      const byKind = new Map<string, Set<string>>();
      for (const kind of Object.keys(LISTS)) byKind.set(kind, await listed(user, kind));
      readableBefore.set(user, byKind);
      initialPods.set(user, byKind.get("Pod")!);
    }
    // The readable sets differ by user (a test that passes for everyone reading everything proves little).
    expect(readableBefore.get("admin")!.get("Secret")!.size).toBeGreaterThan(0);
    expect(readableBefore.get("carol")!.get("Secret")!.size).toBe(0);
    expect(readableBefore.get("mallory")!.get("Pod")!.size).toBe(0);
    const adminPods = readableBefore.get("admin")!.get("Pod")!.size;
    for (const user of ["alice", "bob"] as const) {
      expect(readableBefore.get(user)!.get("Pod")!.size).toBeGreaterThan(0);
      expect(readableBefore.get(user)!.get("Pod")!.size).toBeLessThan(adminPods);
    }

    const streams = users.map((user) => ({
      user,
      pods: subscribe<Record<string, Change>>({
        url: `${fixture.base}/graphql`,
        query: POD_CHANGES,
        token: fixture.tokens.get(user)!,
      }),
      objects: subscribe<Record<string, Change>>({
        url: `${fixture.base}/graphql`,
        query: OBJECT_CHANGES,
        token: fixture.tokens.get(user)!,
      }),
    }));
    const synced = (s: Subscriber<Record<string, Change>>, field: string) =>
      s.until((events) => events.some((e) => e.data?.[field]?.type === "SYNCED"), 20_000);
    try {
      for (const s of streams)
        await Promise.all([synced(s.pods, "podChanges"), synced(s.objects, "objectChanges")]);
      // The snapshot is the user's list, object for object.
      for (const s of streams) {
        const initial = payloads(s.pods, "podChanges");
        const snapshot = initial.slice(
          0,
          initial.findIndex((c) => c.type === "SYNCED"),
        );
        expect(
          new Set(snapshot.map((c) => `${c.cluster}/${c.object!.namespaceName}/${c.object!.name}`)),
        ).toEqual(initialPods.get(s.user));
      }

      fixture.sim.churn.setRate(40);
      // Until every user who reads pods has been told a change (or the patience runs out).
      const readers = streams.filter((s) => readableBefore.get(s.user)!.get("Pod")!.size > 0);
      await eventually(
        () =>
          readers.every((s) => afterSnapshot(payloads(s.pods, "podChanges")).length > 0) &&
          readers.every((s) => afterSnapshot(payloads(s.objects, "objectChanges")).length > 0),
        20_000,
        200,
      );
      await new Promise((r) => setTimeout(r, 1000));
      fixture.sim.churn.setRate(0);
      await new Promise((r) => setTimeout(r, 1000));

      for (const s of streams) {
        // Readable = before or after the churn (a scaled Deployment's new pod may open a namespace's pair).
        const readable = new Map<string, Set<string>>();
        for (const kind of Object.keys(LISTS)) {
          const now = await listed(s.user, kind);
          readable.set(kind, namespacesOf([...readableBefore.get(s.user)!.get(kind)!, ...now]));
        }
        const pods = payloads(s.pods, "podChanges");
        const objects = payloads(s.objects, "objectChanges");
        expect(violations(pods, "pods", readable), `${s.user}'s podChanges`).toEqual([]);
        expect(violations(objects, "objects", readable), `${s.user}'s objectChanges`).toEqual([]);
        expect(s.pods.failure(), s.user).toBeUndefined();
        expect(s.objects.failure(), s.user).toBeUndefined();
        if (s.user === "mallory") {
          expect(pods.map((c) => c.type)).toEqual(["SYNCED"]);
          expect(objects.map((c) => c.type)).toEqual(["SYNCED"]);
        }
      }
    } finally {
      fixture.sim.churn.setRate(0);
      await Promise.all(streams.flatMap((s) => [s.pods.close(), s.objects.close()]));
    }
  }, 90_000);
});

describe("an RBAC change mid-stream", () => {
  it("starts the events of a namespace when a RoleBinding is added, and stops them when it is removed", async () => {
    const [changed, other] = fixture.sim.clusters.map((c) => c.name) as [string, string];
    const cluster = fixture.sim.cluster(changed);
    const podsOf = (namespace: string) =>
      cluster.store
        .all(POD_KIND, namespace)
        .filter((p) => (p.status as { phase?: string } | undefined)?.phase === "Running")
        .map((p) => p.metadata.name!);
    const grantable = podsOf(GRANTABLE);
    expect(grantable.length).toBeGreaterThan(0);
    // A namespace bob reads on this cluster: changes there show that his stream is alive.
    const control = [...namespacesOf(await listed("bob", "Pod"))]
      .filter((pair) => pair.startsWith(`${changed}/`))
      .map((pair) => pair.split("/")[1]!)[0]!;
    expect(control).toBeDefined();
    expect(await listed("bob", "Pod", GRANTABLE)).toEqual(new Set());

    const stream = subscribe<Record<string, Change>>({
      url: `${fixture.base}/graphql`,
      query: `subscription { podChanges { type id cluster object { name clusterName namespaceName } } }`,
      token: fixture.tokens.get("bob")!,
    });
    const inGrantable = () =>
      payloads(stream, "podChanges").filter((c) => c.object?.namespaceName === GRANTABLE);
    const inControl = () => payloads(stream, "podChanges").filter((c) => c.object?.namespaceName === control);
    /** Restarts a container of a running pod of `namespace` on `changed` (a pod MODIFIED). */
    let turn = 0;
    const touch = (namespace: string) => {
      const names = podsOf(namespace);
      cluster.restartContainer(namespace, names[turn++ % names.length]!);
    };
    try {
      // Registered and alive: a change bob may read arrives; one in GRANTABLE does not.
      await eventually(
        () => {
          touch(control);
          touch(GRANTABLE);
          return inControl().length > 0;
        },
        10_000,
        300,
      );
      expect(inGrantable()).toEqual([]);

      const created = await kubectl(fixture.sim.kubeconfigPath, [
        `--context=${changed}`,
        "create",
        "rolebinding",
        BINDING,
        "--clusterrole=view",
        "--user=bob",
        "-n",
        GRANTABLE,
      ]);
      expect(created.code, created.stderr).toBe(0);
      const granted = Date.now();
      // Access changes are told at once, without any pod changing: every pod bob may now read in
      // GRANTABLE arrives as ADDED, exactly those the gateway's list shows him.
      const visible = await eventually(async () => {
        const now = await listed("bob", "Pod", GRANTABLE);
        return now.size > 0 ? now : undefined;
      });
      const key = (c: Change) => `${c.cluster}/${c.object?.namespaceName}/${c.object?.name}`;
      await eventually(
        () => inGrantable().filter((c) => c.type === "ADDED").length >= visible.size,
        10_000,
        100,
      );
      expect(
        new Set(
          inGrantable()
            .filter((c) => c.type === "ADDED")
            .map(key),
        ),
      ).toEqual(visible);
      expect(Date.now() - granted).toBeLessThan(10_000);
      const addedIds = new Set(
        inGrantable()
          .filter((c) => c.type === "ADDED")
          .map((c) => c.id),
      );
      await eventually(
        () => {
          touch(GRANTABLE);
          return inGrantable().some((c) => c.type === "UPDATED");
        },
        10_000,
        200,
      );
      // Only the cluster whose RBAC changed.
      expect(inGrantable().every((c) => c.cluster === changed)).toBe(true);
      expect(inGrantable().some((c) => c.cluster === other)).toBe(false);

      const deleted = await kubectl(fixture.sim.kubeconfigPath, [
        `--context=${changed}`,
        "delete",
        "rolebinding",
        BINDING,
        "-n",
        GRANTABLE,
      ]);
      expect(deleted.code, deleted.stderr).toBe(0);
      // Once the gateway's lists no longer show the namespace, neither does the stream, and what
      // bob could see there leaves it as DELETED.
      await eventually(async () => (await listed("bob", "Pod", GRANTABLE)).size === 0, 10_000, 200);
      await eventually(
        () => {
          const deletedIds = new Set(
            payloads(stream, "podChanges")
              .filter((c) => c.type === "DELETED")
              .map((c) => c.id),
          );
          return [...addedIds].every((id) => deletedIds.has(id));
        },
        10_000,
        100,
      );
      const told = inGrantable().length;
      const controlBefore = inControl().length;
      for (let i = 0; i < 5; i++) {
        touch(GRANTABLE);
        touch(control);
        await new Promise((r) => setTimeout(r, 200));
      }
      await eventually(() => inControl().length > controlBefore, 10_000, 200);
      await new Promise((r) => setTimeout(r, 500));
      expect(inGrantable().length).toBe(told);
      expect(stream.failure()).toBeUndefined();
    } finally {
      await stream.close();
      await kubectl(fixture.sim.kubeconfigPath, [
        `--context=${changed}`,
        "delete",
        "rolebinding",
        BINDING,
        "-n",
        GRANTABLE,
        "--ignore-not-found",
      ]);
    }
  }, 60_000);
});
