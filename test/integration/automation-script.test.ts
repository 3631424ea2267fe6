/**
 * examples/automation/restart-by-label.ts as a user runs it: a child process of Node (type
 * stripping, no build), an API token made with apiTokenCreate in FLEETGRAPH_TOKEN, against a
 * gateway with authentication on over a fleet of two production clusters and one that is not.
 * What it lists is compared with the gateway's own `workloads` answer, what it restarts with
 * what kubectl sees on the clusters.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { kubectl } from "../support/kubectl.js";

const SCRIPT = fileURLToPath(new URL("../../examples/automation/restart-by-label.ts", import.meta.url));
const PART_OF = "app.kubernetes.io/part-of";
const RESTARTED_AT = ".spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt";

interface Deployment {
  clusterName: string;
  namespaceName: string;
  name: string;
  partOf: string | null;
  cluster: { label: string | null };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout's lines: status, cluster, namespace/name, detail. */
  lines: { status: string; cluster: string; object: string; detail: string }[];
}

let fx: AuthGateway;
let adminToken: string;
let deployments: Deployment[];

beforeAll(async () => {
  // This seed's fleet: prod-us-east-1, prod-eu-central-1 and staging-europe-west4.
  fx = await startAuthGateway({
    seed: "automation-script-5",
    fleet: { clusters: 3, nodes: 3, pods: 60 },
    users: ["admin"],
  });
  adminToken = await createApiToken("restart-by-label test", null);
  const r = await fx.query<{ workloads: { nodes: Deployment[] } }>(
    "admin",
    `{ workloads(first: 1000, filter: { kinds: [DEPLOYMENT] }) {
        nodes { clusterName namespaceName name partOf: label(key: "${PART_OF}") cluster { label(key: "environment") } } } }`,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  deployments = r.data.workloads.nodes;
}, 120_000);

afterAll(async () => {
  await fx?.stop();
});

async function createApiToken(name: string, roles: Record<string, string>[] | null): Promise<string> {
  const r = await fx.query<{ apiTokenCreate: { token: string | null; userErrors: unknown[] } }>(
    "admin",
    `mutation ($input: ApiTokenCreateInput!) { apiTokenCreate(input: $input) { token userErrors { field message } } }`,
    { input: { name, roles } },
  );
  expect(r.data?.apiTokenCreate.userErrors).toEqual([]);
  const token = r.data!.apiTokenCreate.token!;
  expect(token).toMatch(/^fgt_/);
  return token;
}

/** Runs the script; `token` null: no FLEETGRAPH_TOKEN at all. */
function run(args: string[], token: string | null = adminToken): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETGRAPH_GATEWAY: fx.base };
  if (token === null) delete env.FLEETGRAPH_TOKEN;
  else env.FLEETGRAPH_TOKEN = token;
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      const lines = stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [status = "", cluster = "", object = "", detail = ""] = line.split("\t");
          return { status, cluster, object, detail };
        });
      resolve({ code, stdout, stderr, lines });
    });
  });
}

/** A label value whose Deployments are on both kinds of cluster, so the cluster filter shows. */
function groupOnProdAndElsewhere(exclude: string[] = []): string {
  const groups = new Map<string, Set<string>>();
  for (const d of deployments) {
    if (!d.partOf || exclude.includes(d.partOf)) continue;
    groups.set(d.partOf, (groups.get(d.partOf) ?? new Set()).add(d.cluster.label ?? ""));
  }
  const found = [...groups].find(([, envs]) => envs.has("prod") && envs.size > 1);
  if (!found)
    throw new Error(`no ${PART_OF} value on prod and other clusters: ${JSON.stringify([...groups])}`);
  return found[0];
}

/** The gateway's own answer for the filter the script sends. */
async function listed(selector: string): Promise<string[]> {
  const r = await fx.query<{ workloads: { nodes: Deployment[] } }>(
    "admin",
    `query ($filter: WorkloadFilter) { workloads(first: 1000, filter: $filter) {
        nodes { clusterName namespaceName name } } }`,
    { filter: { kinds: ["DEPLOYMENT"], labelSelector: selector, clusterSelector: "environment=prod" } },
  );
  return r.data!.workloads.nodes.map((d) => `${d.clusterName} ${d.namespaceName}/${d.name}`).sort();
}

