/**
 * The workload operations beyond scale and restart (rollback, suspend, resume, selection by
 * filter), namespaceCreate, objectDelete, idempotency keys and the two kinds of denial, against
 * the simulated fleet with authentication on. Ground truth is kubectl on the clusters and the
 * gateway's audit trail (its JSON-lines file).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUDIT } from "../../src/config/index.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { auditLinesOf } from "../support/audit-file.js";
import { kubectl } from "../support/kubectl.js";

interface Found {
  id: string;
  name: string;
  namespace: string;
  clusterName: string;
  kind: string;
}

interface Outcome {
  cluster: string;
  status: string;
  replayed: boolean;
  target: { id: string | null; apiVersion: string; kind: string; name: string; namespace: string };
  error: { code: string; message: string } | null;
}

interface Payload {
  outcomes: Outcome[];
  userErrors: { field: string[]; message: string; code: string }[];
}

const OUTCOMES = `outcomes { cluster status replayed target { id apiVersion kind name namespace } error { code message } }
  userErrors { field message code }`;
const mutation = (field: string, input: string) =>
  `mutation ($input: ${input}!) { ${field}(input: $input) { ${OUTCOMES} } }`;

const MAX_TARGETS = 25;
let fx: AuthGateway;
let auditDir: string;
let workloads: Found[];
let clusters: string[];
/** Deployments handed out one per test, so tests do not share state. */
const used = new Set<string>();

