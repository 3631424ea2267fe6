/**
 * Subscription.podLogs over graphql-ws (the real client) against an authenticated gateway over
 * the simulated fleet. Ground truth is kubectl reading the same log from the simulated API
 * server, and the simulator's count of the log responses it is still serving.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { Scope } from "../../src/cache/scope.js";
import type { KubeObject } from "../../src/kube/object.js";
import { OPEN_ACCESS } from "../../src/request/context.js";
import { PodLogError, PodLogs, type PodLogLine } from "../../src/subscriptions/pod-logs.js";
import { instanceFor } from "../../sim/controllers/log-lines.js";
import { PODS } from "../../sim/controllers/resources.js";
import type { SimCluster } from "../../sim/cluster.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";

const PODLOGS = `subscription Logs(
  $cluster: String!, $namespace: String!, $pod: String!, $container: String,
  $tailLines: Int, $sinceTime: DateTime, $timestamps: Boolean
) {
  podLogs(
    cluster: $cluster, namespace: $namespace, pod: $pod, container: $container,
    tailLines: $tailLines, sinceTime: $sinceTime, timestamps: $timestamps
  ) { line timestamp container partial }
}`;

interface Line {
  line: string;
  timestamp: string | null;
  container: string;
  partial: boolean;
}

interface PodRef {
  cluster: SimCluster;
  namespace: string;
  name: string;
  container: string;
}

/** bob views these namespaces (demo RBAC and gateway bindings alike). */
const BOB_NAMESPACES = ["search", "analytics"];

let f: AuthGateway;

beforeAll(async () => {
  f = await startAuthGateway({
    seed: "pod-logs",
    fleet: { clusters: 2, nodes: 2, pods: 40, churn: 0 },
    users: ["admin", "bob", "mallory"],
  });
}, 120_000);

afterAll(async () => {
  await f?.stop();
});

// Every test leaves no log response open on any cluster: closed subscriptions end their reads.
afterEach(async () => {
  await eventually(() => f.sim.clusters.every((c) => c.openStreams("log") === 0));
});

function running(pod: KubeObject): boolean {
  const status = pod.status as
    { phase?: string; containerStatuses?: { state?: { running?: unknown } }[] } | undefined;
  const statuses = status?.containerStatuses ?? [];
  return status?.phase === "Running" && statuses.length > 0 && statuses.every((s) => s.state?.running);
}

/** Running single-container pods, outside kube-*, optionally in some namespaces; a fresh list each call. */
function pods(namespaces?: readonly string[]): PodRef[] {
  const out: PodRef[] = [];
  for (const cluster of f.sim.clusters) {
    for (const pod of cluster.store.all(PODS)) {
      const namespace = pod.metadata.namespace!;
      const containers = (pod.spec as { containers?: { name: string }[] }).containers ?? [];
      if (namespace.startsWith("kube-") || containers.length !== 1 || !running(pod)) continue;
      if (namespaces && !namespaces.includes(namespace)) continue;
      out.push({ cluster, namespace, name: pod.metadata.name!, container: containers[0]!.name });
    }
  }
  return out;
}

/** The simulated kubelet's cadence for a pod's container: milliseconds between its lines. */
function cadenceOf(pod: PodRef): number {
  const object = pod.cluster.store.get(PODS, pod.namespace, pod.name)!;
  const image = (object.spec as { containers: { image: string }[] }).containers[0]!.image;
  const restarts = (object.status as { containerStatuses: { restartCount: number }[] }).containerStatuses[0]!
    .restartCount;
  return instanceFor(`${pod.namespace}/${pod.name}/${pod.container}/${restarts}`, image, 0).intervalMs;
}

/** A pod no other test uses: each test takes its own (deletion and open-stream counts stay apart). */
const taken = new Set<string>();
function freshPod(namespaces?: readonly string[], not?: readonly string[], fastest = false): PodRef {
  const free = pods(namespaces).filter(
    (p) => !taken.has(`${p.cluster.name}/${p.namespace}/${p.name}`) && !not?.includes(p.namespace),
  );
  if (fastest) free.sort((a, b) => cadenceOf(a) - cadenceOf(b));
  const pod = free[0];
  if (!pod) throw new Error(`no free running pod in ${namespaces?.join(", ") ?? "the fleet"}`);
  taken.add(`${pod.cluster.name}/${pod.namespace}/${pod.name}`);
  return pod;
}

