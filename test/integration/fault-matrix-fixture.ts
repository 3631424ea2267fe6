/**
 * The fault matrix's bench: a gateway over HTTP (its default retry, breaker and deadline
 * settings) in front of three simulated clusters, one of which is made faulty. Each read path,
 * a subscription and a mutation are probed the way a client would; what the faulty cluster's
 * part looks like is recorded per path, and recovery is measured as the time from the fault's
 * end to the gateway showing a change made on that cluster during the fault.
 */
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimCluster } from "../../sim/cluster.js";
import type { SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { simKind } from "./gateway-fixture.js";
import {
  fleetConfig,
  graphql,
  startSimFleet,
  startTestGateway,
  type GraphQLResponse,
} from "./server-fixture.js";

export interface Matrix {
  fleet: SimFleet;
  gateway: Gateway;
  victim: SimCluster;
  healthy: SimCluster[];
  stop(): Promise<void>;
}

/**
 * Registers one file's lifecycle: a matrix started before its tests, the faulty cluster healed
 * and its cache fresh after each, the table printed and everything stopped at the end. The
 * returned function gives the running matrix.
 */
export function matrixSuite(
  seed: string,
  gatewayOptions: Parameters<typeof startTestGateway>[1] = {},
): () => Matrix {
  let matrix: Matrix | undefined;
  beforeAll(async () => {
    matrix = await startMatrix(seed, gatewayOptions);
  });
  afterEach(async () => {
    if (!matrix) return;
    matrix.victim.faults.reset();
    await matrix.victim.comeBack();
    const cache = matrix.gateway.fleetCache;
    await eventually(() => cache.status(matrix!.victim.name)?.staleSince === null, 10_000);
  });
  afterAll(async () => {
    printRecorded(`fault matrix: ${seed}`);
    await matrix?.stop();
  });
  return () => {
    if (!matrix) throw new Error("the matrix is not started");
    return matrix;
  };
}

/** What one path answered while the fault was on. */
export interface PathOutcome {
  path: string;
  httpStatus: number;
  /** Every healthy cluster's data was in the answer. */
  healthyServed: boolean;
  /** The faulty cluster's typed codes (extensions.code of the errors naming it); empty: none. */
  victimCodes: string[];
  /** Errors that name no cluster or a healthy one: must stay empty. */
  strayErrors: string[];
}

export async function startMatrix(seed: string, gatewayOptions: Parameters<typeof startTestGateway>[1] = {}) {
  const fleet = await startSimFleet(seed, { clusters: 3, nodes: 2, pods: 24, bookmarkIntervalMs: 1000 });
  const gateway = await startTestGateway(fleetConfig(fleet), gatewayOptions);
  await eventually(async () => (await clusterNames(gateway)).length === 3, 20_000);
  const [first, victim, ...rest] = fleet.clusters;
  const matrix = {
    fleet,
    gateway,
    victim: victim!,
    healthy: [first!, ...rest],
    async stop() {
      await gateway.stop();
      await fleet.stop();
    },
  } satisfies Matrix;
  // Found while every cluster is healthy: the mutation probe targets these.
  await deploymentIds(matrix);
  return matrix;
}

async function clusterNames(gateway: Gateway): Promise<string[]> {
  const r = await graphql<{ clusters: { nodes: { name: string; freshness: { synced: boolean } }[] } }>(
    gateway.url,
    `
      {
        clusters {
          nodes {
            name
            freshness {
              synced
            }
          }
        }
      }
    `,
  );
  return (r.data?.clusters.nodes ?? []).filter((c) => c.freshness.synced).map((c) => c.name);
}

type Errors = NonNullable<GraphQLResponse["errors"]>;

function split(errors: Errors | undefined, victim: string): { victimCodes: string[]; strayErrors: string[] } {
  const victimCodes = new Set<string>();
  const strayErrors: string[] = [];
  for (const e of errors ?? []) {
    const ext = e.extensions ?? {};
    if (ext.cluster === victim && typeof ext.code === "string") victimCodes.add(ext.code);
    else strayErrors.push(`${String(ext.code)}: ${e.message}`);
  }
  return { victimCodes: [...victimCodes].sort(), strayErrors };
}

const clustersOf = (nodes: { clusterName: string }[]) => new Set(nodes.map((n) => n.clusterName));

interface Listing {
  edges: { node: { clusterName: string } }[];
}

async function listPath(m: Matrix, path: string, query: string, field: string): Promise<PathOutcome> {
  const r = await graphql<Record<string, Listing>>(m.gateway.url, query);
  const served = clustersOf(r.data?.[field]?.edges.map((e) => e.node) ?? []);
  return {
    path,
    httpStatus: r.status,
    healthyServed: m.healthy.every((c) => served.has(c.name)),
    ...split(r.errors, m.victim.name),
  };
}

/** The read paths and the mutation: each answers while the fault is on. */
export const PROBES: Record<string, (m: Matrix) => Promise<PathOutcome>> = {
  "pods (CACHED)": (m) =>
    listPath(m, "pods (CACHED)", `{ pods(first: 1000) { edges { node { clusterName name } } } }`, "pods"),
  "workloads (CACHED)": (m) =>
    listPath(
      m,
      "workloads (CACHED)",
      `{ workloads(first: 1000) { edges { node { clusterName name } } } }`,
      "workloads",
    ),
  clusters: async (m) => {
    const r = await graphql<{ clusters: { nodes: { name: string; health: { status: string } }[] } }>(
      m.gateway.url,
      `
        {
          clusters {
            nodes {
              name
              health {
                status
              }
            }
          }
        }
      `,
    );
    const names = new Set(r.data?.clusters.nodes.map((c) => c.name) ?? []);
    return {
      path: "clusters",
      httpStatus: r.status,
      healthyServed: m.healthy.every((c) => names.has(c.name)) && names.has(m.victim.name),
      ...split(r.errors, m.victim.name),
    };
  },
  "object graph (pod -> node, owner)": (m) =>
    listPath(
      m,
      "object graph (pod -> node, owner)",
      `{ pods(first: 1000) { edges { node { clusterName name node { name } owner { name } } } } }`,
      "pods",
    ),
  "pods (STRONG)": (m) =>
    listPath(
      m,
      "pods (STRONG)",
      `{ pods(first: 1000, consistency: STRONG) { edges { node { clusterName name } } } }`,
      "pods",
    ),
  resources: async (m) => {
    const query = `query ($c: String!) { resources(cluster: $c, apiVersion: "v1", kind: "ConfigMap", first: 5) { clusterName edges { cursor } } }`;
    const healthy = await Promise.all(m.healthy.map((c) => graphql(m.gateway.url, query, { c: c.name })));
    const faulty = await graphql(m.gateway.url, query, { c: m.victim.name });
    const stray = healthy.flatMap((r) => split(r.errors, m.victim.name).strayErrors);
    return {
      path: "resources",
      httpStatus: Math.max(faulty.status, ...healthy.map((r) => r.status)),
      healthyServed: healthy.every((r) => r.data?.resources !== null && r.data?.resources !== undefined),
      victimCodes: split(faulty.errors, m.victim.name).victimCodes,
      strayErrors: [...stray, ...split(faulty.errors, m.victim.name).strayErrors],
    };
  },
  "workloadScale (mutation)": async (m) => {
    const ids = await deploymentIds(m);
    const r = await graphql<{
      workloadScale: { outcomes: { cluster: string; status: string; error: { code: string } | null }[] };
    }>(
      m.gateway.url,
      `
        mutation ($ids: [ID!]!, $replicas: Int!) {
          workloadScale(input: { ids: $ids, replicas: $replicas }) {
            outcomes {
              cluster
              status
              error {
                code
              }
            }
          }
        }
      `,
      // A different count each time, so every healthy cluster really applies a change.
      { ids: [...ids.healthy, ids.victim], replicas: 2 + (scaled++ % 3) },
    );
    const outcomes = r.data?.workloadScale.outcomes ?? [];
    const victimOutcome = outcomes.find((o) => o.cluster === m.victim.name);
    return {
      path: "workloadScale (mutation)",
      httpStatus: r.status,
      healthyServed: m.healthy.every((c) =>
        outcomes.some((o) => o.cluster === c.name && o.status === "APPLIED"),
      ),
      victimCodes: victimOutcome?.error ? [victimOutcome.error.code] : [],
      strayErrors: (r.errors ?? []).map((e) => `${String(e.extensions?.code)}: ${e.message}`),
    };
  },
};

let scaled = 0;

/** One Deployment id per cluster (found once, from the caches). */
const idCache = new WeakMap<Matrix, { healthy: string[]; victim: string }>();
async function deploymentIds(m: Matrix): Promise<{ healthy: string[]; victim: string }> {
  const known = idCache.get(m);
  if (known) return known;
  const r = await graphql<{ workloads: { nodes: { id: string; clusterName: string; kind: string }[] } }>(
    m.gateway.url,
    `
      {
        workloads(first: 1000) {
          nodes {
            id
            clusterName
            kind: __typename
          }
        }
      }
    `,
  );
  const deployments = (r.data?.workloads.nodes ?? []).filter((w) => w.kind === "Deployment");
  const pick = (name: string) => {
    const found = deployments.find((d) => d.clusterName === name);
    if (!found) throw new Error(`no Deployment on ${name}: ${JSON.stringify(r)}`);
    return found.id;
  };
  const ids = { healthy: m.healthy.map((c) => pick(c.name)), victim: pick(m.victim.name) };
  idCache.set(m, ids);
  return ids;
}

/** A subscription open across the fault: what it saw of the healthy clusters and of the victim. */
export function openSubscription(
  m: Matrix,
): Subscriber<{ objectChanges: { type: string; cluster: string | null; object: { name: string } | null } }> {
  return subscribe({
    url: m.gateway.url,
    query: `subscription { objectChanges(kinds: ["ConfigMap"]) { type cluster object { name } } }`,
  });
}

export function createConfigMap(cluster: SimCluster, name: string): void {
  cluster.store.create(simKind("ConfigMap"), {
    metadata: { name, namespace: "default" },
    data: { made: "during the fault" },
  });
}

/** Whether the gateway's cache (a CACHED list) shows the ConfigMap `name` of `cluster`. */
export async function gatewaySees(m: Matrix, cluster: string, name: string): Promise<boolean> {
  const r = await graphql<{ configMaps: { nodes: { name: string }[] } }>(
    m.gateway.url,
    `
      query ($c: [String!], $n: String) {
        configMaps(first: 10, filter: { clusters: $c, nameContains: $n }) {
          nodes {
            name
          }
        }
      }
    `,
    { c: [cluster], n: name },
  );
  return r.data?.configMaps.nodes.some((n) => n.name === name) ?? false;
}

/**
 * Milliseconds from `heal` until the gateway shows `name` (made on the victim during the fault).
 * Polls every 50 ms for up to `limitMs` (then fails, saying how long it waited).
 */
export async function recoveryMs(
  m: Matrix,
  name: string,
  heal: () => Promise<unknown>,
  limitMs = 20_000,
): Promise<number> {
  await heal();
  const healedAt = performance.now();
  await eventually(() => gatewaySees(m, m.victim.name, name), limitMs, 50);
  return Math.round(performance.now() - healedAt);
}

/** The checks every probe must pass under any cluster fault. */
export function expectDegradedNotFailed(outcome: PathOutcome, allowedCodes: readonly string[]): void {
  expect(outcome.httpStatus, outcome.path).toBe(200);
  expect(outcome.healthyServed, `${outcome.path}: healthy clusters served`).toBe(true);
  expect(outcome.strayErrors, `${outcome.path}: errors about other clusters`).toEqual([]);
  for (const code of outcome.victimCodes) expect(allowedCodes, `${outcome.path}: ${code}`).toContain(code);
}

/** Results of one run, printed as the table docs/reliability.md records. */
export const recorded: string[] = [];
export function record(fault: string, outcomes: PathOutcome[], recovery: number | string): void {
  for (const o of outcomes)
    recorded.push(`| ${fault} | ${o.path} | ${o.httpStatus} | ${o.victimCodes.join(", ") || "none"} |`);
  recorded.push(`| ${fault} | recovery (fault end -> change visible) | | ${recovery} ms |`);
}
export function printRecorded(title: string): void {
  console.log(`\n${title}\n${recorded.join("\n")}\n`);
}

export async function probeAll(m: Matrix): Promise<PathOutcome[]> {
  const outcomes: PathOutcome[] = [];
  for (const probe of Object.values(PROBES)) outcomes.push(await probe(m));
  return outcomes;
}
