/**
 * Metrics stay inside each demo user's Scope, with authentication on and a real Prometheus behind
 * a recording proxy. For every demo user (src/demo-identity/role-bindings.ts; what each may read
 * is DEMO_GRANTS in tenant-expectations.ts): cluster and node numbers only for who reads every
 * pod and the nodes (FORBIDDEN and null otherwise); a list ordered by CPU holds only their
 * workloads, and every PromQL query it sent selects only namespaces they may read; raw PromQL for
 * platform admins alone; a workspace's numbers are Prometheus's over exactly the namespaces of it
 * they may read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrometheusRecorder, type PrometheusRecorder } from "../support/prometheus-recorder.js";
import type { RunningPrometheus } from "../support/prometheus.js";
import { DEMO_USERS, startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import {
  aggregateQuery,
  expectSameNumber,
  matcher,
  onlyValue,
  WORKSPACE_USAGE,
} from "./metrics-expectations.js";
import { atKnownSecond, prometheusSettings, startFleetPrometheus } from "./metrics-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";
import {
  DEMO_GRANTS,
  kubectlCanI,
  podNamespacesReadable,
  type ClusterNamespace,
} from "./tenant-expectations.js";

type User = (typeof DEMO_USERS)[number];

let fixture: AuthGateway;
let prometheus: RunningPrometheus | undefined;
let recorder: PrometheusRecorder | undefined;
/** "cluster/namespace" -> the namespace (with its labels), as admin lists them. */
const namespaces = new Map<string, ClusterNamespace & { cluster: string; workspace: string | null }>();
/** Per user: the namespaces whose pods it may read ("cluster/namespace"), the clusters whose nodes. */
const access = new Map<User, { pods: Set<string>; nodes: Set<string> }>();

beforeAll(async () => {
  fixture = await startAuthGateway({
    seed: "metrics-tenancy",
    fleet: { clusters: 2 },
    configFor: async (sim) => {
      prometheus = await startFleetPrometheus(sim);
      recorder = await startPrometheusRecorder(prometheus.url);
      return { metrics: { prometheus: prometheusSettings(recorder.url) } };
    },
  });
  const listed = await fixture.query<{
    namespaces: {
      nodes: {
        name: string;
        clusterName: string;
        workspaceName: string | null;
        labels: { key: string; value: string }[];
      }[];
    };
  }>("admin", `{ namespaces(first: 200) { nodes { name clusterName workspaceName labels { key value } } } }`);
  for (const n of listed.data!.namespaces.nodes)
    namespaces.set(`${n.clusterName}/${n.name}`, {
      name: n.name,
      cluster: n.clusterName,
      workspace: n.workspaceName,
      labels: Object.fromEntries(n.labels.map((l) => [l.key, l.value])),
    });
  for (const user of DEMO_USERS) access.set(user, await accessOf(user));
}, 120_000);

/**
 * What `user` may read, as the gateway must decide it: its gateway grant (DEMO_GRANTS) and the
 * cluster's RBAC both — `kubectl auth can-i` as the user, cluster-wide first, then per namespace.
 */
async function accessOf(user: User): Promise<{ pods: Set<string>; nodes: Set<string> }> {
  const who = { user, groups: fixture.sim.user(user).groups };
  const { kubeconfigPath } = fixture.sim;
  const nodes = new Set<string>();
  for (const cluster of fixture.sim.clusters.map((c) => c.name))
    if (
      DEMO_GRANTS[user]!("Node", undefined) &&
      (await kubectlCanI(kubeconfigPath, cluster, who, "list", "nodes"))
    )
      nodes.add(cluster);
  const pods = await podNamespacesReadable(kubeconfigPath, user, who, namespaces.values());
  return { pods, nodes };
}

afterAll(async () => {
  await fixture?.stop();
  await recorder?.close();
  await prometheus?.stop();
});

/** The namespaces whose pods `user` may read, as "cluster/namespace". */
const readable = (user: User): Set<string> => access.get(user)!.pods;

/** Whether `user` reads every namespace's pods and every cluster's nodes: what cluster-wide numbers need. */
const clusterWide = (user: User) =>
  readable(user).size === namespaces.size && access.get(user)!.nodes.size === fixture.sim.clusters.length;

/** The answer and the PromQL the proxy saw while it was made. */
async function recorded<D>(user: User, document: string, variables?: Record<string, unknown>) {
  const before = recorder!.queries.length;
  const answer = await fixture.query<D>(user, document, variables);
  return { answer, queries: recorder!.queries.slice(before).map((q) => q.params) };
}

const forbiddenAt = (answer: GraphQLResponse, path: (string | number)[]) =>
  (answer.errors ?? []).some(
    (e) => e.extensions?.code === "FORBIDDEN" && JSON.stringify(e.path) === JSON.stringify(path),
  );

