import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CoreV1Api,
  Log,
  type ApiException,
  type V1Status,
  type V1SubjectAccessReview,
} from "@kubernetes/client-node";
import { startFixture, type Fixture } from "./apiserver-fixture.js";
import { eventually } from "../support/eventually.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());
afterEach(() => f.faults.reset());

async function json<T = V1Status>(path: string, init?: Parameters<Fixture["fetch"]>[1]) {
  const res = await f.fetch(path, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** An access review answer, or the Status that refused it. */
type ReviewBody = V1SubjectAccessReview & { message?: string };

describe("authentication and authorisation", () => {
  it("answers an unknown token with 401 Unauthorized", async () => {
    const { status, body } = await json("/api/v1/namespaces", { token: "who" });
    expect(status).toBe(401);
    expect(body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
  });

  it("writes the real Forbidden messages for lists, named objects, cluster scope and paths", async () => {
    const list = await json("/api/v1/namespaces/team-b/pods", { token: "viewer" });
    expect(list.status).toBe(403);
    expect(list.body.message).toBe(
      'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "team-b"',
    );
    const named = await json("/apis/apps/v1/namespaces/team-b/deployments/web", { token: "viewer" });
    expect(named.body.message).toBe(
      'deployments.apps "web" is forbidden: User "viewer" cannot get resource "deployments" in API group "apps" in the namespace "team-b"',
    );
    expect(named.body.details).toMatchObject({ name: "web", group: "apps", kind: "deployments" });
    const cluster = await json("/api/v1/pods?watch=1", { token: "viewer" });
    expect(cluster.body.message).toBe(
      'pods is forbidden: User "viewer" cannot watch resource "pods" in API group "" at the cluster scope',
    );
    const sub = await json("/api/v1/namespaces/team-a/pods/multi/log?container=a", { token: "viewer" });
    expect(sub.body.message).toBe(
      'pods "multi" is forbidden: User "viewer" cannot get resource "pods/log" in API group "" in the namespace "team-a"',
    );
    const del = await json("/api/v1/namespaces/team-a/pods", { token: "viewer", method: "DELETE" });
    expect(del.body.message).toContain('cannot deletecollection resource "pods"');
    const path = await json("/version", { token: "viewer", method: "POST" });
    expect(path.status).toBe(403);
    expect(path.body.message).toBe('forbidden: User "viewer" cannot post path "/version"');

    const allowed = await json("/api/v1/namespaces/team-a/pods", { token: "viewer" });
    expect(allowed.status).toBe(200);
  });

  it("answers SelfSubjectAccessReview with 201 and the authoriser's decision", async () => {
    const review = (verb: string, namespace: string) => ({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { verb, resource: "pods", namespace } },
    });
    const post = (body: unknown, token: string, kind = "selfsubjectaccessreviews") =>
      json<ReviewBody>(`/apis/authorization.k8s.io/v1/${kind}`, {
        token,
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
    const yes = await post(review("list", "team-a"), "viewer");
    expect(yes.status).toBe(201);
    expect(yes.body).toMatchObject({ kind: "SelfSubjectAccessReview", status: { allowed: true } });
    const no = await post(review("delete", "team-a"), "viewer");
    expect(no.body.status?.allowed).toBe(false);
    const neither = await post({ spec: {} }, "viewer");
    expect(neither.status).toBe(422);

    const sar = {
      kind: "SubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      spec: {
        user: "viewer",
        groups: [],
        resourceAttributes: { verb: "get", resource: "pods", namespace: "team-b" },
      },
    };
    const asAdmin = await post(sar, "admin", "subjectaccessreviews");
    expect(asAdmin.status).toBe(201);
    expect(asAdmin.body.status?.allowed).toBe(false);
    const asViewer = await post(sar, "viewer", "subjectaccessreviews");
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.message).toContain('cannot create resource "subjectaccessreviews"');
  });
});

describe("pod logs", () => {
  it("serves tailLines as text/plain and requires a container name when there are several", async () => {
    for (const line of ["one", "two", "three"]) f.logs.append("team-a", "pod-0", "main", line);
    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const tail = await core.readNamespacedPodLog({ name: "pod-0", namespace: "team-a", tailLines: 2 });
    expect(tail).toBe("two\nthree\n");
    const res = await f.fetch("/api/v1/namespaces/team-a/pods/pod-0/log?timestamps=true&sinceSeconds=60");
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toContain("2026-01-01T00:00:00Z one");
    expect(f.logs.requests.at(-1)).toMatchObject({
      container: "main",
      sinceSeconds: 60,
      timestamps: true,
      follow: false,
    });

    const ambiguous = await json("/api/v1/namespaces/team-a/pods/multi/log");
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.message).toBe(
      "a container name must be specified for pod multi, choose one of: [a b]",
    );
    const missing = await core
      .readNamespacedPodLog({ name: "ghost", namespace: "team-a" })
      .catch((e: unknown) => e);
    expect((missing as ApiException<string>).code).toBe(404);
  });

  it("follows a log through client-node until the server ends the stream", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk: Buffer) => (text += chunk.toString()));
    await new Log(f.kubeConfig()).log("team-a", "multi", "b", out, { follow: true });
    await eventually(() => f.logs.followerCount() === 1);
    f.logs.append("team-a", "multi", "b", "first live line");
    f.logs.append("team-a", "multi", "b", "second live line");
    await eventually(() => text.includes("second live line"));
    expect(text).toBe("first live line\nsecond live line\n");
    f.api.closeAll(); // shutdown ends every follow cleanly and releases the log source
    await eventually(() => f.logs.followerCount() === 0);
  });

  it("releases the log source when a follower disconnects", async () => {
    const abort = new AbortController();
    const res = await f.fetch("/api/v1/namespaces/team-a/pods/pod-0/log?follow=true&tailLines=1", {
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("three\n");
    await eventually(() => f.logs.followerCount() === 1);
    abort.abort();
    await reader.read().catch(() => undefined);
    await eventually(() => f.logs.followerCount() === 0);
  });
});

describe("faults", () => {
  it("adds latency to every request", async () => {
    let started = performance.now();
    await f.fetch("/version");
    const base = performance.now() - started;
    f.faults.set({ latencyMs: 150 });
    started = performance.now();
    const res = await f.fetch("/version");
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(base + 140);
  });

  it("fails requests at the configured rate with a 500 Status, or 429 with Retry-After", async () => {
    f.faults.set({ errorRate: 0.5 });
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await f.fetch("/api/v1/namespaces/team-a/pods")).status);
    expect(codes.filter((c) => c === 500)).toHaveLength(5);
    expect(codes.filter((c) => c === 200)).toHaveLength(5);

    f.faults.set({ errorRate: 1 });
    const failed = await json("/api/v1/namespaces");
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ kind: "Status", reason: "InternalError", code: 500 });
    f.faults.set({ errorCode: 429 });
    const throttled = await json("/api/v1/namespaces");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(throttled.body.reason).toBe("TooManyRequests");
    f.faults.set({ errorCode: 503 });
    expect((await json("/api/v1/namespaces")).body.reason).toBe("ServiceUnavailable");
  });

  it("trickles response bodies when slow bodies are on", async () => {
    f.faults.set({ slowBodyMs: 100 });
    const started = performance.now();
    const res = await f.fetch("/api/v1/pods");
    const headersAt = performance.now() - started;
    const body = (await res.json()) as { items: unknown[] };
    const total = performance.now() - started;
    expect(body.items.length).toBeGreaterThan(0);
    expect(total - headersAt).toBeGreaterThanOrEqual(250);
  });
});
