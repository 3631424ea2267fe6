/**
 * A cluster without a log store: only the first cluster has one (its own `logStore`). Pod.logs
 * on a pod of the second cluster reads the API server's pods/log as the caller, and its lines
 * are what `kubectl logs --timestamps` reads from the same simulated API server (keywords as
 * substrings, paging, the previous container instance after a restart); a caller the cluster's
 * RBAC refuses pods/log gets FORBIDDEN. On the first cluster, `source: API_SERVER` forces the
 * live read. The root `logs` says the second cluster has no log store.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import { instanceFor } from "../../sim/controllers/log-lines.js";
import { PODS } from "../../sim/controllers/resources.js";
import type { GatewayConfig } from "../../src/config/index.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { logStoreSettings, startLogStore } from "../support/log-store.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import {
  codes,
  DocBook,
  entryOf,
  fleetPods,
  inOrder,
  LOGS,
  LOGS_FLEET,
  normalised,
  PAGE_FIELDS,
  rangeOf,
  type EntryPage,
} from "./logs-fixture.js";
import { fleetConfig, type GraphQLResponse } from "./server-fixture.js";
import { kubectlCanI } from "./tenant-expectations.js";

/** Where bob gets the gateway's viewer role and, from the cluster, pods but not pods/log. */
const NAMESPACE = "cart";

let store: LogStoreServer;
let fixture: AuthGateway;
const book = new DocBook();
let withStore: string;
let without: string;

beforeAll(async () => {
  store = await startLogStore();
  fixture = await startAuthGateway({
    seed: "logs-live",
    fleet: LOGS_FLEET,
    users: ["admin", "bob"],
    extraRoleBindings: [{ role: "viewer", namespace: NAMESPACE, users: ["bob"], groups: [] }],
    configFor: (sim) => {
      const [first, ...rest] = fleetConfig(sim).clusters;
      const own = logStoreSettings(store.url);
      delete own.clusterField;
      const clusters: GatewayConfig["clusters"] = [{ ...first!, logStore: own }, ...rest];
      return Promise.resolve({ clusters });
    },
  });
  [withStore, without] = fixture.sim.clusters.map((c) => c.name) as [string, string];
  const T0 = Date.now() - 10 * 60_000;
  fleetPods(fixture.sim)
    .filter((p) => p.cluster === withStore)
    .forEach((pod, i) => book.line(pod, T0 + i * 1000, `stored line of ${pod.name}`));
  await book.write(() => store.url);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  await store?.close();
});

interface LivePod {
  cluster: string;
  namespace: string;
  name: string;
  container: string;
}

function running(pod: KubeObject): boolean {
  const status = pod.status as
    { phase?: string; containerStatuses?: { state?: { running?: unknown } }[] } | undefined;
  const statuses = status?.containerStatuses ?? [];
  return status?.phase === "Running" && statuses.length > 0 && statuses.every((s) => s.state?.running);
}

/** Running single-container pods of `cluster`, the fastest-logging first. */
function livePods(cluster: string, namespace?: string): LivePod[] {
  const out: (LivePod & { cadence: number })[] = [];
  for (const pod of fixture.sim.cluster(cluster).store.all(PODS)) {
    const spec = pod.spec as { containers: { name: string; image: string }[] };
    if (spec.containers.length !== 1 || !running(pod)) continue;
    if (namespace !== undefined && pod.metadata.namespace !== namespace) continue;
    const restarts = (pod.status as { containerStatuses: { restartCount: number }[] }).containerStatuses[0]!
      .restartCount;
    const ref = {
      cluster,
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name!,
      container: spec.containers[0]!.name,
    };
    const seed = `${ref.namespace}/${ref.name}/${ref.container}/${restarts}`;
    out.push({ ...ref, cadence: instanceFor(seed, spec.containers[0]!.image, 0).intervalMs });
  }
  return out.sort((a, b) => a.cadence - b.cadence).map(({ cadence: _c, ...ref }) => ref);
}

interface Line {
  time: string;
  message: string;
}