describe.each(DEMO_USERS)("%s", (user) => {
  it("gets cluster and node numbers only with every pod and the nodes in reach", async () => {
    type Answer = {
      clusters: { nodes: { name: string; usage: Record<string, number | null> | null }[] };
      clusterNodes: { nodes: { name: string; usage: Record<string, number | null> | null }[] };
    };
    const { answer, queries } = await recorded<Answer>(
      user,
      `{ clusters { nodes { name usage { cpuUsage podCount } } }
         clusterNodes(first: 20) { nodes { name usage { cpuUsage podCount } } } }`,
    );
    expect(answer.status).toBe(200);
    const { clusters, clusterNodes } = answer.data!;
    if (clusterWide(user)) {
      expect(answer.errors).toBeUndefined();
      expect(clusters.nodes.length).toBeGreaterThan(0);
      expect(clusterNodes.nodes.length).toBeGreaterThan(0);
      for (const o of [...clusters.nodes, ...clusterNodes.nodes])
        expect(
          Object.values(o.usage!).every((v) => v !== null),
          o.name,
        ).toBe(true);
      return;
    }
    clusters.nodes.forEach((c, i) => {
      expect(c.usage, c.name).toBeNull();
      expect(forbiddenAt(answer, ["clusters", "nodes", i, "usage"]), c.name).toBe(true);
    });
    clusterNodes.nodes.forEach((n, i) => {
      expect(n.usage, n.name).toBeNull();
      expect(forbiddenAt(answer, ["clusterNodes", "nodes", i, "usage"]), n.name).toBe(true);
    });
    expect(queries).toEqual([]);
  });

  it("orders by CPU only its own workloads, asking Prometheus only about its namespaces", async () => {
    type Listed = {
      workloads: {
        nodes: {
          clusterName: string;
          namespaceName: string;
          name: string;
          usage: { cpuUsage: number | null };
        }[];
      };
    };
    const list = (order: string) =>
      recorded<Listed>(
        user,
        `{ workloads(first: 100${order}) { nodes { clusterName namespaceName name usage { cpuUsage } } } }`,
      );
    const { answer, queries } = await list(", orderBy: { metric: CPU_USAGE, direction: DESC }");
    const { answer: plain } = await list("");
    expect(answer.errors).toBeUndefined();
    const mine = readable(user);
    const workloads = answer.data!.workloads.nodes;
    for (const w of workloads)
      expect(mine, `${w.clusterName}/${w.namespaceName}/${w.name}`).toContain(
        `${w.clusterName}/${w.namespaceName}`,
      );
    const keys = (a: GraphQLResponse<Listed>) =>
      a.data!.workloads.nodes.map((w) => `${w.clusterName}/${w.namespaceName}/${w.name}`).sort();
    expect(keys(answer)).toEqual(keys(plain));
    if (mine.size === 0) {
      expect(workloads).toEqual([]);
      expect(queries).toEqual([]);
      return;
    }
    expect(workloads.some((w) => w.usage.cpuUsage !== null)).toBe(true);
    expect(queries.length).toBeGreaterThan(0);
    // Each query, asked again of Prometheus at the same second, reads only the user's namespaces.
    for (const q of queries) {
      if (mine.size < namespaces.size) expect(q.query, "restricted by namespace").toMatch(/namespace=~?"/);
      const samples = await prometheus!.query(q.query!, Number(q.time));
      expect(samples.length, q.query).toBeGreaterThan(0);
      // A shared Prometheus's answers are aggregated by its cluster label, so every sample names its cluster.
      for (const s of samples) expect(mine, q.query).toContain(`${s.metric.cluster}/${s.metric.namespace}`);
    }
  });

  it("may send raw PromQL only as a platform admin", async () => {
    const { answer, queries } = await recorded<{
      promQuery: { resultType: string; result: unknown[] } | null;
    }>(
      user,
      `query Raw($cluster: String!) { promQuery(cluster: $cluster, query: "up") { resultType result } }`,
      { cluster: fixture.sim.clusters[0]!.name },
    );
    if (user === "admin") {
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.promQuery!.resultType).toBe("vector");
      expect(answer.data!.promQuery!.result.length).toBeGreaterThan(0);
      expect(queries).toHaveLength(1);
      return;
    }
    expect(answer.data!.promQuery).toBeNull();
    expect(answer.errors!.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(queries).toEqual([]);
  });

  it("sums a workspace over exactly the namespaces of it the user may read", async () => {
    type Workspaces = {
      workspaces: { nodes: { name: string; usage: Record<string, number | null> | null }[] };
    };
    const fields = ["cpuUsage", "memoryWorkingSet", "podCount"] as const;
    const { answer, time } = await atKnownSecond(prometheus!, () =>
      fixture.query<Workspaces>(user, `{ workspaces { nodes { name usage { ${fields.join(" ")} } } } }`),
    );
    expect(answer.errors).toBeUndefined();
    const mine = readable(user);
    const listed = answer.data!.workspaces.nodes;
    if (mine.size === 0) expect(listed).toEqual([]);
    for (const ws of listed) {
      const members = [...namespaces.values()].filter((ns) => ns.workspace === ws.name);
      const inReach = members.filter((ns) => mine.has(`${ns.cluster}/${ns.name}`));
      expect(inReach.length, ws.name).toBeGreaterThan(0);
      for (const field of fields) {
        const expected = await sumOver(inReach, field, time);
        expectSameNumber(ws.usage![field], expected, `${user}'s ${ws.name} ${field}`);
        // Where the workspace has namespaces out of the user's reach, that difference shows.
        if (inReach.length < members.length && field === "podCount")
          expect(await sumOver(members, field, time)).toBeGreaterThan(expected ?? 0);
      }
    }
  });
});

/** A field summed over `within`, per cluster as Prometheus answers it at `time`; null without data. */
async function sumOver(
  within: { cluster: string; name: string }[],
  field: string,
  time: number,
): Promise<number | null> {
  const byCluster = new Map<string, string[]>();
  for (const ns of within) byCluster.set(ns.cluster, [...(byCluster.get(ns.cluster) ?? []), ns.name]);
  let total: number | null = null;
  for (const [cluster, names] of byCluster) {
    const promql = aggregateQuery(
      WORKSPACE_USAGE[field]!,
      `${matcher("cluster", [cluster])},${matcher("namespace", names)}`,
    );
    const value = onlyValue(await prometheus!.query(promql, time), promql);
    if (value !== null) total = (total ?? 0) + value;
  }
  return total;
}
