/**
 * manifestApply against a simulated fleet of three clusters, with authentication on: the
 * outcomes the gateway answers, and what kubectl then sees on each cluster (objects, values,
 * and the managedFields the API servers record for the "fleetgraph" field manager).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUDIT } from "../../src/config/index.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { kubectl } from "../support/kubectl.js";

interface Outcome {
  cluster: string;
  status: string;
  target: { apiVersion: string; kind: string; namespace: string; name: string };
  object: { __typename: string } | null;
  manifest: { metadata: { resourceVersion: string }; data?: Record<string, string> } | null;
  error: { code: string; message: string } | null;
  replayed: boolean;
}

interface Payload {
  outcomes: Outcome[];
  userErrors: { field: string[]; message: string; code: string }[];
}

const APPLY = `mutation ($input: ManifestApplyInput!) { manifestApply(input: $input) {
  outcomes { cluster status target { apiVersion kind namespace name } object { __typename } manifest error { code message } replayed }
  userErrors { field message code } } }`;

const manifest = (mode: string, replicas = 2): string => `
apiVersion: v1
kind: Namespace
metadata:
  name: ssa-demo
  labels: {team: ssa}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ssa-demo
data:
  mode: ${mode}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ssa-demo
  labels: {app: ssa-web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ssa-web}}
  template:
    metadata: {labels: {app: ssa-web}}
    spec:
      containers:
      - name: web
        image: registry.local/web:1.0
`;

let fx: AuthGateway;
let clusters: string[];
let auditDir: string;

beforeAll(async () => {
  auditDir = await mkdtemp(join(tmpdir(), "fleetgraph-manifest-apply-"));
  fx = await startAuthGateway({
    seed: "mutations-manifest-apply",
    fleet: { clusters: 3, nodes: 2, pods: 20 },
    users: ["admin", "carol"],
    configFor: () =>
      Promise.resolve({
        audit: { ...DEFAULT_AUDIT, file: join(auditDir, "audit.jsonl"), flushIntervalMs: 50, batchSize: 1 },
      }),
  });
  clusters = fx.sim.clusters.map((c) => c.name).sort();
}, 120_000);

afterAll(async () => {
  await fx?.stop();
  await rm(auditDir, { recursive: true, force: true });
});

interface AuditLine {
  operation: string;
  outcome: string;
  user: string;
  cluster?: string;
  resource?: string;
  reason?: string;
}

/** Whether the audit trail (its JSON-lines file, flushed every 50 ms) soon has a matching event. */
async function audited(match: (line: AuditLine) => boolean): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const text = await readFile(join(auditDir, "audit.jsonl"), "utf8").catch(() => "");
    const lines = text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditLine);
    if (lines.some(match)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function applyAs(user: string, input: Record<string, unknown>): Promise<Payload> {
  const r = await fx.query<{ manifestApply: Payload }>(user, APPLY, { input });
  expect(r.errors).toBeUndefined();
  return r.data!.manifestApply;
}

async function kubectlJson<T>(cluster: string, args: string[]): Promise<T> {
  const r = await kubectl(fx.sim.kubeconfigPath, [`--context=${cluster}`, ...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface Seen {
  data?: Record<string, string>;
  spec?: { replicas: number };
  metadata: { managedFields?: { manager: string; operation: string; fieldsV1: unknown }[] };
}

const get = (cluster: string, kind: string, name: string, extra: string[] = []): Promise<Seen> =>
  kubectlJson<Seen>(cluster, ["-n", "ssa-demo", "get", kind, name, ...extra]);

const statuses = (p: Payload): string[][] => p.outcomes.map((o) => [o.cluster, o.target.kind, o.status]);

describe("manifestApply", () => {
  it("applies a Namespace, a ConfigMap and a Deployment to every cluster; kubectl sees them owned by fleetgraph", async () => {
    const result = await applyAs("admin", { manifest: manifest("blue"), clusters });
    expect(result.userErrors).toEqual([]);
    expect(statuses(result)).toEqual(
      clusters.flatMap((c) => [
        [c, "Namespace", "APPLIED"],
        [c, "ConfigMap", "APPLIED"],
        [c, "Deployment", "APPLIED"],
      ]),
    );
    const deployment = result.outcomes.find((o) => o.target.kind === "Deployment")!;
    expect(deployment.target).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "ssa-demo",
      name: "web",
    });
    expect(deployment.object?.__typename).toBe("Deployment");
    for (const cluster of clusters) {
      const cm = await get(cluster, "configmap", "settings", ["--show-managed-fields"]);
      expect(cm.data).toEqual({ mode: "blue" });
      expect(cm.metadata.managedFields).toContainEqual(
        expect.objectContaining({
          manager: "fleetgraph",
          operation: "Apply",
          fieldsV1: { "f:data": { "f:mode": {} } },
        }),
      );
      expect(
        await audited(
          (l) =>
            l.operation === "manifest.apply" &&
            l.outcome === "success" &&
            l.cluster === cluster &&
            l.resource === "deployments/web",
        ),
      ).toBe(true);
      const web = await get(cluster, "deployment", "web", ["--show-managed-fields"]);
      expect(web.spec?.replicas).toBe(2);
      expect(web.metadata.managedFields?.find((m) => m.manager === "fleetgraph")?.operation).toBe("Apply");
    }
  }, 60_000);

  it("answers UNCHANGED when applied again as it is", async () => {
    const result = await applyAs("admin", { manifest: manifest("blue"), clusters });
    expect(new Set(result.outcomes.map((o) => o.status))).toEqual(new Set(["UNCHANGED"]));
  });

  it("answers CONFLICT naming the field and its manager after kubectl changed it; force applies", async () => {
    const [a] = clusters as [string];
    const kube = (args: string[]) =>
      kubectl(fx.sim.kubeconfigPath, [`--context=${a}`, "-n", "ssa-demo", ...args]);
    expect((await kube(["scale", "deployment/web", "--replicas=5"])).code).toBe(0);
    const patch = [
      "patch",
      "configmap",
      "settings",
      "--field-manager=other",
      "--type=merge",
      "-p",
      '{"data":{"mode":"green"}}',
    ];
    expect((await kube(patch)).code).toBe(0);

    const conflict = await applyAs("admin", { manifest: manifest("blue"), clusters: [a] });
    expect(statuses(conflict)).toEqual([
      [a, "Namespace", "UNCHANGED"],
      [a, "ConfigMap", "CONFLICT"],
      [a, "Deployment", "CONFLICT"],
    ]);
    expect(conflict.outcomes[1]!.error?.message).toBe(
      'Apply failed with 1 conflict: conflict with "other" using v1: .data.mode',
    );
    expect(conflict.outcomes[2]!.error?.message).toMatch(
      /^Apply failed with 1 conflict: conflict with "kubectl.*" with subresource "scale" using apps\/v1: \.spec\.replicas$/,
    );
    expect((await get(a, "configmap", "settings")).data).toEqual({ mode: "green" });
    const failure = (l: AuditLine): boolean =>
      l.operation === "manifest.apply" &&
      l.user === "admin" &&
      l.outcome === "failure" &&
      l.cluster === a &&
      l.resource === "configmaps/settings" &&
      (l.reason ?? "").startsWith("CONFLICT: Apply failed with 1 conflict");
    expect(await audited(failure)).toBe(true);

    const forced = await applyAs("admin", { manifest: manifest("blue"), clusters: [a], force: true });
    expect(statuses(forced)).toEqual([
      [a, "Namespace", "UNCHANGED"],
      [a, "ConfigMap", "APPLIED"],
      [a, "Deployment", "APPLIED"],
    ]);
    expect((await get(a, "configmap", "settings")).data).toEqual({ mode: "blue" });
    expect((await get(a, "deployment", "web")).spec?.replicas).toBe(2);
  }, 60_000);

  it("replays the first outcomes for the same idempotency key, and refuses the key with another manifest", async () => {
    const input = { manifest: manifest("blue"), clusters, idempotencyKey: "apply-once" };
    const first = await applyAs("admin", input);
    expect(first.outcomes.every((o) => !o.replayed)).toBe(true);
    const again = await applyAs("admin", input);
    expect(again.outcomes.map((o) => [o.status, o.replayed])).toEqual(
      first.outcomes.map((o) => [o.status, true]),
    );
    const other = await applyAs("admin", { ...input, manifest: manifest("teal") });
    expect(other.userErrors.map((e) => e.field)).toEqual([["input", "idempotencyKey"]]);
  });

  it("dryRun answers DRY_RUN with the would-be objects and changes nothing", async () => {
    const result = await applyAs("admin", { manifest: manifest("red"), clusters, dryRun: true });
    expect(new Set(result.outcomes.map((o) => o.status))).toEqual(new Set(["DRY_RUN"]));
    expect(result.outcomes.find((o) => o.target.kind === "ConfigMap")?.manifest?.data).toEqual({
      mode: "red",
    });
    for (const cluster of clusters)
      expect((await get(cluster, "configmap", "settings")).data).toEqual({ mode: "blue" });
  });

  it("answers FORBIDDEN to a caller the gateway does not let patch, and nothing changes", async () => {
    // carol (auditors) views every cluster and may change nothing.
    const result = await applyAs("carol", { manifest: manifest("carol"), clusters });
    expect(new Set(result.outcomes.map((o) => o.status))).toEqual(new Set(["FORBIDDEN"]));
    expect((await get(clusters[0]!, "configmap", "settings")).data).toEqual({ mode: "blue" });
    expect(
      await audited((l) => l.operation === "manifest.apply" && l.user === "carol" && l.outcome === "denied"),
    ).toBe(true);
  });

  it("chooses clusters by their labels", async () => {
    const [first] = fx.sim.clusters;
    const [key, value] = Object.entries(first!.labels)[0]!;
    const chosen = fx.sim.clusters
      .filter((c) => c.labels[key] === value)
      .map((c) => c.name)
      .sort();
    const result = await applyAs("admin", { manifest: manifest("blue"), clusterSelector: `${key}=${value}` });
    expect([...new Set(result.outcomes.map((o) => o.cluster))]).toEqual(chosen);
  });

  it("puts bad input in userErrors (bad YAML by document, both or neither cluster choice), and does nothing", async () => {
    const badYaml = await applyAs("admin", { manifest: `${manifest("x")}---\nkind: [oops\n`, clusters });
    expect(badYaml.outcomes).toEqual([]);
    expect(badYaml.userErrors).toEqual([
      {
        field: ["input", "manifest"],
        message: expect.stringMatching(/^document 3: /) as unknown,
        code: "BAD_USER_INPUT",
      },
    ]);
    const noName = await applyAs("admin", { manifest: "apiVersion: v1\nkind: ConfigMap\n", clusters });
    expect(noName.userErrors[0]?.message).toBe(
      "document 0: metadata.name is required (generateName cannot be applied)",
    );
    const both = await applyAs("admin", { manifest: manifest("x"), clusters, clusterSelector: "a=b" });
    expect(both.userErrors.map((e) => e.field)).toEqual([["input", "clusters"]]);
    const unknown = await applyAs("admin", { manifest: manifest("x"), clusters: ["nowhere"] });
    expect(unknown.userErrors[0]?.message).toBe('no cluster named "nowhere"');
    const manager = await applyAs("admin", {
      manifest: manifest("x"),
      clusters,
      fieldManager: "m".repeat(129),
    });
    expect(manager.userErrors.map((e) => e.field)).toEqual([["input", "fieldManager"]]);
    expect((await get(clusters[0]!, "configmap", "settings")).data).toEqual({ mode: "blue" });
  });

  it("names the cluster's index in the field of an unknown cluster", async () => {
    const unknown = await applyAs("admin", { manifest: manifest("x"), clusters: [clusters[0], "nowhere"] });
    expect(unknown.userErrors).toEqual([
      { field: ["input", "clusters", "1"], message: 'no cluster named "nowhere"', code: "BAD_USER_INPUT" },
    ]);
  });

  it("refuses names that would be dot path segments and bad namespaces before any call", async () => {
    const cm = (name: string, namespace: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "${name}", namespace: "${namespace}"}\ndata: {mode: dots}\n`;
    const result = await applyAs("admin", {
      manifest: [cm("..", "ssa-demo"), cm(".", "ssa-demo"), cm("settings", "..")].join("---\n"),
      clusters,
    });
    expect(result.outcomes).toEqual([]);
    expect(result.userErrors.map((e) => e.message)).toEqual([
      `document 0: metadata.name "..": may not be '..'`,
      `document 1: metadata.name ".": may not be '.'`,
      expect.stringMatching(/^document 2: metadata\.namespace "\.\.": a namespace is a DNS label/) as unknown,
    ]);
    // Nothing reached the clusters: the namespace is still there, its ConfigMap unchanged.
    for (const cluster of clusters) {
      expect((await get(cluster, "configmap", "settings")).data).toEqual({ mode: "blue" });
      expect(
        (await kubectl(fx.sim.kubeconfigPath, [`--context=${cluster}`, "get", "ns", "ssa-demo"])).code,
      ).toBe(0);
    }
  });

  it("refuses two documents that are one object once the namespace is defaulted, naming both", async () => {
    const cm = (namespace: string, mode: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\n${namespace}data: {mode: ${mode}}\n`;
    const result = await applyAs("admin", {
      manifest: [
        cm("", "first"),
        cm("  namespace: other\n", "x"),
        cm("  namespace: default\n", "second"),
      ].join("---\n"),
      clusters,
    });
    expect(result.outcomes).toEqual([]);
    expect(result.userErrors).toEqual([
      {
        field: ["input", "manifest"],
        message: "documents 0 and 2 are the same object (ConfigMap default/twice)",
        code: "BAD_USER_INPUT",
      },
    ]);
    const seen = await kubectl(fx.sim.kubeconfigPath, [
      `--context=${clusters[0]}`,
      "-n",
      "default",
      "get",
      "cm",
      "twice",
    ]);
    expect(seen.code).not.toBe(0);
  });

  it("on the clusters, an apply that creates needs create as well as patch (kubectl --as a patch-only user)", async () => {
    const [a] = clusters as [string];
    const as = (user: string, args: string[]) =>
      kubectl(fx.sim.kubeconfigPath, [
        `--context=${a}`,
        ...(user ? [`--as=${user}`] : []),
        "-n",
        "ssa-demo",
        ...args,
      ]);
    const rbac = join(auditDir, "patcher.yaml");
    await writeFile(
      rbac,
      [
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: cm-patcher}",
        "rules: [{apiGroups: [''], resources: [configmaps], verbs: [get, patch]}]",
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: cm-patcher}",
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-patcher}",
        "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dave}]\n",
      ].join("\n"),
    );
    expect((await as("", ["apply", "-f", rbac])).code).toBe(0);
    const config = (name: string) => join(auditDir, `${name}.yaml`);
    await writeFile(
      config("fresh"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fresh}\ndata: {mode: dave}\n",
    );
    await writeFile(
      config("held"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held}\ndata: {who: dave}\n",
    );
    const created = await as("dave", [
      "apply",
      "--server-side",
      "--field-manager=dave",
      "-f",
      config("fresh"),
    ]);
    expect(created.code).not.toBe(0);
    expect(created.stderr).toContain('configmaps "fresh" is forbidden');
    expect((await as("", ["get", "cm", "fresh"])).code).not.toBe(0);
    // An object that exists: the apply is an update, which patch allows.
    expect((await as("", ["create", "configmap", "held", "--from-literal=owner=admin"])).code).toBe(0);
    const updated = await as("dave", [
      "apply",
      "--server-side",
      "--field-manager=dave",
      "-f",
      config("held"),
    ]);
    expect([updated.code, updated.stderr]).toEqual([0, ""]);
    expect((await get(a, "configmap", "held")).data).toEqual({ owner: "admin", who: "dave" });
  });

  it("answers INVALID for a kind a cluster does not serve, and for a namespace on a cluster-scoped kind", async () => {
    const text = `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n, namespace: ssa-demo}\n`;
    const result = await applyAs("admin", { manifest: text, clusters: [clusters[0]] });
    expect(result.outcomes.map((o) => o.status)).toEqual(["INVALID", "INVALID"]);
    expect(result.outcomes[0]!.error?.message).toContain("example.com/v1");
    expect(result.outcomes[0]!.error?.message).toContain("Widget");
    expect(result.outcomes[1]!.error?.message).toContain("cluster-scoped");
  });

  it("a cluster that is down is CLUSTER_UNAVAILABLE, the others apply; a retry with the key applies only what is missing", async () => {
    const [up, , downName] = clusters as [string, string, string];
    const down = fx.sim.cluster(downName);
    const input = { manifest: manifest("amber"), clusters, idempotencyKey: "apply-through-an-outage" };
    let first: Payload["outcomes"] = [];
    await down.goDown();
    try {
      const result = await applyAs("admin", input);
      first = result.outcomes;
      const configMaps = result.outcomes.filter((o) => o.target.kind === "ConfigMap");
      expect(Object.fromEntries(configMaps.map((o) => [o.cluster, o.status]))).toEqual(
        Object.fromEntries(clusters.map((c) => [c, c === downName ? "CLUSTER_UNAVAILABLE" : "APPLIED"])),
      );
      expect((await get(up, "configmap", "settings")).data).toEqual({ mode: "amber" });
    } finally {
      await down.comeBack();
    }
    // Someone changes the applied ConfigMap meanwhile: the retry must not apply it again.
    const edited = await kubectl(fx.sim.kubeconfigPath, [
      `--context=${up}`,
      "-n",
      "ssa-demo",
      "patch",
      "configmap",
      "settings",
      "--type=merge",
      "-p",
      '{"data":{"mode":"edited"}}',
    ]);
    expect(edited.code).toBe(0);
    // The gateway notices the cluster is back within its health interval: retry until it answers.
    let retry = await applyAs("admin", input);
    for (let i = 0; i < 150 && retry.outcomes.some((o) => o.status === "CLUSTER_UNAVAILABLE"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      retry = await applyAs("admin", input);
    }
    // The clusters that answered the first time: their first outcomes again, nothing sent.
    const key = (o: Payload["outcomes"][number]) => `${o.cluster}/${o.target.kind}`;
    const firstOf = new Map(first.map((o) => [key(o), o.status]));
    for (const o of retry.outcomes.filter((o) => o.cluster !== downName)) {
      expect([key(o), o.status, o.replayed]).toEqual([key(o), firstOf.get(key(o)), true]);
    }
    // The one that was down: applied now.
    const late = retry.outcomes.filter((o) => o.cluster === downName);
    expect(late.map((o) => o.replayed)).toEqual([false, false, false]);
    expect(late.find((o) => o.target.kind === "ConfigMap")?.status).toBe("APPLIED");
    expect((await get(downName, "configmap", "settings")).data).toEqual({ mode: "amber" });
    expect((await get(up, "configmap", "settings")).data).toEqual({ mode: "edited" });
  }, 90_000);
});
