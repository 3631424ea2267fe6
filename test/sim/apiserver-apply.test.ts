/** Server-side apply against the REST layer: raw HTTP, @kubernetes/client-node, and the real kubectl. */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { AppsV1Api, PatchStrategy, setHeaderOptions, type V1Status } from "@kubernetes/client-node";
import { DEPLOY, specOf, startFixture, type Fixture } from "./apiserver-fixture.js";
import { kubectl } from "../support/kubectl.js";
import type { KubeObject } from "../../src/kube/object.js";
import { findResource } from "../../sim/kinds.js";

const CONFIGMAP = findResource("", "configmaps")!;
const APPLY = "application/apply-patch+yaml";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const managersOf = (obj: KubeObject | undefined): Entry[] => (obj?.metadata.managedFields ?? []) as Entry[];
const entryOf = (obj: KubeObject | undefined, manager: string): Entry | undefined =>
  managersOf(obj).find((e) => e.manager === manager);

function deployment(
  name: string,
  replicas: number,
  image = "registry.local/app:1.0",
  labels = { app: name },
) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image, ports: [{ containerPort: 8080, protocol: "TCP" }] }] },
      },
    },
  };
}

async function apply(path: string, body: unknown, query: string, contentType = APPLY, token = "admin") {
  const res = await f.fetch(`${path}?${query}`, {
    method: "PATCH",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": contentType },
    token,
  });
  return { status: res.status, body: (await res.json()) as KubeObject & V1Status };
}

const imageOf = (obj: KubeObject | undefined): string | undefined =>
  (specOf(obj).template.spec.containers[0] as { image?: string } | undefined)?.image;

const DEPLOYMENTS = "/apis/apps/v1/namespaces/team-a/deployments";

