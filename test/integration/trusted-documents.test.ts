/**
 * Trusted documents through a gateway with authentication on, over a simulated fleet, loading the
 * manifests the examples' codegen emits (examples/dashboard/src/gql/persisted-documents.json and
 * examples/automation/gql/persisted-documents.json): every dashboard operation runs by its id
 * over HTTP (documentId, APQ's hash, GET) and graphql-ws, the automation's mutation too, while a
 * free-form query or subscription is refused with its code. In allowList mode the registered text
 * runs as well, and nothing else.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { persistedDocumentsLink } from "../../examples/dashboard/src/apollo/persisted-documents.js";
import {
  FleetClustersDocument,
  FleetWorkloadsDocument,
  RecentEventsDocument,
  ViewerDocument,
} from "../../examples/dashboard/src/gql/graphql.js";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { tabsManifest } from "../../explorer/example-tabs.js";
import { ManifestError, sha256Hex } from "../../src/trusted-documents/index.js";
import { startTestGateway, type GraphQLResponse } from "./server-fixture.js";

const DASHBOARD_MANIFEST = resolve("examples/dashboard/src/gql/persisted-documents.json");
const AUTOMATION_MANIFEST = resolve("examples/automation/gql/persisted-documents.json");

/** The manifest's documents by operation name: { id, text }. */
function operations(path: string): Map<string, { id: string; text: string }> {
  const manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
  const byName = new Map<string, { id: string; text: string }>();
  for (const [id, text] of Object.entries(manifest)) {
    const name = /\b(?:query|subscription|mutation) (\w+)/.exec(text)?.[1];
    if (name === undefined) throw new Error(`an unnamed operation in ${path}`);
    byName.set(name, { id, text });
  }
  return byName;
}

const dashboard = operations(DASHBOARD_MANIFEST);
const automation = operations(AUTOMATION_MANIFEST);
const DASHBOARD_QUERIES = ["Viewer", "FleetClusters", "RecentEvents", "FleetWorkloads", "WorkloadPods"];

const DASHBOARD_SUBSCRIPTIONS = ["ClusterOutcomeUpdates", "EventUpdates", "WorkloadUpdates", "PodLogLines"];
const AD_HOC = "query Mine { viewer { user } }";

function op(name: string): { id: string; text: string } {
  const found = dashboard.get(name) ?? automation.get(name);
  if (!found) throw new Error(`${name} is not in the examples' manifests`);
  return found;
}