async function restartedAt(d: { clusterName: string; namespaceName: string; name: string }): Promise<string> {
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${d.clusterName}`,
    "-n",
    d.namespaceName,
    "get",
    "deployment",
    d.name,
    "-o",
    `jsonpath={${RESTARTED_AT}}`,
  ]);
  if (r.code !== 0) throw new Error(`kubectl get: ${r.stderr}`);
  return r.stdout.trim();
}

const ofLine = (l: Run["lines"][number]) => `${l.cluster} ${l.object}`;

describe("restart-by-label.ts", () => {
  it("dry run: lists what the gateway lists for the filter, prod clusters only, and changes nothing", async () => {
    const group = groupOnProdAndElsewhere();
    const selector = `${PART_OF}=${group}`;
    const result = await run(["--selector", selector]);
    expect(result.stderr).toContain("would restart");
    expect(result.code).toBe(0);
    expect(result.lines.map((l) => l.status)).toEqual(result.lines.map(() => "DRY_RUN"));
    const expected = await listed(selector);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.lines.map(ofLine).sort()).toEqual(expected);
    expect(result.lines.every((l) => l.cluster.startsWith("prod-"))).toBe(true);
    for (const d of deployments.filter((x) => x.partOf === group)) expect(await restartedAt(d)).toBe("");
  }, 60_000);

  it("--yes restarts exactly those (kubectl sees restartedAt), and a retry with the same key replays", async () => {
    const group = groupOnProdAndElsewhere();
    const selector = `${PART_OF}=${group}`;
    const key = `test-restart-${group}`;
    const started = Date.now();
    const result = await run(["--selector", selector, "--yes", "--idempotency-key", key]);
    expect(result.code, result.stderr).toBe(0);
    const expected = await listed(selector);
    // Each Deployment twice: the dry run's line, then the restart's.
    const dry = result.lines.filter((l) => l.status === "DRY_RUN");
    const applied = result.lines.filter((l) => l.status === "APPLIED");
    expect(dry.map(ofLine).sort()).toEqual(expected);
    expect(applied.map(ofLine).sort()).toEqual(expected);
    expect(result.lines).toHaveLength(2 * expected.length);

    const members = deployments.filter((d) => d.partOf === group);
    const annotations = new Map<string, string>();
    for (const d of members) {
      const at = await restartedAt(d);
      annotations.set(`${d.clusterName} ${d.namespaceName}/${d.name}`, at);
      if (d.cluster.label === "prod") {
        expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(Date.parse(at)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
      } else {
        // Same label, not a production cluster: left alone.
        expect(at).toBe("");
      }
    }

    const again = await run(["--selector", selector, "--yes", "--idempotency-key", key]);
    expect(again.code, again.stderr).toBe(0);
    const replayed = again.lines.filter((l) => l.status !== "DRY_RUN");
    expect(replayed.map(ofLine).sort()).toEqual(expected);
    expect(replayed.every((l) => l.status === "APPLIED" && l.detail === "replayed")).toBe(true);
    // Nothing was sent the second time: the annotations are those of the first run.
    for (const d of members) {
      expect(await restartedAt(d)).toBe(annotations.get(`${d.clusterName} ${d.namespaceName}/${d.name}`));
    }
  }, 90_000);

  it("exits 1 and restarts nothing when a target would fail (a token narrowed to viewing)", async () => {
    const first = groupOnProdAndElsewhere();
    const group = groupOnProdAndElsewhere([first]);
    const onProd = deployments.filter((d) => d.partOf === group && d.cluster.label === "prod");
    const namespace = onProd[0]!.namespaceName;
    // admin's token, limited to viewing one namespace: it sees those Deployments, may restart none.
    const viewer = await createApiToken("viewer", [{ role: "VIEWER", namespace }]);
    const result = await run(["--selector", `${PART_OF}=${group}`, "--yes"], viewer);
    expect(result.code).toBe(1);
    expect(result.lines.length).toBeGreaterThan(0);
    expect(result.lines.every((l) => l.status === "FORBIDDEN" && l.object.startsWith(`${namespace}/`))).toBe(
      true,
    );
    expect(result.stderr).toContain("nothing restarted");
    for (const d of onProd) expect(await restartedAt(d)).toBe("");
  }, 60_000);

  it("exits 2, doing nothing, without a usable token or a selector", async () => {
    const bad = await run(["--selector", "app=web"], "fgt_not-a-token");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("UNAUTHENTICATED");
    expect(bad.lines).toEqual([]);
    const none = await run(["--selector", "app=web"], null);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("FLEETGRAPH_TOKEN");
    const usage = await run([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--selector");
  });
});
