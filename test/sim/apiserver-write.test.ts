import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Status,
} from "@kubernetes/client-node";
import {
  DEPLOY,
  POD,
  container,
  names,
  specOf,
  startFixture,
  type DeploymentSpec,
  type Fixture,
} from "./apiserver-fixture.js";
import type { KubeObject } from "../../src/kube/object.js";
import { findResource } from "../../sim/kinds.js";

const CONFIGMAP = findResource("", "configmaps")!;

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

async function send(method: string, path: string, body?: unknown, contentType = "application/json") {
  const res = await f.fetch(path, {
    method,
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    headers: { "content-type": contentType },
  });
  return { status: res.status, body: (await res.json()) as Body };
}

/** What these tests read from a response: a Status, a (deployment-like) object or a list. */
type Body = KubeObject & { message?: string; reason?: string; spec: DeploymentSpec; items: KubeObject[] };

function apiError(error: unknown): { code: number; status: V1Status } {
  expect(error).toBeInstanceOf(ApiException);
  const e = error as ApiException<string>;
  return { code: e.code, status: JSON.parse(e.body) as V1Status };
}

describe("create, update and delete", () => {
  it("creates with 201 and answers AlreadyExists, NotFound namespace and Invalid names", async () => {
    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: "team-a",
      body: { metadata: { name: "settings" }, data: { a: "1" } },
    });
    expect(created.metadata?.resourceVersion).toBe(String(f.store.revision));
    expect(f.store.get(CONFIGMAP, "team-a", "settings")?.data).toEqual({ a: "1" });

    const again = apiError(
      await core
        .createNamespacedConfigMap({ namespace: "team-a", body: { metadata: { name: "settings" } } })
        .catch((e: unknown) => e),
    );
    expect(again.code).toBe(409);
    expect(again.status).toMatchObject({
      reason: "AlreadyExists",
      message: 'configmaps "settings" already exists',
    });

    const noNs = await send("POST", "/api/v1/namespaces/ghost/configmaps", { metadata: { name: "x" } });
    expect(noNs.status).toBe(404);
    expect(noNs.body.message).toBe('namespaces "ghost" not found');

    const invalid = await send("POST", "/api/v1/namespaces/team-a/configmaps", {
      metadata: { name: "Bad_Name" },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.reason).toBe("Invalid");

    const wrongNs = await send("POST", "/api/v1/namespaces/team-a/configmaps", {
      metadata: { name: "x", namespace: "team-b" },
    });
    expect(wrongNs.status).toBe(400);
    expect(wrongNs.body.message).toBe(
      "the namespace of the provided object does not match the namespace sent on the request",
    );

    const malformed = await send("POST", "/api/v1/namespaces/team-a/configmaps", "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.reason).toBe("BadRequest");
  });

  it("updates with optimistic concurrency: a stale resourceVersion is 409 Conflict", async () => {
    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const current = await core.readNamespacedConfigMap({ name: "settings", namespace: "team-a" });
    const updated = await core.replaceNamespacedConfigMap({
      name: "settings",
      namespace: "team-a",
      body: { ...current, data: { a: "2" } },
    });
    expect(updated.data).toEqual({ a: "2" });
    const stale = apiError(
      await core
        .replaceNamespacedConfigMap({
          name: "settings",
          namespace: "team-a",
          body: { ...current, data: { a: "3" } },
        })
        .catch((e: unknown) => e),
    );
    expect(stale.code).toBe(409);
    expect(stale.status.reason).toBe("Conflict");
    expect(stale.status.message).toContain('Operation cannot be fulfilled on configmaps "settings"');
    expect(f.store.get(CONFIGMAP, "team-a", "settings")?.data).toEqual({ a: "2" });

    const renamed = await send("PUT", "/api/v1/namespaces/team-a/configmaps/settings", {
      metadata: { name: "other" },
    });
    expect(renamed.status).toBe(400);
    expect(renamed.body.message).toBe(
      "the name of the object (other) does not match the name on the URL (settings)",
    );
  });

  it("keeps status on main-resource writes and changes only status through /status", async () => {
    const path = "/apis/apps/v1/namespaces/team-a/deployments/web";
    const before = f.store.get(DEPLOY, "team-a", "web")!;
    const put = await send("PUT", path, {
      ...before,
      spec: { ...(before.spec as object), paused: true },
      status: { replicas: 99 },
    });
    expect(put.status).toBe(200);
    expect(put.body.status).toEqual(before.status);
    expect(put.body.spec.paused).toBe(true);
    expect(put.body.metadata.generation).toBe(2);

    const status = await send("PUT", `${path}/status`, {
      ...put.body,
      spec: { ...put.body.spec, paused: false },
      status: { replicas: 2, readyReplicas: 1 },
    });
    expect(status.status).toBe(200);
    const stored = f.store.get(DEPLOY, "team-a", "web")!;
    expect(stored.status).toEqual({ replicas: 2, readyReplicas: 1 });
    expect(specOf(stored).paused).toBe(true);

    const patched = await send(
      "PATCH",
      `${path}/status`,
      { status: { readyReplicas: 2 } },
      PatchStrategy.MergePatch,
    );
    expect(patched.body.status).toEqual({ replicas: 2, readyReplicas: 2 });
  });

  it("deletes with the deleted object, honours preconditions and dryRun, and deletes collections", async () => {
    const dry = await send("DELETE", "/api/v1/namespaces/team-a/pods/pod-2?dryRun=All");
    expect(dry.status).toBe(200);
    expect(f.store.get(POD, "team-a", "pod-2")).toBeDefined();

    const wrongUid = await send("DELETE", "/api/v1/namespaces/team-a/pods/pod-2", {
      kind: "DeleteOptions",
      apiVersion: "v1",
      preconditions: { uid: "not-the-uid" },
    });
    expect(wrongUid.status).toBe(409);
    expect(f.store.get(POD, "team-a", "pod-2")).toBeDefined();

    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const deleted = await core.deleteNamespacedPod({
      name: "pod-2",
      namespace: "team-a",
      propagationPolicy: "Background",
    });
    expect((deleted as { metadata?: { name?: string } }).metadata?.name).toBe("pod-2");
    expect(f.store.get(POD, "team-a", "pod-2")).toBeUndefined();

    const gone = await send("DELETE", "/api/v1/namespaces/team-b/pods?labelSelector=app%3Dweb");
    expect(gone.status).toBe(200);
    expect(gone.body.kind).toBe("PodList");
    expect(names(gone.body).sort()).toEqual(["pod-0", "pod-2"]);
    expect(f.store.all(POD, "team-b").map((p) => p.metadata.name)).toEqual(["pod-1"]);
  });
});