beforeAll(async () => {
  auditDir = await mkdtemp(join(tmpdir(), "fleetgraph-mutations-"));
  fx = await startAuthGateway({
    seed: "mutations-operations",
    fleet: { clusters: 2, nodes: 3, pods: 80 },
    users: ["admin", "alice", "bob", "mallory"],
    // bob's gateway grant is wider than his RBAC on the clusters (view in search and analytics).
    extraRoleBindings: [{ role: "operator", namespace: "search", users: ["bob"], groups: [] }],
    configFor: () =>
      Promise.resolve({
        audit: { ...DEFAULT_AUDIT, file: join(auditDir, "audit.jsonl"), flushIntervalMs: 50, batchSize: 1 },
        mutations: { maxTargets: MAX_TARGETS },
      }),
  });
  clusters = fx.sim.clusters.map((c) => c.name);
  const r = await fx.query<{ workloads: { nodes: Found[] } }>(
    "admin",
    `{ workloads(first: 1000) { nodes { id name namespace: namespaceName clusterName kind: __typename } } }`,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  workloads = r.data.workloads.nodes;
}, 120_000);

afterAll(async () => {
  await fx?.stop();
  await rm(auditDir, { recursive: true, force: true });
});

/** A workload of `kind` not used by another test, optionally on a cluster or in a namespace. */
function take(
  kind: string | string[],
  where: { cluster?: string; namespace?: string; unscaled?: Set<string> } = {},
): Found {
  const kinds = Array.isArray(kind) ? kind : [kind];
  const found = workloads.find(
    (w) =>
      kinds.includes(w.kind) &&
      !used.has(w.id) &&
      (where.cluster === undefined || w.clusterName === where.cluster) &&
      (where.namespace === undefined || w.namespace === where.namespace) &&
      !where.unscaled?.has(`${w.namespace}/${w.name}`),
  );
  if (!found) throw new Error(`no unused ${kinds.join("|")} ${JSON.stringify(where)}`);
  used.add(found.id);
  return found;
}

async function run(user: string, field: string, inputType: string, input: Record<string, unknown>) {
  const r = await fx.query<Record<string, Payload>>(user, mutation(field, inputType), { input });
  expect(r.errors).toBeUndefined();
  return r.data![field]!;
}

async function get(w: { clusterName: string; namespace?: string }, what: string[], jsonpath: string) {
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${w.clusterName}`,
    ...(w.namespace ? ["-n", w.namespace] : []),
    "get",
    ...what,
    "-o",
    `jsonpath={${jsonpath}}`,
  ]);
  if (r.code !== 0) throw new Error(`kubectl get ${what.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

async function ok(w: Found, args: string[]): Promise<void> {
  const r = await kubectl(fx.sim.kubeconfigPath, [`--context=${w.clusterName}`, "-n", w.namespace, ...args]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
}

/** "namespace/name" of every workload an HPA scales on the cluster. */
async function autoscaled(cluster: string): Promise<Set<string>> {
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${cluster}`,
    "get",
    "hpa",
    "-A",
    "-o",
    'go-template={{range .items}}{{.metadata.namespace}}/{{.spec.scaleTargetRef.name}}{{"\\n"}}{{end}}',
  ]);
  if (r.code !== 0) throw new Error(`kubectl get hpa: ${r.stderr}`);
  return new Set(r.stdout.split("\n").filter(Boolean));
}

const auditLines = () => auditLinesOf(join(auditDir, "audit.jsonl"));

describe("workloadRollback", () => {
  it("returns a Deployment to the previous template; kubectl shows it and the pods follow", async () => {
    const d = take("Deployment");
    const container = await get(d, ["deployment", d.name], ".spec.template.spec.containers[0].name");
    const oldImage = await get(d, ["deployment", d.name], ".spec.template.spec.containers[0].image");
    await ok(d, ["set", "image", `deployment/${d.name}`, `${container}=registry.example/rollback-test:2`]);
    await expect
      .poll(
        () => get(d, ["deployment", d.name], ".metadata.annotations.deployment\\.kubernetes\\.io/revision"),
        {
          timeout: 15_000,
        },
      )
      .not.toBe("1");
    const result = await run("admin", "workloadRollback", "WorkloadRollbackInput", { id: d.id });
    expect(result.userErrors).toEqual([]);
    expect(result.outcomes.map((o) => o.status)).toEqual(["APPLIED"]);
    expect(await get(d, ["deployment", d.name], ".spec.template.spec.containers[0].image")).toBe(oldImage);
    // The controller rolls the pods back to the old template.
    const selector = await get(d, ["deployment", d.name], ".spec.selector.matchLabels");
    const labels = Object.entries(JSON.parse(selector) as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    await expect
      .poll(
        async () =>
          (await get(d, ["pods", "-l", labels], ".items[*].spec.containers[0].image"))
            .split(/\s+/)
            .filter(Boolean)
            .every((image) => image === oldImage),
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    // Now the template is revision 1's again: asking for it again changes nothing.
    const again = await run("admin", "workloadRollback", "WorkloadRollbackInput", { id: d.id, revision: 3 });
    expect(again.outcomes.map((o) => o.status)).toEqual(["UNCHANGED"]);
  }, 60_000);

  it("a revision the Deployment never had is INVALID and changes nothing", async () => {
    const d = take("Deployment");
    const version = await get(d, ["deployment", d.name], ".metadata.resourceVersion");
    const result = await run("admin", "workloadRollback", "WorkloadRollbackInput", {
      id: d.id,
      revision: 42,
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(["INVALID"]);
    expect(result.outcomes[0]!.error?.message).toMatch(/no revision 42/);
    expect(await get(d, ["deployment", d.name], ".metadata.resourceVersion")).toBe(version);
  });
});

describe("workloadSuspend and workloadResume", () => {
  it("pauses a Deployment and suspends a CronJob; again is UNCHANGED; resume undoes it", async () => {
    const d = take("Deployment");
    const cj = take("CronJob");
    const suspended = await run("admin", "workloadSuspend", "WorkloadSuspendInput", { ids: [d.id, cj.id] });
    expect(suspended.outcomes.map((o) => [o.target.kind, o.status])).toEqual([
      ["Deployment", "APPLIED"],
      ["CronJob", "APPLIED"],
    ]);
    expect(await get(d, ["deployment", d.name], ".spec.paused")).toBe("true");
    expect(await get(cj, ["cronjob", cj.name], ".spec.suspend")).toBe("true");
    const read = await fx.query<{ nodes: { status: string }[] }>(
      "admin",
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Workload { status } } }`,
      { ids: [d.id, cj.id] },
    );
    expect(read.data!.nodes.map((n) => n.status)).toEqual(["SUSPENDED", "SUSPENDED"]);
    const again = await run("admin", "workloadSuspend", "WorkloadSuspendInput", { ids: [d.id] });
    expect(again.outcomes.map((o) => o.status)).toEqual(["UNCHANGED"]);
    const resumed = await run("admin", "workloadResume", "WorkloadSuspendInput", { ids: [d.id, cj.id] });
    expect(resumed.outcomes.map((o) => o.status)).toEqual(["APPLIED", "APPLIED"]);
    expect(await get(d, ["deployment", d.name], ".spec.paused")).toBe("false");
    expect(await get(cj, ["cronjob", cj.name], ".spec.suspend")).toBe("false");
  });

  it("acts on every workload a filter selects, and refuses a selection beyond the limit", async () => {
    const cluster = clusters[0]!;
    const inCluster = workloads.filter((w) => w.clusterName === cluster && w.kind === "Deployment");
    const namespace = inCluster[0]!.namespace;
    const expected = inCluster
      .filter((w) => w.namespace === namespace)
      .map((w) => w.name)
      .sort();
    const filter = { clusters: [cluster], namespaces: [namespace], kinds: ["DEPLOYMENT"] };
    const dry = await run("admin", "workloadSuspend", "WorkloadSuspendInput", { filter, dryRun: true });
    expect(dry.userErrors).toEqual([]);
    expect(dry.outcomes.map((o) => o.target.name).sort()).toEqual(expected);
    expect(new Set(dry.outcomes.map((o) => o.status))).toEqual(new Set(["DRY_RUN"]));
    for (const name of expected) {
      expect(await get({ clusterName: cluster, namespace }, ["deployment", name], ".spec.paused")).not.toBe(
        "true",
      );
    }
    const everything = await run("admin", "workloadRestart", "WorkloadRestartInput", {
      filter: {},
      dryRun: true,
    });
    expect(everything.outcomes).toEqual([]);
    expect(everything.userErrors).toEqual([
      expect.objectContaining({ field: ["input", "filter"], code: "LIMIT_EXCEEDED" }),
    ]);
    const both = await run("admin", "workloadRestart", "WorkloadRestartInput", { ids: [], filter });
    expect(both.userErrors.map((e) => e.code)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("namespaceCreate", () => {
  it("creates a namespace in a workspace on both clusters; kubectl and a query right after see it", async () => {
    const result = await run("admin", "namespaceCreate", "NamespaceCreateInput", {
      clusters,
      name: "team-orbit",
      workspace: "orbit",
      labels: [{ key: "team", value: "orbit" }],
    });
    expect(result.userErrors).toEqual([]);
    expect(result.outcomes.map((o) => [o.cluster, o.status])).toEqual(clusters.map((c) => [c, "APPLIED"]));
    expect(result.outcomes.every((o) => o.target.id !== null)).toBe(true);
    for (const cluster of clusters) {
      expect(await get({ clusterName: cluster }, ["namespace", "team-orbit"], ".metadata.labels")).toContain(
        '"kubesphere.io/workspace":"orbit"',
      );
    }
    const read = await fx.query<{ namespaces: { nodes: { name: string; clusterName: string }[] } }>(
      "admin",
      `{ namespaces(first: 10, filter: { workspaces: ["orbit"] }) { nodes { name clusterName } } }`,
    );
    expect(read.data!.namespaces.nodes.map((n) => n.clusterName).sort()).toEqual([...clusters].sort());
    const twice = await run("admin", "namespaceCreate", "NamespaceCreateInput", {
      cluster: clusters[0],
      name: "team-orbit",
      workspace: "orbit",
    });
    expect(twice.outcomes.map((o) => o.status)).toEqual(["CONFLICT"]);
  });

  it("a bad name or an unknown cluster is a user error; nothing is created", async () => {
    const result = await run("admin", "namespaceCreate", "NamespaceCreateInput", {
      clusters: [clusters[0], "nowhere"],
      name: "Not_A_Label",
      workspace: "orbit",
    });
    expect(result.outcomes).toEqual([]);
    expect(result.userErrors.map((e) => e.field)).toEqual([
      ["input", "clusters", "1"],
      ["input", "name"],
    ]);
  });

  it("a workspace admin creates in their workspace only; the cluster's RBAC decides too", async () => {
    // alice administers workspace retail at the gateway; on the clusters she may not create namespaces.
    const inRetail = await run("alice", "namespaceCreate", "NamespaceCreateInput", {
      cluster: clusters[0],
      name: "retail-new",
      workspace: "retail",
    });
    expect(inRetail.outcomes.map((o) => o.status)).toEqual(["FORBIDDEN"]);
    expect(inRetail.outcomes[0]!.error?.message).not.toMatch(/^gateway:/);
    expect(inRetail.outcomes[0]!.error?.message).toMatch(/alice/);
    const elsewhere = await run("alice", "namespaceCreate", "NamespaceCreateInput", {
      cluster: clusters[0],
      name: "not-retail",
      workspace: "orbit",
    });
    expect(elsewhere.outcomes.map((o) => o.status)).toEqual(["FORBIDDEN"]);
    expect(elsewhere.outcomes[0]!.error?.message).toMatch(/^gateway:/);
    const r = await kubectl(fx.sim.kubeconfigPath, [
      `--context=${clusters[0]}`,
      "get",
      "namespace",
      "not-retail",
    ]);
    expect(r.code).not.toBe(0);
  });
});

describe("objectDelete", () => {
  it("deletes an object of any kind through discovery; kubectl no longer finds it", async () => {
    const w = { clusterName: clusters[1]!, namespace: "default" };
    const made = await kubectl(fx.sim.kubeconfigPath, [
      `--context=${w.clusterName}`,
      "-n",
      "default",
      "create",
      "configmap",
      "to-delete",
      "--from-literal=a=b",
    ]);
    expect(made.code).toBe(0);
    const input = {
      cluster: w.clusterName,
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "default",
      name: "to-delete",
    };
    const stale = await run("admin", "objectDelete", "ObjectDeleteInput", {
      ...input,
      expectedResourceVersion: "1",
    });
    expect(stale.outcomes.map((o) => o.status)).toEqual(["CONFLICT"]);
    const dry = await run("admin", "objectDelete", "ObjectDeleteInput", { ...input, dryRun: true });
    expect(dry.outcomes.map((o) => o.status)).toEqual(["DRY_RUN"]);
    expect(await get(w, ["configmap", "to-delete"], ".data.a")).toBe("b");
    const result = await run("admin", "objectDelete", "ObjectDeleteInput", input);
    expect(result.outcomes.map((o) => [o.status, o.target.kind, o.target.apiVersion])).toEqual([
      ["APPLIED", "ConfigMap", "v1"],
    ]);
    const after = await kubectl(fx.sim.kubeconfigPath, [
      `--context=${w.clusterName}`,
      "-n",
      "default",
      "get",
      "configmap",
      "to-delete",
    ]);
    expect(after.stderr).toMatch(/NotFound|not found/);
    const gone = await run("admin", "objectDelete", "ObjectDeleteInput", input);
    expect(gone.outcomes.map((o) => o.status)).toEqual(["NOT_FOUND"]);
  });

  it("refuses names that are path segments of their own, and never answers a Secret's values", async () => {
    const base = { cluster: clusters[0], apiVersion: "v1", kind: "ConfigMap", namespace: "default" };
    for (const name of [".", "..", "a/b"]) {
      const result = await run("admin", "objectDelete", "ObjectDeleteInput", { ...base, name });
      expect(result.outcomes).toEqual([]);
      expect(result.userErrors.map((e) => e.field)).toEqual([["input", "name"]]);
    }
    const bad = await run("admin", "objectDelete", "ObjectDeleteInput", {
      ...base,
      namespace: "..",
      name: "x",
    });
    expect(bad.userErrors.map((e) => e.field)).toEqual([["input", "namespace"]]);
    const made = await kubectl(fx.sim.kubeconfigPath, [
      `--context=${clusters[0]}`,
      "-n",
      "default",
      "create",
      "secret",
      "generic",
      "to-delete",
      "--from-literal=password=hunter2",
    ]);
    expect(made.code).toBe(0);
    const r = await fx.query<{
      objectDelete: { outcomes: { status: string; manifest: { data?: Record<string, unknown> } }[] };
    }>(
      "admin",
      `mutation ($input: ObjectDeleteInput!) { objectDelete(input: $input) { outcomes { status manifest } } }`,
      { input: { ...base, kind: "Secret", name: "to-delete" } },
    );
    expect(r.data!.objectDelete.outcomes.map((o) => o.status)).toEqual(["APPLIED"]);
    expect(r.data!.objectDelete.outcomes[0]!.manifest.data).toEqual({ password: null });
  });

  it("a kind the cluster does not serve is INVALID, naming it", async () => {
    const result = await run("admin", "objectDelete", "ObjectDeleteInput", {
      cluster: clusters[0],
      apiVersion: "example.com/v1",
      kind: "Widget",
      namespace: "default",
      name: "w",
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(["INVALID"]);
    expect(result.outcomes[0]!.error?.message).toMatch(/example\.com/);
  });
});

describe("idempotency keys", () => {
  it("a retry after a cluster outage applies only what is missing, and changes nothing twice", async () => {
    const [a, b] = clusters as [string, string];
    // Deployments an autoscaler does not scale, so only this test changes their replicas.
    const onA = take("Deployment", { cluster: a, unscaled: await autoscaled(a) });
    const onB = take("Deployment", { cluster: b, unscaled: await autoscaled(b) });
    const key = `scale-${Date.now()}`;
    const input = { ids: [onA.id, onB.id], replicas: 13, idempotencyKey: key };
    const down = fx.sim.cluster(b);
    await down.goDown();
    let first: Payload;
    try {
      first = await run("admin", "workloadScale", "WorkloadScaleInput", input);
    } finally {
      await down.comeBack();
    }
    expect(first.outcomes.map((o) => [o.cluster, o.status, o.replayed])).toEqual([
      [a, "APPLIED", false],
      [b, "CLUSTER_UNAVAILABLE", false],
    ]);
    // Someone scales the first one meanwhile: the retry must not scale it again.
    await ok(onA, ["scale", `deployment/${onA.name}`, "--replicas=7"]);
    // The gateway notices the cluster is back within its health interval: retry until it answers.
    let retry = await run("admin", "workloadScale", "WorkloadScaleInput", input);
    for (let i = 0; i < 150 && retry.outcomes[1]?.status === "CLUSTER_UNAVAILABLE"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      retry = await run("admin", "workloadScale", "WorkloadScaleInput", input);
    }
    expect(retry.outcomes.map((o) => [o.cluster, o.status, o.replayed])).toEqual([
      [a, "APPLIED", true],
      [b, "APPLIED", false],
    ]);
    expect(await get(onA, ["deployment", onA.name], ".spec.replicas")).toBe("7");
    expect(await get(onB, ["deployment", onB.name], ".spec.replicas")).toBe("13");
    const third = await run("admin", "workloadScale", "WorkloadScaleInput", input);
    expect(third.outcomes.map((o) => o.replayed)).toEqual([true, true]);
    const other = await run("admin", "workloadScale", "WorkloadScaleInput", { ...input, replicas: 5 });
    expect(other.outcomes).toEqual([]);
    expect(other.userErrors).toEqual([expect.objectContaining({ field: ["input", "idempotencyKey"] })]);
    // Keys are per user: the same key from someone else is a new mutation.
    const alice = await run("alice", "workloadScale", "WorkloadScaleInput", { ...input, replicas: 5 });
    expect(alice.userErrors).toEqual([]);
  }, 90_000);
});

describe("denials", () => {
  it("refused by the gateway or by the cluster: both FORBIDDEN, both audited as denied", async () => {
    // In analytics bob only views, at the gateway and on the clusters: the gateway refuses.
    const analytics = take(["Deployment", "StatefulSet"], { namespace: "analytics" });
    const byGateway = await run("bob", "workloadScale", "WorkloadScaleInput", {
      ids: [analytics.id],
      replicas: 9,
    });
    expect(byGateway.outcomes.map((o) => o.status)).toEqual(["FORBIDDEN"]);
    expect(byGateway.outcomes[0]!.error?.message).toMatch(/^gateway:/);
    // In search his gateway role (operator) allows it, his RBAC there (view) does not: the cluster refuses.
    const search = take("Deployment", { namespace: "search" });
    const before = await get(search, ["deployment", search.name], ".spec.replicas");
    const byCluster = await run("bob", "workloadScale", "WorkloadScaleInput", {
      ids: [search.id],
      replicas: 9,
    });
    expect(byCluster.outcomes.map((o) => o.status)).toEqual(["FORBIDDEN"]);
    expect(byCluster.outcomes[0]!.error?.message).not.toMatch(/^gateway:/);
    expect(byCluster.outcomes[0]!.error?.message).toMatch(/bob/);
    expect(await get(search, ["deployment", search.name], ".spec.replicas")).toBe(before);
    // mallory sees nothing: an id she cannot see is NOT_FOUND, as if it did not exist.
    const unseen = await run("mallory", "workloadScale", "WorkloadScaleInput", {
      ids: [search.id],
      replicas: 9,
    });
    expect(unseen.outcomes.map((o) => o.status)).toEqual(["NOT_FOUND"]);
    await expect
      .poll(
        async () => {
          const lines = await auditLines();
          return [analytics, search].map((w) =>
            lines.some(
              (l) =>
                l.operation === "workload.scale" &&
                l.user === "bob" &&
                l.outcome === "denied" &&
                l.cluster === w.clusterName &&
                l.namespace === w.namespace &&
                l.resource === `${w.kind.toLowerCase()}s/${w.name}`,
            ),
          );
        },
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([true, true]);
  });

  it("applied changes are audited as successes with the caller's name", async () => {
    const d = take("Deployment", { namespace: "search" });
    const result = await run("admin", "workloadRestart", "WorkloadRestartInput", { ids: [d.id] });
    expect(result.outcomes.map((o) => o.status)).toEqual(["APPLIED"]);
    await expect
      .poll(
        async () =>
          (await auditLines()).some(
            (l) =>
              l.operation === "workload.restart" &&
              l.user === "admin" &&
              l.outcome === "success" &&
              l.resource === `deployments/${d.name}`,
          ),
        { timeout: 10_000, interval: 100 },
      )
      .toBe(true);
  });
});
