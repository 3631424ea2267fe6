import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiException,
  CoreV1Api,
  type V1APIGroupList,
  type V1APIResourceList,
  type V1Status,
} from "@kubernetes/client-node";
import { POD, names, startFixture, type Fixture, type ListBody } from "./apiserver-fixture.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

async function json<T = V1Status>(
  path: string,
  init?: Parameters<Fixture["fetch"]>[1],
): Promise<{ status: number; body: T }> {
  const res = await f.fetch(path, init);
  return { status: res.status, body: (await res.json()) as T };
}

describe("discovery", () => {
  it("answers /version, /api, /apis and group versions", async () => {
    const version = await json<Record<string, string>>("/version");
    expect(version.body).toMatchObject({
      major: "1",
      minor: "32",
      gitVersion: "v1.32.0-sim",
      platform: "linux/amd64",
    });
    expect(version.body.goVersion).toMatch(/^go1\./);
    expect((await json("/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });

    const groups = (await json<V1APIGroupList>("/apis")).body;
    expect(groups.kind).toBe("APIGroupList");
    const apps = groups.groups.find((g) => g.name === "apps");
    expect(apps!.preferredVersion).toEqual({ groupVersion: "apps/v1", version: "v1" });

    const core = (await json<V1APIResourceList>("/api/v1")).body;
    expect(core.kind).toBe("APIResourceList");
    const pods = core.resources.find((r) => r.name === "pods");
    expect(pods).toMatchObject({
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(pods!.verbs).toContain("watch");
    expect(core.resources.find((r) => r.name === "pods/log")).toMatchObject({
      kind: "Pod",
      verbs: ["get"],
    });

    const appsV1 = (await json<V1APIResourceList>("/apis/apps/v1")).body;
    expect(appsV1.resources.find((r) => r.name === "deployments/scale")).toMatchObject({
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
    });
    expect(appsV1.resources.find((r) => r.name === "deployments/status")).toBeTruthy();
  });

  it("answers aggregated-discovery requests with legacy JSON so clients fall back", async () => {
    const res = await f.fetch("/api", {
      headers: {
        accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
      },
    });
    expect(res.headers.get("content-type")).toBe("application/json");
  });

  it("answers probes with ok and unknown paths with a NotFound Status", async () => {
    for (const probe of ["/healthz", "/readyz", "/livez"]) {
      const res = await f.fetch(probe);
      expect(await res.text()).toBe("ok");
    }
    for (const path of [
      "/openapi/v2",
      "/apis/nope/v1",
      "/api/v1/namespaces/team-a/widgets",
      "/api/v1/pods/pod-0",
    ]) {
      const { status, body } = await json(path);
      expect(status, path).toBe(404);
      expect(body).toMatchObject({
        kind: "Status",
        reason: "NotFound",
        message: "the server could not find the requested resource",
      });
    }
  });
});

describe("get and list", () => {
  it("gets single objects with kind and apiVersion, and NotFound with the real message", async () => {
    const pod = (await json("/api/v1/namespaces/team-a/pods/pod-0")).body;
    expect(pod).toMatchObject({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "pod-0", namespace: "team-a" },
    });
    const missing = await json("/apis/apps/v1/namespaces/team-a/deployments/nope");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      reason: "NotFound",
      message: 'deployments.apps "nope" not found',
      details: { name: "nope", group: "apps", kind: "deployments" },
    });
  });

  it("lists with a list kind, a resourceVersion and items without type meta", async () => {
    const { body } = await json<ListBody>("/api/v1/namespaces/team-a/pods");
    expect(body.kind).toBe("PodList");
    expect(body.apiVersion).toBe("v1");
    expect(body.metadata.resourceVersion).toBe(String(f.store.revision));
    expect(names(body)).toEqual(["multi", "pod-0", "pod-1", "pod-2"]);
    expect(body.items[0]!.kind).toBeUndefined();
    const all = (await json<ListBody>("/api/v1/pods")).body;
    expect(all.items).toHaveLength(7);
  });

  it("lists through client-node, page by page, each item exactly once", async () => {
    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 2, ...(token ? { _continue: token } : {}) });
      seen.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
      token = page.metadata?._continue;
      if (token) expect(page.metadata?.remainingItemCount).toBe(7 - seen.length);
      pages++;
    } while (token);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it("answers an expired continue token with 410 Expired and a malformed one with 400", async () => {
    const first = (await json<ListBody>("/api/v1/pods?limit=1")).body;
    f.store.create(POD, { metadata: { name: "late", namespace: "team-b" }, spec: { containers: [] } });
    f.store.compact();
    const expired = await json(`/api/v1/pods?limit=1&continue=${first.metadata.continue ?? ""}`);
    expect(expired.status).toBe(410);
    expect(expired.body.reason).toBe("Expired");

    const core = f.kubeConfig().makeApiClient(CoreV1Api);
    const error = await core
      .listPodForAllNamespaces({ limit: 1, _continue: "not-a-token" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<string>).code).toBe(400);
    expect(JSON.parse((error as ApiException<string>).body).reason).toBe("BadRequest");
    f.store.delete(POD, "team-b", "late");
  });

  it("filters by label and field selectors and rejects bad ones with 400", async () => {
    const web = (
      await json<ListBody>("/api/v1/pods?labelSelector=" + encodeURIComponent("app in (web),tier!=t0"))
    ).body;
    expect(names(web, true)).toEqual(["team-a/pod-2", "team-b/pod-2"]);
    const running = (
      await json<ListBody>(
        "/api/v1/namespaces/team-a/pods?fieldSelector=status.phase%3DRunning,spec.nodeName%3Dnode-1",
      )
    ).body;
    expect(names(running)).toEqual(["pod-1"]);

    const badField = await json("/api/v1/pods?fieldSelector=spec.bogus%3Dx");
    expect(badField.status).toBe(400);
    expect(badField.body).toMatchObject({
      reason: "BadRequest",
      message: "field label not supported: spec.bogus",
    });
    const badLabel = await json("/api/v1/pods?labelSelector=" + encodeURIComponent("app in (web"));
    expect(badLabel.status).toBe(400);
    expect(badLabel.body.message).toContain("unable to parse requirement");
  });

  it("serialises a list of 2,000 pods (and prints how long it took)", async () => {
    for (let i = 0; i < 2000; i++) {
      f.store.create(POD, {
        metadata: { name: `bulk-${i}`, namespace: "team-b", labels: { app: "bulk", index: String(i) } },
        spec: {
          nodeName: "node-1",
          containers: [{ name: "main", image: "registry.local/bulk:1.0", env: [{ name: "A", value: "b" }] }],
        },
        status: { phase: "Running", podIP: "10.0.0.1", conditions: [{ type: "Ready", status: "True" }] },
      });
    }
    await json("/api/v1/namespaces/team-b/pods?labelSelector=app%3Dbulk"); // warm up
    const started = performance.now();
    const { body } = await json<ListBody>("/api/v1/namespaces/team-b/pods?labelSelector=app%3Dbulk");
    const elapsed = performance.now() - started;
    expect(body.items).toHaveLength(2000);
    // Printed, not asserted: timings belong to benchmarks (docs/simulator.md has the measured figure).
    console.log(`list of 2,000 pods: ${elapsed.toFixed(1)} ms`);
    f.store.list(POD, { namespace: "team-b" }).items.forEach((p) => {
      if (p.metadata.name!.startsWith("bulk-")) f.store.delete(POD, "team-b", p.metadata.name!);
    });
  });
});