describe("patch", () => {
  it("applies merge, JSON and strategic merge patches", async () => {
    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const merge = await core.patchNamespacedPod(
      { name: "pod-1", namespace: "team-a", body: { metadata: { labels: { tier: null, extra: "yes" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merge.metadata?.labels).toEqual({ app: "api", extra: "yes" });

    const json = await core.patchNamespacedPod(
      {
        name: "pod-1",
        namespace: "team-a",
        body: [
          { op: "test", path: "/metadata/labels/extra", value: "yes" },
          { op: "replace", path: "/spec/containers/0/image", value: "registry.local/main:2.0" },
        ],
      },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(json.spec?.containers[0]?.image).toBe("registry.local/main:2.0");
    const failedTest = await send(
      "PATCH",
      "/api/v1/namespaces/team-a/pods/pod-1",
      [{ op: "test", path: "/metadata/labels/extra", value: "no" }],
      PatchStrategy.JsonPatch,
    );
    expect(failedTest.status).toBe(422);

    // What kubectl sends for `set image` / `set env`: containers merged by name, env by name.
    const apps = f.kubeConfig().makeApiClient(AppsV1Api);
    const smp = await apps.patchNamespacedDeployment(
      {
        name: "web",
        namespace: "team-a",
        body: {
          spec: {
            template: {
              metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z" } },
              spec: {
                "$setElementOrder/containers": [{ name: "main" }, { name: "sidecar" }],
                containers: [
                  {
                    name: "main",
                    env: [{ name: "LEVEL", value: "debug" }],
                    ports: [{ containerPort: 8080, name: "http" }],
                  },
                  container("sidecar"),
                ],
              },
            },
          },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    const containers = smp.spec!.template.spec!.containers;
    expect(containers.map((c) => c.name)).toEqual(["main", "sidecar"]);
    expect(containers[0]!.image).toBe("registry.local/main:1.0");
    expect(containers[0]!.env).toEqual([
      { name: "MODE", value: "prod" },
      { name: "LEVEL", value: "debug" },
    ]);
    expect(containers[0]!.ports).toEqual([{ containerPort: 8080, protocol: "TCP", name: "http" }]);
    expect(smp.spec!.template.metadata!.annotations!["kubectl.kubernetes.io/restartedAt"]).toBe(
      "2026-01-01T00:00:00Z",
    );

    const removed = await send(
      "PATCH",
      "/apis/apps/v1/namespaces/team-a/deployments/web",
      { spec: { template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } } } },
      PatchStrategy.StrategicMergePatch,
    );
    expect(removed.body.spec.template.spec.containers.map((c) => c.name)).toEqual(["main"]);
  });

  it("answers 404 for a missing object, 409 for a stale resourceVersion, 415 for unknown patch types", async () => {
    const missing = await send("PATCH", "/api/v1/namespaces/team-a/pods/nope", {}, PatchStrategy.MergePatch);
    expect(missing.status).toBe(404);
    const stale = await send(
      "PATCH",
      "/api/v1/namespaces/team-a/pods/pod-1",
      { metadata: { resourceVersion: "1", labels: { x: "y" } } },
      PatchStrategy.MergePatch,
    );
    expect(stale.status).toBe(409);
    const unknown = await send("PATCH", "/api/v1/namespaces/team-a/pods/pod-1", {}, "text/plain");
    expect(unknown.status).toBe(415);
  });
});

describe("scale subresource", () => {
  it("reads and writes an autoscaling/v1 Scale that changes only the parent's replicas", async () => {
    const apps = f.kubeConfig().makeApiClient(AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ name: "web", namespace: "team-a" });
    expect(scale).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 2 } });
    expect(scale.status).toEqual({ replicas: 2, selector: "app=web" });

    const replaced = await apps.replaceNamespacedDeploymentScale({
      name: "web",
      namespace: "team-a",
      body: { ...scale, spec: { replicas: 4 } },
    });
    expect(replaced.spec?.replicas).toBe(4);
    expect(specOf(f.store.get(DEPLOY, "team-a", "web")).replicas).toBe(4);

    const stale = await send("PUT", "/apis/apps/v1/namespaces/team-a/deployments/web/scale", {
      ...scale,
      spec: { replicas: 7 },
    });
    expect(stale.status).toBe(409);

    const patched = await send(
      "PATCH",
      "/apis/apps/v1/namespaces/team-a/deployments/web/scale",
      { spec: { replicas: 6 } },
      PatchStrategy.MergePatch,
    );
    expect(patched.body.spec.replicas).toBe(6);
    expect(specOf(f.store.get(DEPLOY, "team-a", "web")).replicas).toBe(6);

    const negative = await send(
      "PATCH",
      "/apis/apps/v1/namespaces/team-a/deployments/web/scale",
      { spec: { replicas: -1 } },
      PatchStrategy.MergePatch,
    );
    expect(negative.status).toBe(422);
    const noScale = await send("GET", "/api/v1/namespaces/team-a/pods/pod-1/scale");
    expect(noScale.status).toBe(404);
  });
});