function follow(
  user: string,
  pod: PodRef,
  extra: Record<string, unknown> = {},
): Subscriber<{ podLogs: Line }> {
  return subscribe<{ podLogs: Line }>({
    url: `${f.base}/graphql`,
    token: f.tokens.get(user)!,
    query: PODLOGS,
    variables: { cluster: pod.cluster.name, namespace: pod.namespace, pod: pod.name, ...extra },
  });
}

const lines = (s: Subscriber<{ podLogs: Line }>): Line[] =>
  s.events.flatMap((e) => (e.data?.podLogs ? [e.data.podLogs] : []));

/** The operation's errors, whether sent in a `next` payload (execution) or as `error`. */
async function refusal(s: Subscriber<{ podLogs: Line }>): Promise<{ code: string; message: string }> {
  const errors = await eventually(() => {
    const failure = s.failure() as readonly { message: string; extensions?: { code?: string } }[] | undefined;
    return failure ?? s.events.find((e) => e.errors)?.errors;
  });
  return { code: String(errors[0]!.extensions?.code), message: errors[0]!.message };
}

/** kubectl's own read of the log (no follow): the simulated API server's answer. */
async function kubectlLogs(pod: PodRef, args: string[]): Promise<string[]> {
  const out = await kubectl(f.sim.kubeconfigPath, [
    `--context=${pod.cluster.name}`,
    "logs",
    "-n",
    pod.namespace,
    pod.name,
    "-c",
    pod.container,
    ...args,
  ]);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout.split("\n").filter((l) => l !== "");
}

/**
 * Subscribes between two identical kubectl reads, until both agree (no line was written in
 * between): the subscription's first lines must then be exactly what kubectl read.
 */
async function betweenReads(
  pod: PodRef,
  kubectlArgs: string[],
  variables: Record<string, unknown>,
): Promise<{ expected: string[]; s: Subscriber<{ podLogs: Line }> }> {
  for (let attempt = 0; ; attempt++) {
    const before = await kubectlLogs(pod, kubectlArgs);
    const s = follow("admin", pod, variables);
    await s.until((events) => events.length >= 1);
    const after = await kubectlLogs(pod, kubectlArgs);
    if (JSON.stringify(before) === JSON.stringify(after) || attempt === 3) return { expected: after, s };
    await s.close();
  }
}

/** "2026-01-01T10:00:00.123456789Z text" -> [ISO to the millisecond, text]. */
function splitStamped(raw: string): [string, string] {
  const space = raw.indexOf(" ");
  const stamp = raw.slice(0, space);
  return [new Date(stamp.replace(/(\.\d{3})\d*/, "$1")).toISOString(), raw.slice(space + 1)];
}

