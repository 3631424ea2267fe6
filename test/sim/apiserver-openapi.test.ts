/**
 * OpenAPI v3 and SelfSubjectRulesReview: what kubectl needs for `create -f` and `apply -f` with
 * validation on (it leaves field validation to the server once the OpenAPI document says the
 * operations accept `fieldValidation`), for `explain`, and for `auth can-i --list`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimCluster } from "../../sim/cluster.js";
import { findResource } from "../../sim/kinds.js";
import { DEPLOY, startFixture, type Fixture } from "./apiserver-fixture.js";
import { kubectl } from "../support/kubectl.js";

const dir = mkdtempSync(join(tmpdir(), "fleetgraph-openapi-"));
let f: Fixture;
let admin: string;

function deployment(replicas: number): string {
  const file = join(dir, `deploy-${replicas}.yaml`);
  writeFileSync(
    file,
    [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: shop",
      "  labels: {app: shop}",
      "spec:",
      `  replicas: ${replicas}`,
      "  selector: {matchLabels: {app: shop}}",
      "  template:",
      "    metadata: {labels: {app: shop}}",
      "    spec:",
      "      containers:",
      "      - name: shop",
      "        image: registry.local/shop:1.0",
      "        ports: [{containerPort: 8080}]",
      "",
    ].join("\n"),
  );
  return file;
}

beforeAll(async () => {
  f = await startFixture();
  admin = f.kubeconfigPath("admin");
});
afterAll(() => f.close());

describe("OpenAPI v3", () => {
  it("lists one document per group-version, each naming its operations' kinds and parameters", async () => {
    const root = (await (await f.fetch("/openapi/v3")).json()) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(Object.keys(root.paths).sort()).toEqual([
      "api/v1",
      "apis/apps/v1",
      "apis/authorization.k8s.io/v1",
      "apis/autoscaling/v2",
      "apis/batch/v1",
      "apis/networking.k8s.io/v1",
      "apis/policy/v1",
      "apis/rbac.authorization.k8s.io/v1",
      "apis/storage.k8s.io/v1",
    ]);
    const url = root.paths["apis/apps/v1"]!.serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = (await (await f.fetch(url)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { "x-kubernetes-group-version-kind"?: unknown; parameters?: { name: string; in: string }[] }
        >
      >;
    };
    expect(doc.openapi).toBe("3.0.0");
    const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!.patch!;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({
      group: "apps",
      version: "v1",
      kind: "Deployment",
    });
    expect(patch.parameters).toContainEqual(
      expect.objectContaining({ name: "fieldValidation", in: "query" }),
    );
    expect((await f.fetch("/openapi/v3/apis/nothing/v1")).status).toBe(404);
  });

  it("kubectl create -f and apply -f (twice) work with validation on", async () => {
    const created = await kubectl(admin, ["create", "-f", deployment(2)]);
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("deployment.apps/shop created");
    expect(f.store.get(DEPLOY, "team-a", "shop")?.spec).toMatchObject({ replicas: 2 });
    expect((await kubectl(admin, ["delete", "deploy", "shop"])).code).toBe(0);

    const first = await kubectl(admin, ["apply", "-f", deployment(2)]);
    expect(first.stderr).toBe("");
    expect(first.stdout.trim()).toBe("deployment.apps/shop created");
    const again = await kubectl(admin, ["apply", "-f", deployment(2)]);
    expect(again.stderr).toBe("");
    expect(again.stdout.trim()).toBe("deployment.apps/shop unchanged");
    const scaled = await kubectl(admin, ["apply", "-f", deployment(4)]);
    expect(scaled.stderr).toBe("");
    expect(scaled.stdout.trim()).toBe("deployment.apps/shop configured");
    const stored = f.store.get(DEPLOY, "team-a", "shop")!;
    expect(stored.spec).toMatchObject({ replicas: 4 });
    expect(stored.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toContain(
      '"replicas":4',
    );
  });

  it("kubectl explain does not crash", async () => {
    const r = await kubectl(admin, ["explain", "pods"]);
    expect(r.stdout).toContain("KIND:       Pod");
    expect(r.stderr).not.toMatch(/panic|goroutine/);
  });
});

describe("SelfSubjectRulesReview", () => {
  let cluster: SimCluster;
  let kubeconfig: string;

  beforeAll(async () => {
    cluster = await SimCluster.create({
      name: "rules",
      users: [{ name: "dev", groups: ["system:authenticated"], token: "dev-token" }],
    });
    await cluster.start();
    const ns = findResource("", "namespaces")!;
    cluster.store.create(ns, { metadata: { name: "team-x" }, status: { phase: "Active" } });
    cluster.store.create(findResource("rbac.authorization.k8s.io", "roles")!, {
      metadata: { name: "pod-reader", namespace: "team-x" },
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
    });
    cluster.store.create(findResource("rbac.authorization.k8s.io", "rolebindings")!, {
      metadata: { name: "dev-reads", namespace: "team-x" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
      subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "dev" }],
    });
    kubeconfig = join(dir, "rules-kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        `clusters:\n- name: rules\n  cluster:\n    server: ${cluster.url}\n    certificate-authority-data: ${Buffer.from(cluster.tls!.caPem).toString("base64")}`,
        "users:\n- name: dev\n  user:\n    token: dev-token",
        "contexts:\n- name: rules\n  context:\n    cluster: rules\n    user: dev\n    namespace: team-x",
        "current-context: rules",
        "",
      ].join("\n"),
    );
  });
  afterAll(() => cluster?.stop());

  it("kubectl auth can-i --list shows the user's rules in the namespace", async () => {
    const r = await kubectl(kubeconfig, ["auth", "can-i", "--list"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    expect(r.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
    expect(r.stdout).toMatch(/^selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(r.stdout).toMatch(/^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);

    const elsewhere = await kubectl(kubeconfig, ["auth", "can-i", "--list", "-n", "default"]);
    expect(elsewhere.stdout).not.toMatch(/^pods\s/m);
  });
});