async function post<D = Record<string, unknown>>(
  fixture: AuthGateway,
  body: Record<string, unknown>,
): Promise<GraphQLResponse<D>> {
  const response = await fetch(`${fixture.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${fixture.tokens.get("admin")}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<D>, "status">) };
}

/** What a subscription has done after `ms`: its events and its failure (a refusal), if any. */
async function settle(subscriber: Subscriber<Record<string, unknown>>, ms: number): Promise<void> {
  await subscriber.until((events) => events.length > 0, ms).catch(() => {});
}

function errorCodes(response: GraphQLResponse): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}

describe("trustedDocuments mode required, with the dashboard's and the automation's manifests", () => {
  let fixture: AuthGateway;
  const variables: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    fixture = await startAuthGateway({
      seed: "trusted-documents",
      fleet: { clusters: 2, nodes: 2, pods: 12 },
      users: ["admin"],
      configFor: () =>
        Promise.resolve({
          trustedDocuments: { mode: "required", manifests: [DASHBOARD_MANIFEST, AUTOMATION_MANIFEST] },
        }),
    });
  }, 120_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it("finds every dashboard operation in the manifest codegen emitted", () => {
    expect([...dashboard.keys()].sort()).toEqual([...DASHBOARD_QUERIES, ...DASHBOARD_SUBSCRIPTIONS].sort());
    expect([...automation.keys()]).toEqual(["RestartWorkloads"]);
  });

  it("runs every dashboard query by its documentId", async () => {
    const results = new Map<string, GraphQLResponse>();
    const run = async (name: string, vars?: Record<string, unknown>): Promise<GraphQLResponse> => {
      const response = await post(fixture, {
        documentId: op(name).id,
        operationName: name,
        ...(vars ? { variables: vars } : {}),
      });
      expect({ name, status: response.status, errors: response.errors }).toEqual({
        name,
        status: 200,
        errors: undefined,
      });
      results.set(name, response);
      return response;
    };
    for (const name of ["Viewer", "FleetClusters", "RecentEvents"]) await run(name);
    variables.FleetWorkloads = { first: 50 };
    const workloads = (await run("FleetWorkloads", variables.FleetWorkloads)).data as {
      workloads: { nodes: { id: string }[] };
    };
    expect(workloads.workloads.nodes.length).toBeGreaterThan(0);
    // A workload with pods: the pod-log subscription reads one of them.
    for (const { id } of workloads.workloads.nodes) {
      variables.WorkloadPods = { id };
      const pods = (await run("WorkloadPods", variables.WorkloadPods)).data as {
        node: { pods: { nodes: unknown[] } };
      };
      if (pods.node.pods.nodes.length > 0) break;
    }
    expect((results.get("Viewer")!.data as { viewer: { user: string } }).viewer.user).toBe("admin");
    const clusters = results.get("FleetClusters")!.data as { clusters: { totalCount: number } };
    expect(clusters.clusters.totalCount).toBe(2);
    const pods = results.get("WorkloadPods")!.data as {
      node: { pods: { nodes: { name: string }[] } };
    };
    expect(pods.node.pods.nodes.length).toBeGreaterThan(0);
  });

  it("answers the dashboard's own Apollo Client, whose persisted-documents link sends only the hash", async () => {
    const sent: unknown[] = [];
    const client = new ApolloClient({
      link: persistedDocumentsLink().concat(
        new HttpLink({
          uri: `${fixture.base}/graphql`,
          headers: { authorization: `Bearer ${fixture.tokens.get("admin")}` },
          fetch: (input, init) => {
            sent.push(JSON.parse(init?.body as string));
            return fetch(input, init);
          },
        }),
      ),
      cache: new InMemoryCache(),
    });
    const viewer = await client.query({ query: ViewerDocument });
    expect(viewer.data?.viewer.user).toBe("admin");
    const clusters = await client.query({ query: FleetClustersDocument });
    expect(clusters.data?.clusters.totalCount).toBe(2);
    const events = await client.query({ query: RecentEventsDocument });
    expect(events.error).toBeUndefined();
    const workloads = await client.query({ query: FleetWorkloadsDocument, variables: { first: 5 } });
    expect(workloads.data?.workloads.nodes.length).toBe(5);
    // Hashes only: no text went over the wire, so nothing was retried with one.
    expect(sent).toHaveLength(4);
    for (const body of sent) expect(body).not.toHaveProperty("query");
  });

  it("runs a registered query named by APQ's sha256Hash, and by documentId over GET", async () => {
    const { id } = op("FleetClusters");
    const apq = await post(fixture, {
      extensions: { persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, "") } },
    });
    expect(apq.errors).toBeUndefined();
    expect(apq.data).toMatchObject({ clusters: { totalCount: 2 } });

    const response = await fetch(`${fixture.base}/graphql?documentId=${encodeURIComponent(id)}`, {
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${fixture.tokens.get("admin")}`,
      },
    });
    const body = (await response.json()) as GraphQLResponse;
    expect(response.status).toBe(200);
    expect(body.data).toMatchObject({ clusters: { totalCount: 2 } });
  });

  it("refuses a free-form query, even the text of a registered one, with OPERATION_NOT_TRUSTED (400)", async () => {
    for (const query of [AD_HOC, op("Viewer").text]) {
      const response = await post(fixture, { query });
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toEqual(["OPERATION_NOT_TRUSTED"]);
      expect(response.errors![0]!.message).toMatch(/only registered operations.*explorer/s);
      expect(response.data).toBeUndefined();
    }
    const get = await fetch(`${fixture.base}/graphql?query=${encodeURIComponent(AD_HOC)}`, {
      headers: { "content-type": "application/json", authorization: `Bearer ${fixture.tokens.get("admin")}` },
    });
    expect(get.status).toBe(400);
    expect(errorCodes((await get.json()) as GraphQLResponse)).toEqual(["OPERATION_NOT_TRUSTED"]);
  });

  it("refuses an unknown id with PERSISTED_QUERY_NOT_FOUND, and never registers what a client sends", async () => {
    const hash = "a".repeat(64);
    const unknown = await post(fixture, { documentId: `sha256:${hash}` });
    expect(unknown.status).toBe(400);
    expect(errorCodes(unknown)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    // APQ's registration (text + hash) must not make the text runnable afterwards.
    const { createHash } = await import("node:crypto");
    const sha256Hash = createHash("sha256").update(AD_HOC).digest("hex");
    const register = await post(fixture, {
      query: AD_HOC,
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    });
    expect(errorCodes(register)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    const replay = await post(fixture, { extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(errorCodes(replay)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
  });

  it("runs the automation's registered mutation by its id", async () => {
    const response = await post<{
      workloadRestart: { outcomes: { status: string }[]; userErrors: unknown[] };
    }>(fixture, {
      documentId: op("RestartWorkloads").id,
      variables: { input: { filter: { kinds: ["DEPLOYMENT"] }, dryRun: true } },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.workloadRestart.userErrors).toEqual([]);
    expect(response.data!.workloadRestart.outcomes.length).toBeGreaterThan(0);
    expect(new Set(response.data!.workloadRestart.outcomes.map((o) => o.status))).toEqual(
      new Set(["DRY_RUN"]),
    );
  });

  it("runs every dashboard subscription over graphql-ws by its hash, and refuses a free-form one", async () => {
    const pods = await post<{
      node: { pods: { nodes: { clusterName: string; namespaceName: string; name: string }[] } };
    }>(fixture, { documentId: op("WorkloadPods").id, variables: variables.WorkloadPods });
    const pod = pods.data!.node.pods.nodes[0]!;
    const subscriptionVariables: Record<string, Record<string, unknown>> = {
      WorkloadUpdates: { filter: { kinds: ["DEPLOYMENT"] } },
      PodLogLines: { cluster: pod.clusterName, namespace: pod.namespaceName, pod: pod.name },
    };
    const subscribers = new Map<string, Subscriber<Record<string, unknown>>>();
    for (const name of DASHBOARD_SUBSCRIPTIONS) {
      const { id, text } = op(name);
      subscribers.set(
        name,
        subscribe({
          url: `${fixture.base}/graphql`,
          token: fixture.tokens.get("admin")!,
          // As Apollo Client's GraphQLWsLink sends it behind the persisted-query link: text and
          // hash (the gateway runs the registered text the hash names); PodLogLines by hash only.
          query: name === "PodLogLines" ? "" : text,
          extensions: { persistedQuery: { version: 1, sha256Hash: id } },
          ...(subscriptionVariables[name] ? { variables: subscriptionVariables[name] } : {}),
        }),
      );
    }
    const adHoc = subscribe({
      url: `${fixture.base}/graphql`,
      token: fixture.tokens.get("admin")!,
      query: "subscription { podChanges(sendInitial: true) { type } }",
    });
    try {
      // A change the workload subscription must tell: the registered mutation restarts them all.
      await subscribers
        .get("WorkloadUpdates")!
        .until(() => subscribers.get("WorkloadUpdates")!.acknowledged());
      const restart = await post(fixture, {
        documentId: op("RestartWorkloads").id,
        variables: { input: { filter: { kinds: ["DEPLOYMENT"] } } },
      });
      expect(restart.errors).toBeUndefined();
      await subscribers.get("WorkloadUpdates")!.until((events) => events.some((e) => e.data), 30_000);
      await subscribers.get("PodLogLines")!.until((events) => events.some((e) => e.data), 30_000);
      await adHoc.whenCompleted();
      expect(adHoc.failure()).toBeDefined();
      expect(JSON.stringify(adHoc.failure())).toContain("OPERATION_NOT_TRUSTED");
      expect(adHoc.events).toEqual([]);
      for (const [name, subscriber] of subscribers) {
        await settle(subscriber, 500);
        expect({ name, failure: subscriber.failure(), completed: subscriber.completed() }).toEqual({
          name,
          failure: undefined,
          completed: false,
        });
        expect({ name, errors: subscriber.events.flatMap((e) => e.errors ?? []) }).toEqual({
          name,
          errors: [],
        });
      }
    } finally {
      await Promise.all([...subscribers.values(), adHoc].map((s) => s.close()));
    }
  }, 90_000);
});

describe("trustedDocuments mode allowList", () => {
  let fixture: AuthGateway;
  // What `npm run build` writes to dist/public/explorer/persisted-documents.json.
  const explorerManifest = tabsManifest(readFileSync("docs/schema.md", "utf8"), sha256Hex);
  const explorerManifestPath = join(mkdtempSync(join(tmpdir(), "fleetgraph-explorer-")), "manifest.json");
  writeFileSync(explorerManifestPath, JSON.stringify(explorerManifest));

  beforeAll(async () => {
    fixture = await startAuthGateway({
      seed: "trusted-documents-allow",
      fleet: { clusters: 1, nodes: 1, pods: 4 },
      users: ["admin"],
      configFor: () =>
        Promise.resolve({
          trustedDocuments: { mode: "allowList", manifests: [DASHBOARD_MANIFEST, explorerManifestPath] },
        }),
    });
  }, 120_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it("runs a registered document's exact text, and by its id", async () => {
    const byText = await post(fixture, { query: op("Viewer").text });
    expect(byText.errors).toBeUndefined();
    expect(byText.data).toMatchObject({ viewer: { user: "admin" } });
    const byId = await post(fixture, { documentId: op("Viewer").id });
    expect(byId.data).toMatchObject({ viewer: { user: "admin" } });
  });

  it("runs the explorer's example tabs as the explorer sends them, unedited", async () => {
    const tabs = Object.values(explorerManifest);
    const firstLook = tabs.find((t) => t.includes("query FirstLook"))!;
    const response = await post<{ viewer: { user: string } }>(fixture, { query: firstLook });
    expect(response.errors).toBeUndefined();
    expect(response.data?.viewer.user).toBe("admin");
    // The documented queries: none is refused as untrusted (some want variables, and say so).
    const queries = tabs.filter((t) => /^query /m.test(t));
    expect(queries.length).toBeGreaterThan(3);
    for (const query of queries)
      expect(errorCodes(await post(fixture, { query }))).not.toContain("OPERATION_NOT_TRUSTED");
    // Edited, a tab is free-form text again.
    const edited = await post(fixture, { query: firstLook.replace("first: 5", "first: 6") });
    expect(errorCodes(edited)).toEqual(["OPERATION_NOT_TRUSTED"]);
  });

  it("refuses any other text, a registered one changed by a single space included", async () => {
    for (const query of [AD_HOC, `${op("Viewer").text} `]) {
      const response = await post(fixture, { query });
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toEqual(["OPERATION_NOT_TRUSTED"]);
    }
  });

  it("refuses a free-form subscription over graphql-ws, and runs a registered one by its text", async () => {
    const adHoc = subscribe({
      url: `${fixture.base}/graphql`,
      token: fixture.tokens.get("admin")!,
      query: "subscription { clusterOutcomeChanged { status } }",
    });
    const registered = subscribe({
      url: `${fixture.base}/graphql`,
      token: fixture.tokens.get("admin")!,
      query: op("ClusterOutcomeUpdates").text,
    });
    try {
      await adHoc.whenCompleted();
      expect(JSON.stringify(adHoc.failure())).toContain("OPERATION_NOT_TRUSTED");
      await registered.until(() => registered.acknowledged());
      await settle(registered, 500);
      expect(registered.failure()).toBeUndefined();
      expect(registered.completed()).toBe(false);
    } finally {
      await Promise.all([adHoc.close(), registered.close()]);
    }
  });
});

describe("a manifest the gateway cannot use", () => {
  it("stops the start with a ManifestError naming the file, before anything listens", async () => {
    const missing = resolve("examples/dashboard/src/gql/no-such-manifest.json");
    const start = startTestGateway({
      port: 0,
      workspaceLabel: "kubesphere.io/workspace",
      clusters: [],
      defaults: { requestTimeoutMs: 1000, maxConcurrentRequests: 1, resyncBackoffMaxMs: 1000 },
      source: { kind: "demo" },
      trustedDocuments: { mode: "required", manifests: [DASHBOARD_MANIFEST, missing] },
    });
    await expect(start).rejects.toBeInstanceOf(ManifestError);
    await expect(start).rejects.toThrow(/no-such-manifest\.json: ENOENT/);
  });
});
