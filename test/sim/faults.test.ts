/**
 * Every fault, switched through the admin endpoint and observed by a real client the way it
 * would observe a misbehaving real cluster.
 */
import { readFileSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, Watch } from "@kubernetes/client-node";
import { NO_FAULTS } from "../../sim/faults/fault-state.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import type { FleetFile } from "../../sim/kubeconfig.js";
import { eventually } from "../support/eventually.js";
import { kubeConfigFor, networkCode, readFleetFile } from "./fleet-clients.js";

let fleet: SimFleet;
let file: FleetFile;
let name: string;
let core: CoreV1Api;

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fleet.adminUrl}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "Content-Type": "application/json" },
        }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** [namespace, name] of a running pod of `cluster`. */
function runningPod(cluster: SimFleet["clusters"][number]): [string, string] {
  const pod = cluster.store
    .all(findResource("", "pods")!)
    .find((p) => (p.status as { phase?: string } | undefined)?.phase === "Running")!;
  return [pod.metadata.namespace!, pod.metadata.name!];
}

const NONE = NO_FAULTS;

/** A GET read to its end or its cut: the bytes that arrived and whether the body was complete. */
function rawGet(
  url: string,
): Promise<{ bytes: number; complete: boolean; contentLength: string | undefined }> {
  const token = fleet.user("admin").token;
  return new Promise((resolve, reject) => {
    const req = httpsGet(
      url,
      { ca: fleet.cluster(name).tls!.caPem, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("error", () => undefined);
        res.on("close", () =>
          resolve({ bytes, complete: res.complete, contentLength: res.headers["content-length"] }),
        );
      },
    );
    req.on("error", reject);
  });
}

/** The events of one watch from `resourceVersion`, until the server ends it. */
async function watchEvents(path: string, resourceVersion: string) {
  const events: { type: string; object: Record<string, unknown> }[] = [];
  let done = false;
  await new Watch(kubeConfigFor(file, name, "admin")).watch(
    path,
    { resourceVersion },
    (type: string, object: Record<string, unknown>) => events.push({ type, object }),
    () => (done = true),
  );
  await eventually(() => done);
  return events;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: "faults-test" });
  file = readFleetFile(fleet.fleetFilePath);
  name = fleet.clusters[0]!.name;
  core = kubeConfigFor(file, name, "admin").makeApiClient(CoreV1Api);
});

afterEach(async () => {
  for (const c of fleet.clusters) {
    c.faults.reset();
    await c.comeBack();
  }
});

afterAll(async () => {
  await fleet?.stop();
});