/** `kubectl logs --timestamps` (the simulated API server's answer), times to the millisecond. */
async function kubectlLines(pod: LivePod, extra: string[] = []): Promise<Line[]> {
  const out = await kubectl(fixture.sim.kubeconfigPath, [
    `--context=${pod.cluster}`,
    "logs",
    "-n",
    pod.namespace,
    pod.name,
    "-c",
    pod.container,
    "--timestamps",
    ...extra,
  ]);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((raw) => {
      const space = raw.indexOf(" ");
      const stamp = raw.slice(0, space).replace(/(\.\d{3})\d*/, "$1");
      return { time: new Date(stamp).toISOString(), message: raw.slice(space + 1) };
    });
}

const POD_LOGS = `query PodLogs(
  $cluster: String!, $namespace: String!, $name: String!, $filter: ObjectLogFilter,
  $first: Int, $after: String, $direction: LogDirection, $source: LogSourceChoice, $previous: Boolean,
  $tailLines: Int
) {
  pod(cluster: $cluster, namespace: $namespace, name: $name) {
    logs(filter: $filter, first: $first, after: $after, direction: $direction, source: $source, previous: $previous, tailLines: $tailLines) {
      ${PAGE_FIELDS}
    }
  }
}`;

function podLogs(
  user: string,
  pod: LivePod,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<{ pod: { logs: EntryPage } | null }>> {
  return fixture.query<{ pod: { logs: EntryPage } | null }>(user, POD_LOGS, {
    cluster: pod.cluster,
    namespace: pod.namespace,
    name: pod.name,
    first: 1000,
    direction: "OLDEST_FIRST",
    ...variables,
  });
}

/** A range ending a moment ago, so no line is written inside it while the test reads. */
function settledRange(): { start: string; end: string; endMs: number } {
  const endMs = Date.now() - 300;
  return { start: new Date(endMs - 60 * 60_000).toISOString(), end: new Date(endMs).toISOString(), endMs };
}

/** What the gateway must answer from pods/log: kubectl's lines up to `endMs`. */
async function expectedLines(pod: LivePod, endMs: number, extra: string[] = []): Promise<Line[]> {
  return (await kubectlLines(pod, extra)).filter((l) => Date.parse(l.time) <= endMs);
}

const linesOf = (page: EntryPage): Line[] =>
  page.edges.map((e) => ({ time: new Date(e.node.time).toISOString(), message: e.node.message }));

describe("Pod.logs where the cluster has no log store", () => {
  let pod: LivePod;
  let range: { start: string; end: string };
  let expected: Line[];

  beforeAll(async () => {
    pod = livePods(without).find((p) => !p.namespace.startsWith("kube-"))!;
    // Enough lines to page through.
    await eventually(async () => (await kubectlLines(pod)).length >= 7, 20_000, 250);
    const settled = settledRange();
    range = { start: settled.start, end: settled.end };
    expected = await expectedLines(pod, settled.endMs);
  }, 30_000);

  it("answers from the API server: kubectl's lines, each marked API_SERVER", async () => {
    const answer = await podLogs("admin", pod, { filter: { range } });
    expect(answer.errors).toBeUndefined();
    const logs = answer.data!.pod!.logs;
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(linesOf(logs)).toEqual(expected);
    expect(logs.outcomes.map((o) => [o.clusterName, o.source, o.error])).toEqual([
      [without, "API_SERVER", null],
    ]);
    for (const e of logs.edges) {
      expect(e.node.source).toBe("API_SERVER");
      expect([e.node.clusterName, e.node.namespace, e.node.podName, e.node.container]).toEqual([
        without,
        pod.namespace,
        pod.name,
        pod.container,
      ]);
    }
    // Newest first is the same lines reversed.
    const newest = await podLogs("admin", pod, { filter: { range }, direction: "NEWEST_FIRST" });
    expect(linesOf(newest.data!.pod!.logs)).toEqual([...expected].reverse());
  });

  it("tailLines: each container's last lines, as kubectl logs --tail", async () => {
    const answer = await podLogs("admin", pod, { tailLines: 3 });
    expect(answer.errors).toBeUndefined();
    const tail = linesOf(answer.data!.pod!.logs);
    expect(tail).toHaveLength(3);
    // Read after the gateway's: lines written in between may follow, at most a few.
    const all = (await kubectlLines(pod)).map((l) => JSON.stringify(l));
    const at = all.indexOf(JSON.stringify(tail[0]));
    expect(at, JSON.stringify(tail)).toBeGreaterThanOrEqual(0);
    expect(all.slice(at, at + 3)).toEqual(tail.map((l) => JSON.stringify(l)));
    expect(all.length - (at + 3)).toBeLessThanOrEqual(3);
    // The store cannot tell a container's last lines: asking it for them is the caller's mistake.
    const refused = await podLogs("admin", pod, { tailLines: 3, source: "LOG_STORE" });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "tailLines" });
  });

  it("filters by keyword (a case-insensitive substring here)", async () => {
    const word = expected[expected.length - 1]!.message.match(/[A-Za-z]{4,}/)![0];
    const keyword = word.toUpperCase();
    const answer = await podLogs("admin", pod, { filter: { range, keywords: [keyword] } });
    expect(answer.errors).toBeUndefined();
    const matching = expected.filter((l) => l.message.toLowerCase().includes(word.toLowerCase()));
    expect(matching.length).toBeGreaterThan(0);
    expect(linesOf(answer.data!.pod!.logs)).toEqual(matching);
    expect(answer.data!.pod!.logs.totalCount).toBe(matching.length);
    const none = await podLogs("admin", pod, { filter: { range, keywords: ["no such words anywhere"] } });
    expect(linesOf(none.data!.pod!.logs)).toEqual([]);
  });

  it.each(["OLDEST_FIRST", "NEWEST_FIRST"] as const)("pages %s, two at a time", async (direction) => {
    const seen: Line[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const answer: GraphQLResponse<{ pod: { logs: EntryPage } | null }> = await podLogs("admin", pod, {
        filter: { range },
        first: 2,
        after,
        direction,
      });
      expect(answer.errors).toBeUndefined();
      const logs = answer.data!.pod!.logs;
      seen.push(...linesOf(logs));
      expect(logs.totalCount).toBe(expected.length);
      if (!logs.pageInfo.hasNextPage) break;
      expect(logs.edges).toHaveLength(2);
      after = logs.pageInfo.endCursor;
    }
    expect(seen).toEqual(direction === "OLDEST_FIRST" ? expected : [...expected].reverse());
  });

  it("previous: the instance before the last restart", async () => {
    const restarted = livePods(without).find((p) => p.name !== pod.name && !p.namespace.startsWith("kube-"))!;
    await eventually(async () => (await kubectlLines(restarted)).length >= 3, 20_000, 250);
    fixture.sim.cluster(without).restartContainer(restarted.namespace, restarted.name);
    const previous = await kubectlLines(restarted, ["--previous"]);
    expect(previous.length).toBeGreaterThanOrEqual(3);
    const answer = await podLogs("admin", restarted, { previous: true });
    expect(answer.errors).toBeUndefined();
    expect(linesOf(answer.data!.pod!.logs)).toEqual(previous);
    expect(answer.data!.pod!.logs.outcomes[0]!.source).toBe("API_SERVER");
    // The current instance is another log.
    const current = await podLogs("admin", restarted, {});
    expect(linesOf(current.data!.pod!.logs)).not.toEqual(previous);
  });

  it("FORBIDDEN for a caller the cluster refuses pods/log (pods readable)", async () => {
    // The cluster's half: pods in NAMESPACE, not pods/log (the gateway's half is the viewer binding).
    // From a file: `kubectl create role` (a protobuf body) reaches the simulator with apiGroups [null].
    const dir = await mkdtemp(join(tmpdir(), "logs-live-"));
    const file = join(dir, "role.json");
    await writeFile(
      file,
      JSON.stringify({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: "pod-reader", namespace: NAMESPACE },
        rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
      }),
    );
    const role = await kubectl(fixture.sim.kubeconfigPath, [`--context=${without}`, "create", "-f", file]);
    await rm(dir, { recursive: true, force: true });
    expect(role.code, role.stderr).toBe(0);
    const binding = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${without}`,
      "create",
      "rolebinding",
      "bob-pod-reader",
      "--role=pod-reader",
      "--user=bob",
      "-n",
      NAMESPACE,
    ]);
    expect(binding.code, binding.stderr).toBe(0);
    const bob = { user: "bob", groups: fixture.sim.user("bob").groups };
    const { kubeconfigPath } = fixture.sim;
    expect(await kubectlCanI(kubeconfigPath, without, bob, "list", "pods", NAMESPACE)).toBe(true);
    const canLog = await kubectl(kubeconfigPath, [
      `--context=${without}`,
      ...["auth", "can-i", "get", "pods", "--subresource=log", "-n", NAMESPACE, "--as=bob"],
      ...bob.groups.map((g) => `--as-group=${g}`),
    ]);
    expect(canLog.stdout.trim(), canLog.stderr).toBe("no");
    const target = livePods(without, NAMESPACE)[0]!;
    // bob sees the pod through the gateway once the RBAC change arrives.
    await eventually(
      async () => {
        const seen = await fixture.query<{ pod: { name: string } | null }>(
          "bob",
          `query ($c: String!, $n: String!, $p: String!) { pod(cluster: $c, namespace: $n, name: $p) { name } }`,
          { c: target.cluster, n: target.namespace, p: target.name },
        );
        expect(seen.data?.pod?.name).toBe(target.name);
        return true;
      },
      10_000,
      100,
    );
    const answer = await podLogs("bob", target);
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    expect(answer.errors![0]!.path).toEqual(["pod", "logs"]);
  });
});

describe("the cluster with a store", () => {
  it("source: API_SERVER forces the live read", async () => {
    const pod = livePods(withStore).find((p) => !p.namespace.startsWith("kube-"))!;
    await eventually(async () => (await kubectlLines(pod)).length >= 3, 20_000, 250);
    const settled = settledRange();
    const range = { start: settled.start, end: settled.end };
    const expected = await expectedLines(pod, settled.endMs);
    const live = await podLogs("admin", pod, { filter: { range }, source: "API_SERVER" });
    expect(live.errors).toBeUndefined();
    expect(linesOf(live.data!.pod!.logs)).toEqual(expected);
    expect(live.data!.pod!.logs.outcomes[0]!.source).toBe("API_SERVER");
    // AUTO reads the store: the line written there, not the kubelet's.
    const stored = await podLogs("admin", pod, { filter: { range: rangeOf(book.docs) } });
    expect(stored.errors).toBeUndefined();
    const logs = stored.data!.pod!.logs;
    expect(logs.edges.map((e) => normalised(e.node))).toEqual(
      inOrder(
        book.docs.filter((d) => d.pod === pod.name && d.namespace === pod.namespace),
        "OLDEST_FIRST",
      ).map(entryOf),
    );
    expect(logs.outcomes[0]!.source).toBe("LOG_STORE");
  });

  it("the root logs: the store's lines, and no log store for the other cluster", async () => {
    const answer = await fixture.query<{ logs: EntryPage }>("admin", LOGS, {
      filter: { range: rangeOf(book.docs) },
      first: 1000,
    });
    const page = answer.data!.logs;
    expect(page.edges.map((e) => normalised(e.node))).toEqual(
      inOrder(book.docs, "NEWEST_FIRST").map(entryOf),
    );
    const byCluster = new Map(page.outcomes.map((o) => [o.clusterName, o]));
    expect(byCluster.get(withStore)!.error).toBeNull();
    const missing = byCluster.get(without)!;
    expect(missing.source).toBe("LOG_STORE");
    expect(missing.error?.code).toBe("LOG_STORE_UNAVAILABLE");
    expect(missing.error?.message).toContain("no log store is configured");
    expect(missing.error?.retryable).toBe(false);
    expect((answer.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.cluster])).toEqual([
      ["LOG_STORE_UNAVAILABLE", without],
    ]);
  });
});
