import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEPLOY,
  POD,
  names,
  specOf,
  startFixture,
  type Fixture,
  type ListBody,
} from "./apiserver-fixture.js";
import { kubectl, kubectlStream } from "../support/kubectl.js";
import { eventually } from "../support/eventually.js";

let f: Fixture;
let admin: string;
beforeAll(async () => {
  f = await startFixture();
  admin = f.kubeconfigPath("admin");
});
afterAll(() => f.close());

describe("the real kubectl against the REST layer", () => {
  it("gets pods as a table, and across namespaces as JSON with selectors", async () => {
    const table = await kubectl(admin, ["get", "po"]);
    expect(table.stderr).toBe("");
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+/);
    expect(table.stdout).toMatch(/^pod-1\s/m);

    const selected = await kubectl(admin, [
      "get",
      "pods",
      "-A",
      "-l",
      "app=web",
      "--field-selector",
      "status.phase=Running",
      "-o",
      "json",
    ]);
    expect(selected.code).toBe(0);
    const list = JSON.parse(selected.stdout) as ListBody;
    expect(names(list, true)).toEqual(["team-a/pod-2", "team-b/pod-2"]);

    const bad = await kubectl(admin, ["get", "pods", "--field-selector", "spec.bogus=1"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("field label not supported: spec.bogus");
  });

  it("follows changes with get -w", async () => {
    const watch = kubectlStream(admin, ["get", "pods", "-w", "-o", "name"]);
    try {
      await eventually(() => watch.output().includes("pod/pod-1"));
      f.store.create(POD, {
        metadata: { name: "watched", namespace: "team-a" },
        spec: { containers: [{ name: "c", image: "x" }] },
      });
      await eventually(() => watch.output().includes("pod/watched"));
    } finally {
      watch.stop();
    }
  });

  it("scales a deployment through the scale subresource", async () => {
    const result = await kubectl(admin, ["scale", "deployment/web", "--replicas=5"]);
    expect(result.stdout.trim()).toBe("deployment.apps/web scaled");
    expect(specOf(f.store.get(DEPLOY, "team-a", "web")).replicas).toBe(5);
  });

  it("restarts a rollout with a strategic merge patch", async () => {
    const before = f.store.get(DEPLOY, "team-a", "web")!;
    const result = await kubectl(admin, ["rollout", "restart", "deployment/web"]);
    expect(result.stdout.trim()).toBe("deployment.apps/web restarted");
    const after = f.store.get(DEPLOY, "team-a", "web")!;
    expect(specOf(after).template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"]).toMatch(
      /^\d{4}-/,
    );
    expect(specOf(after).template.spec.containers).toEqual(specOf(before).template.spec.containers);
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 1) + 1);
  });

  it("deletes a pod and waits for it to be gone", async () => {
    const result = await kubectl(admin, ["delete", "pod", "pod-1"]);
    expect(result.stdout.trim()).toBe('pod "pod-1" deleted');
    expect(f.store.get(POD, "team-a", "pod-1")).toBeUndefined();
  });

  it("answers auth can-i (a protobuf SelfSubjectAccessReview) and shows Forbidden messages", async () => {
    const viewer = f.kubeconfigPath("viewer");
    expect((await kubectl(viewer, ["auth", "can-i", "list", "pods"])).stdout.trim()).toBe("yes");
    const no = await kubectl(viewer, ["auth", "can-i", "delete", "pods", "-n", "team-b"]);
    expect(no.stdout.trim()).toBe("no");
    expect(no.code).toBe(1);
    const denied = await kubectl(viewer, ["get", "pods", "-n", "team-b"]);
    expect(denied.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "team-b"',
    );
  });

  it("creates objects kubectl encodes as protobuf", async () => {
    const result = await kubectl(admin, ["create", "configmap", "from-kubectl", "--from-literal=key=value"]);
    expect(result.stdout.trim()).toBe("configmap/from-kubectl created");
    const cm = JSON.parse((await kubectl(admin, ["get", "configmap", "from-kubectl", "-o", "json"])).stdout);
    expect(cm.data).toEqual({ key: "value" });
  });

  it("keeps the core group's empty name in a Role kubectl sends as protobuf", async () => {
    const created = await kubectl(admin, ["create", "role", "pod-reader", "--verb=get", "--resource=pods"]);
    expect(created.stdout.trim()).toBe("role.rbac.authorization.k8s.io/pod-reader created");
    const role = JSON.parse((await kubectl(admin, ["get", "role", "pod-reader", "-o", "json"])).stdout);
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]);
  });

  it("follows logs with logs -f", async () => {
    f.logs.append("team-a", "pod-0", "main", "before");
    const logs = kubectlStream(admin, ["logs", "-f", "pod-0"]);
    try {
      await eventually(() => logs.output().includes("before"));
      f.logs.append("team-a", "pod-0", "main", "after");
      await eventually(() => logs.output().includes("after"));
    } finally {
      logs.stop();
    }
  });
});