describe("the admin endpoint", () => {
  it("is advertised in the fleet file and lists the clusters with their state", async () => {
    expect(file.admin).toBe(fleet.adminUrl);
    const { status, body } = await admin("GET", "/clusters");
    expect(status).toBe(200);
    const clusters = body.clusters as { name: string; state: string; server: string; pods: number }[];
    expect(clusters.map((c) => c.name)).toEqual(fleet.clusters.map((c) => c.name));
    expect(clusters.every((c) => c.state === "up" && c.pods >= 30)).toBe(true);
  });

  it("counts the resource requests each API server received, by verb (probes and discovery aside)", async () => {
    const requests = async (): Promise<Record<string, number>> =>
      (await admin("GET", `/clusters/${name}`)).body.requests as Record<string, number>;
    const before = await requests();
    await core.listPodForAllNamespaces({ limit: 1 });
    await core.listNamespace();
    const [namespace, pod] = runningPod(fleet.cluster(name));
    await core.readNamespacedPod({ namespace, name: pod });
    await rawGet(`${fleet.cluster(name).url}/readyz`);
    const after = await requests();
    expect((after.list ?? 0) - (before.list ?? 0)).toBe(2);
    expect((after.get ?? 0) - (before.get ?? 0)).toBe(1);
  });

  it("answers unknown clusters with 404 and bad bodies with 400, naming the problem", async () => {
    const missing = await admin("GET", "/clusters/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('no cluster named "nope"');
    const notJson = await admin("PATCH", `/clusters/${name}/faults`, "{latency");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain("not valid JSON");
    const badRate = await admin("PATCH", `/clusters/${name}/faults`, { errorRate: 2 });
    expect(badRate.status).toBe(400);
    expect(badRate.body.error).toContain("errorRate must be a number between 0 and 1");
    const unknown = await admin("PUT", `/clusters/${name}/faults`, { latency: 5 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('unknown fault field "latency"');
    const wrongMethod = await fetch(`${fleet.adminUrl}/clusters/${name}/down`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });

  it("crash-loops a pod and makes a node not ready on request, refusing what does not exist", async () => {
    const cluster = fleet.clusters[0]!;
    const [namespace, pod] = runningPod(cluster);
    const crash = `/clusters/${name}/pods/${namespace}/${pod}/crash-loop`;
    const started = await admin("PUT", crash, { intervalMs: 60_000 });
    expect(started.status).toBe(200);
    expect(started.body.crashLooping).toEqual([expect.stringMatching(new RegExp(`^${namespace}/${pod}/`))]);
    const waiting = await core.readNamespacedPod({ name: pod, namespace });
    expect(waiting.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("CrashLoopBackOff");
    const fixed = await admin("DELETE", crash);
    expect(fixed.body).toMatchObject({ fixed: true, crashLooping: [] });
    const running = await core.readNamespacedPod({ name: pod, namespace });
    expect(running.status?.containerStatuses?.[0]?.state?.running).toBeDefined();

    const missingPod = await admin("PUT", `/clusters/${name}/pods/${namespace}/nope/crash-loop`);
    expect(missingPod.status).toBe(404);
    const badInterval = await admin("PUT", crash, { intervalMs: 1 });
    expect(badInterval.status).toBe(400);
    expect(badInterval.body.error).toContain("intervalMs must be");
    const wrongMethod = await fetch(`${fleet.adminUrl}${crash}`, { method: "POST" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("PUT, DELETE");

    const node = cluster.store.all(findResource("", "nodes")!)[0]!.metadata.name!;
    const notReady = await admin("PUT", `/clusters/${name}/nodes/${node}/not-ready`);
    expect(notReady.body).toMatchObject({ node, ready: false });
    const read = await core.readNode({ name: node });
    expect(read.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");
    expect((await admin("DELETE", `/clusters/${name}/nodes/${node}/not-ready`)).body).toMatchObject({
      ready: true,
    });
    expect((await admin("PUT", `/clusters/${name}/nodes/nope/not-ready`)).status).toBe(404);
  });

  it("tells when each recent revision was committed, with what it changed", async () => {
    const cluster = fleet.clusters[0]!;
    const from = cluster.store.revision;
    const before = performance.timeOrigin + performance.now();
    cluster.restartContainer(...runningPod(cluster));
    const { status, body } = await admin("GET", `/clusters/${name}/commits?from=${from}&resource=pods`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ cluster: name, from, to: cluster.store.revision });
    const commits = body.commits as { revision: number; at: number; type: string; resource: string }[];
    // The restart's own write is the first; a controller may have written since.
    expect(commits[0]).toMatchObject({ revision: from + 1, type: "MODIFIED", resource: "pods" });
    expect(commits[0]!.at).toBeGreaterThanOrEqual(before);
    const bad = await admin("GET", `/clusters/${name}/commits?from=-1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("from must be a non-negative integer");
  });

  it("merges on PATCH, replaces on PUT and resets on DELETE", async () => {
    await admin("PATCH", `/clusters/${name}/faults`, { latencyMs: 5 });
    const merged = await admin("PATCH", `/clusters/${name}/faults`, { errorRate: 0.5, errorCode: 503 });
    expect(merged.body.faults).toEqual({ ...NONE, latencyMs: 5, errorRate: 0.5, errorCode: 503 });
    const replaced = await admin("PUT", `/clusters/${name}/faults`, { slowBodyMs: 7 });
    expect(replaced.body.faults).toEqual({ ...NONE, slowBodyMs: 7 });
    const reset = await admin("DELETE", `/clusters/${name}/faults`);
    expect(reset.body.faults).toEqual(NONE);
    const bad = await admin("PATCH", `/clusters/${name}/faults`, { retryAfterSeconds: 1.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("retryAfterSeconds must be a whole number");
    const rotation = await admin("POST", `/clusters/${name}/rotate-certificate`, { ca: "yes" });
    expect(rotation.status).toBe(400);
    expect(rotation.body.error).toContain('{"ca": true|false}');
  });

  it("sets the churn rate, and churn changes the clusters", async () => {
    const before = fleet.clusters.map((c) => c.store.revision);
    expect((await admin("POST", "/churn", { rate: 40 })).body).toMatchObject({ rate: 40 });
    try {
      await eventually(() => fleet.churn.changes >= 5, 5000);
      expect(fleet.clusters.some((c, i) => c.store.revision > before[i]!)).toBe(true);
    } finally {
      expect((await admin("POST", "/churn", { rate: 0 })).body).toMatchObject({ rate: 0 });
    }
    expect((await admin("POST", "/churn", { rate: -1 })).status).toBe(400);
  });
});

describe("faults seen by client-node", () => {
  it("down refuses connections; up serves again on the same port with the same state", async () => {
    const port = fleet.cluster(name).port;
    const before = await core.listNamespace();
    const down = await admin("POST", `/clusters/${name}/down`);
    expect(down.body.state).toBe("down");
    const error = await core.listNamespace().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(networkCode(error)).toBe("ECONNREFUSED");
    // The other cluster is unaffected.
    await kubeConfigFor(file, fleet.clusters[1]!.name, "admin").makeApiClient(CoreV1Api).listNamespace();
    const up = await admin("POST", `/clusters/${name}/up`);
    expect(up.body.state).toBe("up");
    expect(fleet.cluster(name).port).toBe(port);
    const after = await core.listNamespace();
    expect(after.items.map((n) => n.metadata?.name)).toEqual(before.items.map((n) => n.metadata?.name));
  });

  it("down resets open watches", async () => {
    const kc = kubeConfigFor(file, name, "admin");
    let doneError: unknown = "not yet";
    await new Watch(kc).watch(
      "/api/v1/namespaces/payments/pods",
      {},
      () => undefined,
      (err: unknown) => {
        doneError = err;
      },
    );
    await eventually(() => fleet.cluster(name).store.watcherCount() > 0);
    await admin("POST", `/clusters/${name}/down`);
    await eventually(() => doneError !== "not yet");
  });

  it("errorRate 1 answers every request with a 500 Status", async () => {
    await admin("PATCH", `/clusters/${name}/faults`, { errorRate: 1 });
    const error = (await core.listNamespace().then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: number; body?: unknown };
    expect(error.code).toBe(500);
    const body = (typeof error.body === "string" ? JSON.parse(error.body) : error.body) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ kind: "Status", status: "Failure", reason: "InternalError", code: 500 });
  });

  it("errorCode 429 answers TooManyRequests with Retry-After", async () => {
    await admin("PATCH", `/clusters/${name}/faults`, { errorRate: 1, errorCode: 429 });
    const error = (await core.listNamespace().then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: number; headers?: Record<string, string> };
    expect(error.code).toBe(429);
    expect(error.headers?.["retry-after"]).toBe("1");
    await admin("PATCH", `/clusters/${name}/faults`, { retryAfterSeconds: 7 });
    const later = (await core.listNamespace().then(
      () => undefined,
      (e: unknown) => e,
    )) as { headers?: Record<string, string>; body?: unknown };
    expect(later.headers?.["retry-after"]).toBe("7");
    const body = (typeof later.body === "string" ? JSON.parse(later.body) : later.body) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ kind: "Status", reason: "TooManyRequests", code: 429 });
  });

  it("cutBodyAfterBytes ends a list's connection mid-body, and small answers pass", async () => {
    await admin("PATCH", `/clusters/${name}/faults`, { cutBodyAfterBytes: 1000 });
    const error = await core.listPodForAllNamespaces().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    const url = `${fleet.cluster(name).url}/api/v1/pods`;
    const raw = await rawGet(url);
    expect(raw.bytes).toBe(1000);
    expect(raw.complete).toBe(false);
    expect(Number(raw.contentLength)).toBeGreaterThan(1000);
    await core.readNamespace({ name: "payments" }); // under 1000 bytes
  });

  it("expiredWatches answers every resumed watch with 410 while a watch from scratch still works", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "payments" });
    await admin("PATCH", `/clusters/${name}/faults`, { expiredWatches: true });
    const resumed = await watchEvents(
      "/api/v1/namespaces/payments/configmaps",
      list.metadata!.resourceVersion!,
    );
    expect(resumed).toEqual([expect.objectContaining({ type: "ERROR" })]);
    expect(resumed[0]!.object).toMatchObject({ reason: "Expired", code: 410 });
    await admin("PATCH", `/clusters/${name}/faults`, { expiredWatches: false });
    const ok = await core.listNamespacedConfigMap({ namespace: "payments" });
    expect(ok.items).toBeDefined();
  });

  it("untrusted-certificate fails TLS verification; rotate-certificate serves a trusted one again", async () => {
    const before = fleet.cluster(name).tls!.caPem;
    await admin("POST", `/clusters/${name}/untrusted-certificate`);
    const error = await core.listNamespace().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(networkCode(error) ?? error)).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
    const rotated = await admin("POST", `/clusters/${name}/rotate-certificate`);
    expect(rotated.body.rotated).toBe("certificate");
    expect(fleet.cluster(name).tls!.caPem).toBe(before);
    expect((await core.listNamespace()).items.length).toBeGreaterThan(0);
  });

  it("rotate-certificate with a new CA rewrites the kubeconfig and the fleet file with it", async () => {
    const before = fleet.cluster(name).tls!.caPem;
    const rotated = await admin("POST", `/clusters/${name}/rotate-certificate`, { ca: true });
    expect(rotated.body.rotated).toBe("ca-and-certificate");
    const after = fleet.cluster(name).tls!.caPem;
    expect(after).not.toBe(before);
    // The old client trusts the old CA only.
    const error = await core.listNamespace().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(networkCode(error) ?? error)).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
    const reread = readFleetFile(fleet.fleetFilePath);
    expect(reread.clusters.find((c) => c.name === name)!.caPem).toBe(after);
    expect(readFileSync(fleet.kubeconfigPath, "utf8")).toContain(Buffer.from(after).toString("base64"));
    const fresh = kubeConfigFor(reread, name, "admin").makeApiClient(CoreV1Api);
    expect((await fresh.listNamespace()).items.length).toBeGreaterThan(0);
    file = reread;
    core = fresh;
  });

  it("latency makes every request measurably slower", async () => {
    const fast = await timed(() => core.listNamespace());
    await admin("PATCH", `/clusters/${name}/faults`, { latencyMs: 300 });
    const slow = await timed(() => core.listNamespace());
    expect(slow.ms).toBeGreaterThanOrEqual(300);
    expect(slow.ms - fast.ms).toBeGreaterThan(250);
  });

  it("slow bodies make a response take at least the configured time", async () => {
    await admin("PATCH", `/clusters/${name}/faults`, { slowBodyMs: 150 });
    const { ms, value } = await timed(() => core.listPodForAllNamespaces());
    expect(value.items.length).toBeGreaterThan(0);
    // The body goes out in four chunks with the delay between them.
    expect(ms).toBeGreaterThanOrEqual(3 * 150);
  });

  it("drop-watches ends the client's watch", async () => {
    const kc = kubeConfigFor(file, name, "admin");
    let done = false;
    await new Watch(kc).watch(
      "/api/v1/pods",
      {},
      () => undefined,
      () => (done = true),
    );
    await eventually(() => fleet.cluster(name).store.watcherCount() > 0);
    const { body } = await admin("POST", `/clusters/${name}/drop-watches`);
    expect(body.dropped).toBeGreaterThanOrEqual(1);
    await eventually(() => done);
  });

  it("expire-history makes a watch from an old resourceVersion get an ERROR event with a 410 Expired Status", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "payments" });
    const oldVersion = list.metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({
      namespace: "payments",
      body: { metadata: { name: "after-list" } },
    });
    await admin("POST", `/clusters/${name}/expire-history`);
    const events: { type: string; object: Record<string, unknown> }[] = [];
    let done = false;
    await new Watch(kubeConfigFor(file, name, "admin")).watch(
      "/api/v1/namespaces/payments/configmaps",
      { resourceVersion: oldVersion },
      (type: string, object: Record<string, unknown>) => events.push({ type, object }),
      () => (done = true),
    );
    await eventually(() => done && events.length > 0);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("ERROR");
    expect(events[0]!.object).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Expired",
      code: 410,
    });
  });
});