describe("podLogs", () => {
  it("starts with the last tailLines lines, stamped as kubectl shows them, then follows new ones", async () => {
    const pod = freshPod();
    const { expected, s } = await betweenReads(pod, ["--tail=2", "--timestamps"], {
      tailLines: 2,
      timestamps: true,
    });
    try {
      await s.until((events) => events.length >= 5, 10_000);
      const got = lines(s);
      expect(expected).toHaveLength(2);
      expect(got.slice(0, 2).map((l) => [l.timestamp, l.line])).toEqual(expected.map(splitStamped));
      expect(got.every((l) => l.container === pod.container && !l.partial)).toBe(true);
      // Followed lines come after the history, in order, each with its time parsed off.
      const times = got.map((l) => Date.parse(l.timestamp!));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
      expect(got.slice(2).every((l) => !/^\d{4}-\d{2}-\d{2}T/.test(l.line))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it("without timestamps serves the lines as written and a null timestamp; tailLines 0 gives only new lines", async () => {
    const pod = freshPod();
    const { expected, s } = await betweenReads(pod, ["--tail=3"], { tailLines: 3 });
    const fresh = follow("admin", pod, { tailLines: 0, timestamps: true });
    const opened = Date.now();
    try {
      await s.until((events) => events.length >= 3);
      expect(
        lines(s)
          .slice(0, 3)
          .map((l) => l.line),
      ).toEqual(expected);
      expect(lines(s).every((l) => l.timestamp === null)).toBe(true);
      await fresh.until((events) => events.length >= 2);
      // No history: every line was written after the subscription opened (the simulator's
      // followed lines are stamped when written).
      for (const l of lines(fresh)) expect(Date.parse(l.timestamp!)).toBeGreaterThanOrEqual(opened - 1000);
    } finally {
      await s.close();
      await fresh.close();
    }
  });

  it("sinceTime starts at that second, as kubectl --since-time does", async () => {
    const pod = freshPod(undefined, undefined, true);
    // A history over three seconds at least (a line every 1-5 s after the start-up lines).
    const seconds = (log: string[]) => new Set(log.map((l) => l.slice(0, 19)));
    const all = await eventually(
      async () => {
        const log = await kubectlLogs(pod, ["--timestamps"]);
        return seconds(log).size >= 3 ? log : undefined;
      },
      30_000,
      1000,
    );
    // A cut-off at the second of the last line but one, as kubectl sends it (no fraction).
    const middle = splitStamped(all.at(-2)!)[0];
    const since = new Date(Math.floor(Date.parse(middle) / 1000) * 1000).toISOString().replace(".000", "");
    const { expected, s } = await betweenReads(pod, ["--timestamps", `--since-time=${since}`], {
      sinceTime: since,
      timestamps: true,
    });
    try {
      await s.until((events) => events.length >= expected.length + 1);
      // Lines of earlier seconds were left out, and the cut-off's own second kept.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      const got = lines(s);
      expect(got.slice(0, expected.length).map((l) => [l.timestamp, l.line])).toEqual(
        expected.map(splitStamped),
      );
      for (const l of got) expect(Date.parse(l.timestamp!)).toBeGreaterThanOrEqual(Date.parse(since));
    } finally {
      await s.close();
    }
    // A sinceTime ahead: nothing of the history, and followed lines only from that second on.
    const ahead = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    const later = follow("admin", pod, { sinceTime: ahead.toISOString(), timestamps: true });
    try {
      await later.until((events) => events.length >= 2);
      for (const l of lines(later)) expect(Date.parse(l.timestamp!)).toBeGreaterThanOrEqual(ahead.getTime());
    } finally {
      await later.close();
    }
  });

  it("completes when the pod is deleted, and the API server's stream is gone", async () => {
    const pod = freshPod();
    const s = follow("admin", pod, { tailLines: 1 });
    try {
      await s.until((events) => events.length >= 2);
      expect(pod.cluster.openStreams("log")).toBe(1);
      const deleted = await kubectl(f.sim.kubeconfigPath, [
        `--context=${pod.cluster.name}`,
        "delete",
        "pod",
        "-n",
        pod.namespace,
        pod.name,
        "--wait=false",
      ]);
      expect(deleted.code, deleted.stderr).toBe(0);
      const started = performance.now();
      await s.whenCompleted(5_000);
      console.log(
        `podLogs: completed ${Math.round(performance.now() - started)} ms after the pod's deletion`,
      );
      expect(s.failure()).toBeUndefined();
      expect(s.events.every((e) => !e.errors)).toBe(true);
      await eventually(() => pod.cluster.openStreams("log") === 0);
      await eventually(() => f.gateway.subscriptionStats().podLogs.streams === 0);
    } finally {
      await s.close();
    }
  });

  it("completes when the container restarts (the stream followed the instance that stopped)", async () => {
    const pod = freshPod();
    const s = follow("admin", pod, { tailLines: 0 });
    try {
      await s.until((events) => events.length >= 1);
      pod.cluster.restartContainer(pod.namespace, pod.name, pod.container);
      await s.whenCompleted(5_000);
      expect(s.failure()).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it("closing the subscription ends the upstream request", async () => {
    const pod = freshPod();
    const s = follow("admin", pod, { tailLines: 1 });
    await s.until((events) => events.length >= 2);
    expect(pod.cluster.openStreams("log")).toBe(1);
    expect(f.gateway.subscriptionStats().podLogs.streams).toBe(1);
    const started = performance.now();
    await s.close();
    await eventually(() => pod.cluster.openStreams("log") === 0, 5_000, 5);
    console.log(
      `podLogs: upstream closed ${Math.round(performance.now() - started)} ms after the client closed`,
    );
    await eventually(() => f.gateway.subscriptionStats().podLogs.streams === 0);
  });

  it("is read as the subscriber: bob follows a pod of his namespaces and is refused others; mallory learns of no cluster", async () => {
    const own = freshPod(BOB_NAMESPACES);
    const allowed = follow("bob", own, { tailLines: 1 });
    try {
      await allowed.until((events) => events.length >= 2);
      expect(lines(allowed)[0]!.container).toBe(own.container);
    } finally {
      await allowed.close();
    }

    const other = freshPod(undefined, BOB_NAMESPACES);
    for (const user of ["bob", "mallory"]) {
      const denied = follow(user, other);
      try {
        const error = await refusal(denied);
        if (user === "bob") {
          expect(error.code, error.message).toBe("FORBIDDEN");
          expect(error.message).toContain(`pod "${other.name}" in namespace "${other.namespace}"`);
        } else {
          // mallory may read nothing of the cluster: it is answered as if it did not exist.
          expect(error.code, error.message).toBe("BAD_USER_INPUT");
          expect(error.message).toContain(`no cluster named "${other.cluster.name}"`);
          expect(error.message).toContain("clusters you may read: none");
        }
        expect(lines(denied)).toEqual([]);
        // Refused before any request left the gateway.
        expect(other.cluster.openStreams("log")).toBe(0);
      } finally {
        await denied.close();
      }
    }
  });

  it("answers the API server's 403 for the impersonated caller with FORBIDDEN", async () => {
    // The gateway's own access is bypassed here (OPEN_ACCESS): the cluster's RBAC must refuse.
    const service = new PodLogs(f.gateway.registry, { maxQueuedLines: 10 });
    const pod = freshPod();
    const error = await service
      .follow(
        { cluster: pod.cluster.name, namespace: pod.namespace, pod: pod.name, container: pod.container },
        {
          subject: { user: "mallory", groups: [], source: "oidc" },
          access: OPEN_ACCESS,
          scope: Scope.everything(),
        },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(PodLogError);
    expect((error as PodLogError).extensions.code).toBe("FORBIDDEN");
    expect((error as PodLogError).message).toContain('user "mallory" may not get pods/log');
  });

  it("names what is wrong: unknown cluster or pod, bad names, a container the pod lacks", async () => {
    const pod = freshPod();
    const ask = async (variables: Record<string, unknown>) => {
      const s = subscribe<{ podLogs: Line }>({
        url: `${f.base}/graphql`,
        token: f.tokens.get("admin")!,
        query: PODLOGS,
        variables: { cluster: pod.cluster.name, namespace: pod.namespace, pod: pod.name, ...variables },
      });
      try {
        return await refusal(s);
      } finally {
        await s.close();
      }
    };
    const cluster = await ask({ cluster: "atlantis" });
    expect(cluster.code).toBe("BAD_USER_INPUT");
    expect(cluster.message).toContain(`"${f.sim.clusters[0]!.name}"`);
    const missing = await ask({ pod: "no-such-pod" });
    expect(missing).toMatchObject({ code: "NOT_FOUND" });
    expect(missing.message).toContain('pod "no-such-pod"');
    expect((await ask({ pod: "Not_A_Name" })).code).toBe("BAD_USER_INPUT");
    expect((await ask({ namespace: "../kube-system" })).code).toBe("BAD_USER_INPUT");
    expect((await ask({ tailLines: -1 })).code).toBe("BAD_USER_INPUT");
    const container = await ask({ container: "sidecar" });
    expect(container.code).toBe("BAD_USER_INPUT");
    expect(container.message).toContain("container sidecar is not valid");
    expect(pod.cluster.openStreams("log")).toBe(0);
  });

  it("without a container picks kubectl's: the annotated default, else asks for one", async () => {
    const cluster = f.sim.clusters[0]!;
    const dir = await mkdtemp(join(tmpdir(), "pod-logs-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const manifest = join(dir, "pod.json");
    const apply = async (annotations: Record<string, string>) => {
      await writeFile(
        manifest,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "two-containers", namespace: "default", annotations },
          spec: {
            containers: [
              { name: "web", image: "nginx:1.27" },
              { name: "worker", image: "ghcr.io/acme/worker:1.0" },
            ],
          },
        }),
      );
      const out = await kubectl(f.sim.kubeconfigPath, [`--context=${cluster.name}`, "apply", "-f", manifest]);
      expect(out.code, out.stderr).toBe(0);
    };
    await apply({});
    const pod: PodRef = { cluster, namespace: "default", name: "two-containers", container: "" };
    await eventually(() => running(cluster.store.get(PODS, "default", "two-containers")!));
    const ambiguous = follow("admin", pod);
    try {
      const error = await refusal(ambiguous);
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain('has 2 containers: name one with "container" ("web", "worker")');
    } finally {
      await ambiguous.close();
    }
    await apply({ "kubectl.kubernetes.io/default-container": "worker" });
    const picked = follow("admin", pod, { tailLines: 1 });
    try {
      await picked.until((events) => events.length >= 1);
      expect(lines(picked)[0]!.container).toBe("worker");
    } finally {
      await picked.close();
    }
  });

  it("holds a slow reader's backlog at its bound by pausing the upstream, and loses no line", async () => {
    const service = new PodLogs(f.gateway.registry, { maxQueuedLines: 2 });
    const pod = freshPod();
    const all = await kubectlLogs(pod, []);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const stream = await service.follow(
      { cluster: pod.cluster.name, namespace: pod.namespace, pod: pod.name },
      {
        subject: { user: "admin", groups: ["system:masters"], source: "oidc" },
        access: OPEN_ACCESS,
        scope: Scope.everything(),
      },
    );
    try {
      await eventually(() => service.stats().paused === 1);
      // Paused with the history's one chunk read; followed lines (every 200 ms) wait upstream.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const held = service.stats();
      expect(held).toMatchObject({ streams: 1, paused: 1 });
      expect(held.queued).toBeLessThanOrEqual(all.length + 1);
      const read: PodLogLine[] = [];
      while (read.length < all.length + 3) read.push((await stream.next()).value as PodLogLine);
      // Reading on resumed it: the history whole and in order, then the followed lines.
      expect(read.slice(0, all.length).map((l) => l.line)).toEqual(all);
    } finally {
      await stream.return?.();
    }
    await eventually(() => pod.cluster.openStreams("log") === 0);
    expect(service.stats().streams).toBe(0);
  });
});

describe("the simulated API server's sinceTime", () => {
  /** A raw GET of the first cluster's API as admin, as the real API server would answer it. */
  const get = (path: string): Promise<{ status: number; body: string }> => {
    const cluster = f.sim.clusters[0]!;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${cluster.url}${path}`,
        { ca: cluster.tls!.caPem, headers: { authorization: `Bearer ${f.sim.user("admin").token}` } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  };

  it("refuses it beside sinceSeconds (422 Invalid) and when it is not RFC 3339 (400)", async () => {
    const pod = pods().find((p) => p.cluster === f.sim.clusters[0])!;
    const base = `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/log?container=${pod.container}`;
    const both = await get(`${base}&sinceSeconds=10&sinceTime=2026-01-01T00:00:00Z`);
    expect(both.status).toBe(422);
    expect(JSON.parse(both.body)).toMatchObject({
      reason: "Invalid",
      message: `PodLogOptions "${pod.name}" is invalid: : Forbidden: at most one of \`sinceTime\` or \`sinceSeconds\` may be specified`,
    });
    const malformed = await get(`${base}&sinceTime=yesterday`);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ reason: "BadRequest" });
    expect((await get(`${base}&sinceTime=2026-02-30T00:00:00Z`)).status).toBe(400);
    // In the future: no lines yet.
    const future = await get(`${base}&sinceTime=${encodeURIComponent("2999-01-01T00:00:00+02:00")}`);
    expect(future).toEqual({ status: 200, body: "" });
  });
});