describe("server-side apply over HTTP and client-node", () => {
  it("creates by apply (201) from YAML and records an Apply entry in the real FieldsV1 format", async () => {
    const yaml = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: applied",
      "  labels: {owner: team}",
      "data:",
      "  a: '1'",
      "",
    ].join("\n");
    const created = await apply("/api/v1/namespaces/team-a/configmaps/applied", yaml, "fieldManager=tool");
    expect(created.status).toBe(201);
    const stored = f.store.get(CONFIGMAP, "team-a", "applied");
    expect(stored?.data).toEqual({ a: "1" });
    expect(managersOf(stored)).toEqual([
      {
        manager: "tool",
        operation: "Apply",
        apiVersion: "v1",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:a": {} }, "f:metadata": { "f:labels": { "f:owner": {} } } },
      },
    ]);
    expect(created.body.metadata?.managedFields).toEqual(stored?.metadata.managedFields);
  });

  it("keys associative lists by their merge keys, and an unchanged re-apply writes nothing", async () => {
    const apps = f.kubeConfig().makeApiClient(AppsV1Api);
    const options = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
    const body = deployment("cn", 2);
    await apps.patchNamespacedDeployment(
      { name: "cn", namespace: "team-a", body, fieldManager: "tool" },
      options,
    );
    const first = f.store.get(DEPLOY, "team-a", "cn")!;
    const fields = entryOf(first, "tool")!.fieldsV1 as { "f:spec": Record<string, Record<string, unknown>> };
    expect(fields["f:spec"]["f:selector"]).toEqual({});
    expect(fields["f:spec"]["f:template"]).toEqual({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:containers": {
          'k:{"name":"app"}': {
            ".": {},
            "f:image": {},
            "f:name": {},
            "f:ports": {
              'k:{"containerPort":8080,"protocol":"TCP"}': {
                ".": {},
                "f:containerPort": {},
                "f:protocol": {},
              },
            },
          },
        },
      },
    });
    await apps.patchNamespacedDeployment(
      { name: "cn", namespace: "team-a", body, fieldManager: "tool" },
      options,
    );
    expect(f.store.get(DEPLOY, "team-a", "cn")!.metadata.resourceVersion).toBe(
      first.metadata.resourceVersion,
    );
  });

  it("answers 409 FieldManagerConflict for a field another manager set to another value, and force takes it", async () => {
    const patched = await f.fetch(`${DEPLOYMENTS}/cn?fieldManager=other-manager`, {
      method: "PATCH",
      body: JSON.stringify({ spec: { replicas: 4 } }),
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    const updater = entryOf(f.store.get(DEPLOY, "team-a", "cn"), "other-manager")!;
    expect(updater).toMatchObject({
      operation: "Update",
      apiVersion: "apps/v1",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    });
    expect(entryOf(f.store.get(DEPLOY, "team-a", "cn"), "tool")!.fieldsV1).not.toHaveProperty([
      "f:spec",
      "f:replicas",
    ]);

    const conflict = await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 2), "fieldManager=tool");
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      kind: "Status",
      reason: "Conflict",
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "other-manager" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: "FieldManagerConflict",
            message: 'conflict with "other-manager" using apps/v1',
            field: ".spec.replicas",
          },
        ],
      },
    });
    expect(specOf(f.store.get(DEPLOY, "team-a", "cn")).replicas).toBe(4);

    // The same value as the live one is shared ownership, not a conflict.
    const shared = await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 4), "fieldManager=tool");
    expect(shared.status).toBe(200);
    expect(entryOf(f.store.get(DEPLOY, "team-a", "cn"), "tool")!.fieldsV1).toHaveProperty([
      "f:spec",
      "f:replicas",
    ]);
    expect(entryOf(f.store.get(DEPLOY, "team-a", "cn"), "other-manager")!.fieldsV1).toHaveProperty([
      "f:spec",
      "f:replicas",
    ]);

    // An applier that now wants another value conflicts with the other owner; force takes it over.
    expect((await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 3), "fieldManager=tool")).status).toBe(409);
    const forced = await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 3), "fieldManager=tool&force=true");
    expect(forced.status).toBe(200);
    const after = f.store.get(DEPLOY, "team-a", "cn");
    expect(specOf(after).replicas).toBe(3);
    expect(entryOf(after, "other-manager")).toBeUndefined(); // its only field is gone, and so is its entry
  });

  it("names every conflict, grouped by manager, when there are several", async () => {
    await apply(`${DEPLOYMENTS}/multi`, deployment("multi", 1), "fieldManager=first");
    const second = await apply(
      `${DEPLOYMENTS}/multi`,
      deployment("multi", 2, "registry.local/app:2.0"),
      "fieldManager=second",
    );
    expect(second.status).toBe(409);
    expect(second.body.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "first":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
    expect(second.body.details?.causes?.map((c) => c.field)).toEqual([
      ".spec.replicas",
      '.spec.template.spec.containers[name="app"].image',
    ]);
  });

  it("removes fields the applier applied before and leaves out now, unless another manager owns them", async () => {
    await apply(
      `${DEPLOYMENTS}/prune`,
      deployment("prune", 1, undefined, { app: "prune", a: "1", b: "2" } as never),
      "fieldManager=tool",
    );
    await f.fetch(`${DEPLOYMENTS}/prune?fieldManager=labeler`, {
      method: "PATCH",
      body: JSON.stringify({ metadata: { labels: { c: "3" } } }),
      headers: { "content-type": "application/merge-patch+json" },
    });
    // "b" is shared: another applier applies the same value.
    await apply(
      `${DEPLOYMENTS}/prune`,
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "prune", labels: { b: "2" } } },
      "fieldManager=sharer",
    );
    const result = await apply(
      `${DEPLOYMENTS}/prune`,
      deployment("prune", 1, undefined, { app: "prune" }),
      "fieldManager=tool",
    );
    expect(result.status).toBe(200);
    expect(f.store.get(DEPLOY, "team-a", "prune")!.metadata.labels).toEqual({ app: "prune", b: "2", c: "3" });
  });

  it("answers dryRun=All without storing, for a create and for an update", async () => {
    const revision = f.store.revision;
    const created = await apply(`${DEPLOYMENTS}/dry`, deployment("dry", 1), "fieldManager=tool&dryRun=All");
    expect(created.status).toBe(201);
    expect(entryOf(created.body, "tool")?.operation).toBe("Apply");
    expect(f.store.get(DEPLOY, "team-a", "dry")).toBeUndefined();
    const updated = await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 9), "fieldManager=tool&dryRun=All");
    expect(updated.status).toBe(200);
    expect((updated.body.spec as { replicas: number }).replicas).toBe(9);
    expect(specOf(f.store.get(DEPLOY, "team-a", "cn")).replicas).toBe(3);
    expect(f.store.revision).toBe(revision);
  });

  it("authorises an apply that creates as a create too: patch rights alone update, never create", async () => {
    const cm = (name: string) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name },
      data: { a: "1" },
    });
    const path = (name: string) => `/api/v1/namespaces/team-a/configmaps/${name}`;
    for (const query of ["fieldManager=tool", "fieldManager=tool&dryRun=All"]) {
      const refused = await apply(path("fresh"), cm("fresh"), query, APPLY, "patcher");
      expect(refused.status).toBe(403);
      // patch.go's createValidation: NewForbidden with the RBAC authoriser's reason (empty).
      expect(refused.body).toMatchObject({
        reason: "Forbidden",
        message: 'configmaps "fresh" is forbidden: ',
        details: { name: "fresh", kind: "configmaps" },
      });
      expect(refused.body.details).not.toHaveProperty("group");
    }
    expect(f.store.get(CONFIGMAP, "team-a", "fresh")).toBeUndefined();
    expect((await apply(path("held"), cm("held"), "fieldManager=tool")).status).toBe(201);
    const updated = await apply(
      path("held"),
      { ...cm("held"), data: { a: "2" } },
      "fieldManager=tool",
      APPLY,
      "patcher",
    );
    expect(updated.status).toBe(200);
    expect(f.store.get(CONFIGMAP, "team-a", "held")?.data).toEqual({ a: "2" });
  });

  it("refuses an apply without fieldManager, force on other patches, and bodies that are not apply configurations", async () => {
    const missing = await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 3), "");
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const forced = await apply(
      `${DEPLOYMENTS}/cn`,
      { spec: { replicas: 3 } },
      "force=true",
      "application/merge-patch+json",
    );
    expect(forced.status).toBe(422);
    expect(forced.body.message).toContain("force: Forbidden: may not be specified for non-apply patch");
    const long = await apply(`${DEPLOYMENTS}/cn`, deployment("cn", 3), `fieldManager=${"m".repeat(129)}`);
    expect(long.status).toBe(422);

    const noKind = await apply(`${DEPLOYMENTS}/cn`, { metadata: { name: "cn" } }, "fieldManager=tool");
    expect(noKind.status).toBe(400);
    const badYaml = await apply(`${DEPLOYMENTS}/cn`, "kind: [", "fieldManager=tool");
    expect(badYaml.status).toBe(400);
    expect(badYaml.body.message).toMatch(/^error decoding YAML: /);
    const otherName = await apply(`${DEPLOYMENTS}/cn`, deployment("elsewhere", 1), "fieldManager=tool");
    expect(otherName.status).toBe(400);
    const managed = { ...deployment("cn", 3), metadata: { name: "cn", managedFields: [{ manager: "x" }] } };
    expect((await apply(`${DEPLOYMENTS}/cn`, managed, "fieldManager=tool")).body.message).toBe(
      "metadata.managedFields must be nil",
    );
  });

  it("records other writes as Update entries under fieldManager or the user agent's name", async () => {
    const res = await f.fetch("/api/v1/namespaces/team-a/configmaps", {
      method: "POST",
      body: JSON.stringify({ metadata: { name: "by-agent" }, data: { k: "v" } }),
      headers: { "content-type": "application/json", "user-agent": "my-tool/1.2 (linux)" },
    });
    expect(res.status).toBe(201);
    expect(managersOf(f.store.get(CONFIGMAP, "team-a", "by-agent"))).toMatchObject([
      { manager: "my-tool", operation: "Update", apiVersion: "v1", fieldsV1: { "f:data": { "f:k": {} } } },
    ]);
    // Objects that were never tracked (made by the store, like the seeded "web") are owned by
    // "before-first-apply" at their first apply.
    const first = await apply(`${DEPLOYMENTS}/web`, deployment("web", 7), "fieldManager=tool");
    expect(first.status).toBe(409);
    expect(first.body.message).toContain('conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });
});

describe("server-side apply with the real kubectl", () => {
  let admin: string;
  const dir = tmpdir();
  const manifest = (name: string, body: object): string => {
    const file = join(dir, `ssa-${process.pid}-${name}.json`);
    writeFileSync(file, JSON.stringify(body));
    return file;
  };
  beforeAll(() => {
    admin = f.kubeconfigPath("admin");
  });

  it("applies, shows managed fields, conflicts after kubectl scale, forces, dry-runs", async () => {
    const v1 = manifest("v1", deployment("kc", 2));
    const created = await kubectl(admin, ["apply", "--server-side", "-f", v1]);
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("deployment.apps/kc serverside-applied");
    expect(entryOf(f.store.get(DEPLOY, "team-a", "kc"), "kubectl")?.operation).toBe("Apply");

    const shown = await kubectl(admin, ["get", "deploy", "kc", "-o", "yaml", "--show-managed-fields"]);
    const shownObject = parseYaml(shown.stdout) as KubeObject;
    expect(entryOf(shownObject, "kubectl")).toMatchObject({ operation: "Apply", fieldsType: "FieldsV1" });
    const hidden = await kubectl(admin, ["get", "deploy", "kc", "-o", "yaml"]);
    expect(hidden.stdout).not.toContain("managedFields");

    const scaled = await kubectl(admin, ["scale", "deploy/kc", "--replicas=5"]);
    expect(scaled.code).toBe(0);
    const scaler = managersOf(f.store.get(DEPLOY, "team-a", "kc")).find((e) => e.subresource === "scale");
    expect(scaler).toMatchObject({ operation: "Update", fieldsV1: { "f:spec": { "f:replicas": {} } } });

    const conflict = await kubectl(admin, ["apply", "--server-side", "-f", v1]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain("Apply failed with 1 conflict");
    expect(conflict.stderr).toContain(
      `conflict with "${scaler!.manager}" with subresource "scale" using apps/v1: .spec.replicas`,
    );
    expect(specOf(f.store.get(DEPLOY, "team-a", "kc")).replicas).toBe(5);

    const forced = await kubectl(admin, ["apply", "--server-side", "--force-conflicts", "-f", v1]);
    expect(forced.code).toBe(0);
    const got = await kubectl(admin, ["get", "deploy", "kc", "-o", "jsonpath={.spec.replicas}"]);
    expect(got.stdout).toBe("2");

    const v2 = manifest("v2", deployment("kc", 2, "registry.local/app:2.0"));
    const dry = await kubectl(admin, ["apply", "--server-side", "--dry-run=server", "-f", v2]);
    expect(dry.stdout.trim()).toBe("deployment.apps/kc serverside-applied (server dry run)");
    expect(imageOf(f.store.get(DEPLOY, "team-a", "kc"))).toBe("registry.local/app:1.0");

    const applied = await kubectl(admin, ["apply", "--server-side", "-f", v2]);
    expect(applied.code).toBe(0);
    expect(imageOf(f.store.get(DEPLOY, "team-a", "kc"))).toBe("registry.local/app:2.0");
  });

  it("refuses kubectl apply --server-side of a new object to a user who may patch but not create", async () => {
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kc-new" }, data: { a: "1" } };
    const refused = await kubectl(f.kubeconfigPath("patcher"), [
      "apply",
      "--server-side",
      "-f",
      manifest("new", body),
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('configmaps "kc-new" is forbidden');
    expect(f.store.get(CONFIGMAP, "team-a", "kc-new")).toBeUndefined();
    expect((await kubectl(admin, ["apply", "--server-side", "-f", manifest("new", body)])).code).toBe(0);
    const changed = manifest("new2", { ...body, data: { a: "2" } });
    const updated = await kubectl(f.kubeconfigPath("patcher"), ["apply", "--server-side", "-f", changed]);
    expect([updated.code, updated.stdout.trim()]).toEqual([0, "configmap/kc-new serverside-applied"]);
  });

  it("conflicts with a kubectl patch under another field manager", async () => {
    const file = manifest("cm", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kc-cm" },
      data: { mode: "a" },
    });
    expect((await kubectl(admin, ["apply", "--server-side", "-f", file])).code).toBe(0);
    const patched = await kubectl(admin, [
      "patch",
      "cm",
      "kc-cm",
      "--field-manager=other",
      "--type=merge",
      "-p",
      '{"data":{"mode":"b"}}',
    ]);
    expect(patched.code).toBe(0);
    const conflict = await kubectl(admin, ["apply", "--server-side", "-f", file]);
    expect(conflict.stderr).toContain('conflict with "other" using v1: .data.mode');
  });
});
