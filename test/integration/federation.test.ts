/**
 * Fleetgraph as an Apollo Federation 2 subgraph (docs/federation.md), end to end: a gateway with
 * authentication serving `--subgraph` over a simulated fleet, the example teams subgraph, the
 * supergraph composed from Fleetgraph's `_service { sdl }` and the teams SDL, and Hive Gateway's
 * router in-process. A query crosses both subgraphs (workload -> owning team -> the team's
 * workloads across clusters), as a platform admin and as bob, who may read two namespaces.
 */
import { readFile } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeSupergraph, fetchSubgraphSdl } from "../../examples/teams-subgraph/supergraph.js";
import {
  startTeamsSubgraph,
  TEAMS_SDL,
  type RunningService,
} from "../../examples/teams-subgraph/teams-subgraph.js";
import { loadRouter, type RunningRouter } from "../support/federation-router.js";
import { subscribe } from "../support/subscription-client.js";
import { captureLogs, LEVEL } from "../support/log-capture.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";

const PART_OF = "app.kubernetes.io/part-of";
/** bob's namespaces in the demo (src/demo-identity/role-bindings.ts): viewer of both. */
const BOB_NAMESPACES = ["analytics", "search"];

let fleet: AuthGateway;
let teams: RunningService;
let router: RunningRouter;
/** The headers of every request the teams subgraph received (from the router). */
const teamsRequests: IncomingHttpHeaders[] = [];

interface WorkloadRow {
  id: string;
  kind: string;
  name: string;
  clusterName: string;
  namespaceName: string;
}

beforeAll(async () => {
  fleet = await startAuthGateway({
    seed: "federation",
    users: ["admin", "bob"],
    gateway: { subgraph: true },
  });
  teams = await startTeamsSubgraph({ onRequest: (headers) => teamsRequests.push(headers) });
  // The gateway checks every request's token, `_service` included: the router's composition
  // step authenticates like any client.
  const sdl = await fetchSubgraphSdl(`${fleet.base}/graphql`, {
    authorization: `Bearer ${fleet.tokens.get("admin")}`,
  });
  const routerModule = await loadRouter();
  const supergraph = composeSupergraph([
    { name: routerModule.FLEETGRAPH_SUBGRAPH, sdl, url: `${fleet.base}/graphql` },
    { name: "teams", sdl: TEAMS_SDL, url: teams.url },
  ]);
  router = await routerModule.startRouter({ supergraph });
}, 120_000);

afterAll(async () => {
  await router?.stop();
  await teams?.stop();
  await fleet?.stop();
});

async function viaRouter<D>(user: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(router.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${fleet.tokens.get(user)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as { data?: D; errors?: unknown[] }) };
}

const WORKLOAD_FIELDS = "id kind name clusterName namespaceName";

/** The workloads a user reads directly from the gateway with a label selector (the expected answer). */
async function directWorkloads(user: string, labelSelector: string): Promise<string[]> {
  const answer = await fleet.query<{ workloads: { nodes: WorkloadRow[] } }>(
    user,
    `query ($s: String!) { workloads(first: 1000, filter: { labelSelector: $s }) { nodes { ${WORKLOAD_FIELDS} } } }`,
    { s: labelSelector },
  );
  expect(answer.errors).toBeUndefined();
  return keysOf(answer.data!.workloads.nodes);
}

function keysOf(rows: WorkloadRow[]): string[] {
  return rows.map((w) => `${w.clusterName}/${w.namespaceName}/${w.kind}/${w.name}`).sort();
}

// The teams subgraph extends each workload kind with `owner` (docs/federation.md).
const CROSSING = `
  query ($id: ID!) {
    node(id: $id) {
      ... on Workload { name clusterName }
      ... on Deployment { owner { ...Team } }
      ... on StatefulSet { owner { ...Team } }
    }
  }
  fragment Team on Team {
    name
    onCall
    labelSelector
    workloads { labelSelector workloads(first: 1000) { nodes { ${WORKLOAD_FIELDS} } } }
  }`;

interface Crossing {
  node: {
    name: string;
    clusterName: string;
    owner: {
      name: string;
      onCall: string;
      labelSelector: string;
      workloads: { labelSelector: string; workloads: { nodes: WorkloadRow[] } };
    } | null;
  } | null;
}

describe("the supergraph of Fleetgraph and the teams subgraph", () => {
  it("answers workload -> owning team -> the team's workloads across clusters, as each user may see them", async () => {
    // A workload of the search namespace, which bob may read: owned by the discovery team.
    const picked = await fleet.query<{ workloads: { nodes: WorkloadRow[] } }>(
      "bob",
      `{ workloads(first: 1, filter: { kinds: [DEPLOYMENT], namespaces: ["search"], labelSelector: "${PART_OF}=search" }) { nodes { ${WORKLOAD_FIELDS} } } }`,
    );
    const workload = picked.data!.workloads.nodes[0]!;
    expect(workload).toBeDefined();

    const asAdmin = await viaRouter<Crossing>("admin", CROSSING, { id: workload.id });
    expect(asAdmin.errors).toBeUndefined();
    const owner = asAdmin.data!.node!.owner!;
    expect(owner).toMatchObject({
      name: "discovery",
      onCall: "farid@example.com",
      labelSelector: `${PART_OF} in (catalog,search)`,
    });
    const adminRows = owner.workloads.workloads.nodes;
    // The team's workloads as the gateway answers the same selector directly: across clusters,
    // in both namespaces the team owns.
    expect(keysOf(adminRows)).toEqual(await directWorkloads("admin", owner.labelSelector));
    expect(new Set(adminRows.map((w) => w.clusterName)).size).toBeGreaterThan(1);
    expect(new Set(adminRows.map((w) => w.namespaceName))).toEqual(new Set(["catalog", "search"]));

    const asBob = await viaRouter<Crossing>("bob", CROSSING, { id: workload.id });
    expect(asBob.errors).toBeUndefined();
    expect(asBob.data!.node!.owner!.name).toBe("discovery");
    const bobRows = asBob.data!.node!.owner!.workloads.workloads.nodes;
    expect(keysOf(bobRows)).toEqual(await directWorkloads("bob", owner.labelSelector));
    // Scope applied in Fleetgraph: only bob's namespaces, a strict subset of the admin's answer.
    expect(bobRows.length).toBeGreaterThan(0);
    expect(bobRows.every((w) => BOB_NAMESPACES.includes(w.namespaceName))).toBe(true);
    expect(bobRows.length).toBeLessThan(adminRows.length);
  });

  it("forwards the caller's token to Fleetgraph only: the teams subgraph never receives it", async () => {
    const before = teamsRequests.length;
    const picked = await fleet.query<{ workloads: { nodes: WorkloadRow[] } }>(
      "bob",
      `{ workloads(first: 1, filter: { kinds: [DEPLOYMENT], namespaces: ["search"] }) { nodes { ${WORKLOAD_FIELDS} } } }`,
    );
    const response = await fetch(router.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${fleet.tokens.get("bob")}`,
        "x-request-id": "federation-headers-1",
      },
      body: JSON.stringify({ query: CROSSING, variables: { id: picked.data!.workloads.nodes[0]!.id } }),
    });
    const answer = (await response.json()) as { data?: Crossing; errors?: unknown[] };
    // Fleetgraph got the token (it answered as bob), the teams subgraph was asked, without it.
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.node!.owner!.name).toBe("discovery");
    const received = teamsRequests.slice(before);
    expect(received.length).toBeGreaterThan(0);
    for (const headers of received) {
      expect(headers.authorization).toBeUndefined();
      expect(headers["x-request-id"]).toBe("federation-headers-1");
    }
  });

  it("resolves a workload outside the caller's Scope to null through the router", async () => {
    const outside = await fleet.query<{ workloads: { nodes: WorkloadRow[] } }>(
      "admin",
      `{ workloads(first: 1, filter: { kinds: [DEPLOYMENT], namespaces: ["catalog"] }) { nodes { ${WORKLOAD_FIELDS} } } }`,
    );
    const id = outside.data!.workloads.nodes[0]!.id;
    const asAdmin = await viaRouter<Crossing>("admin", CROSSING, { id });
    expect(asAdmin.data!.node!.owner!.name).toBe("discovery");
    const asBob = await viaRouter<Crossing>("bob", CROSSING, { id });
    expect(asBob.errors).toBeUndefined();
    expect(asBob.data!.node).toBeNull();
  });

  it("refuses a request without a token at the subgraph: the gateway's own checks still apply", async () => {
    const response = await fetch(router.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "{ teams { name workloads { workloads(first: 1) { nodes { id } } } } }",
      }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.some((e) => e.extensions?.code === "UNAUTHENTICATED")).toBe(true);
  });
});

describe("the subgraph over plain HTTP (the federation spec's fields)", () => {
  it("answers _service { sdl } with the committed schema/subgraph.graphql", async () => {
    const committed = await readFile(new URL("../../schema/subgraph.graphql", import.meta.url), "utf8");
    const sdl = await fetchSubgraphSdl(`${fleet.base}/graphql`, {
      authorization: `Bearer ${fleet.tokens.get("bob")}`,
    });
    expect(sdl.trim()).toBe(committed.trim());
  });

  it("resolves _entities by id and by natural key, in the caller's Scope, a malformed one as its own error", async () => {
    const rows = await fleet.query<{ workloads: { nodes: WorkloadRow[] } }>(
      "admin",
      `{ workloads(first: 1000, filter: { kinds: [DEPLOYMENT], namespaces: ["search", "catalog"] }) { nodes { ${WORKLOAD_FIELDS} } } }`,
    );
    const nodes = rows.data!.workloads.nodes;
    const inSearch = nodes.find((w) => w.namespaceName === "search")!;
    const inCatalog = nodes.find((w) => w.namespaceName === "catalog")!;
    const representations = [
      { __typename: "Deployment", id: inSearch.id },
      { __typename: "Deployment", id: inCatalog.id },
      {
        __typename: "Deployment",
        clusterName: inCatalog.clusterName,
        namespaceName: inCatalog.namespaceName,
        name: inCatalog.name,
      },
      { __typename: "Workload", id: inSearch.id },
      // An id of a Deployment asked as a Pod: not a Pod, so nothing.
      { __typename: "Pod", id: inSearch.id },
      { __typename: "Cluster", name: inSearch.clusterName },
      { __typename: "WorkloadSelection", labelSelector: `${PART_OF}=search` },
      { __typename: "Deployment", id: "not an id" },
      { __typename: "Workload", id: "not an id" },
    ];
    const query = `query ($r: [_Any!]!) {
      _entities(representations: $r) {
        __typename
        ... on Workload { name namespaceName }
        ... on Cluster { name }
        ... on WorkloadSelection { workloads(first: 100) { nodes { namespaceName } } }
      }
    }`;
    const asAdmin = await fleet.query<{ _entities: Record<string, unknown>[] }>("admin", query, {
      r: representations,
    });
    expect(asAdmin.data!._entities.slice(0, 6)).toEqual([
      { __typename: "Deployment", name: inSearch.name, namespaceName: "search" },
      { __typename: "Deployment", name: inCatalog.name, namespaceName: "catalog" },
      { __typename: "Deployment", name: inCatalog.name, namespaceName: "catalog" },
      { __typename: "Deployment", name: inSearch.name, namespaceName: "search" },
      null,
      { __typename: "Cluster", name: inSearch.clusterName },
    ]);
    // Malformed ids: each its own BAD_USER_INPUT, for an object type and the entity interface alike.
    expect(asAdmin.data!._entities.slice(7)).toEqual([null, null]);
    expect(asAdmin.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["_entities", 7], "BAD_USER_INPUT"],
      [["_entities", 8], "BAD_USER_INPUT"],
    ]);
    for (const error of asAdmin.errors ?? []) expect(error.message).toMatch(/invalid id "not an id"/);

    const asBob = await fleet.query<{ _entities: (Record<string, unknown> | null)[] }>("bob", query, {
      r: representations,
    });
    // Outside bob's Scope: null, exactly like an object that does not exist.
    expect(asBob.data!._entities[1]).toBeNull();
    expect(asBob.data!._entities[2]).toBeNull();
    expect(asBob.data!._entities[0]).toMatchObject({ name: inSearch.name });
    const selection = asBob.data!._entities[6] as { workloads: { nodes: { namespaceName: string }[] } };
    expect(selection.workloads.nodes.length).toBeGreaterThan(0);
    expect(selection.workloads.nodes.every((w) => w.namespaceName === "search")).toBe(true);
  });

  it("resolves a federated workload group (FleetWorkload, keyed by id) with the instances the caller may see", async () => {
    const groups = await fleet.query<{
      fleetWorkloads: {
        nodes: { id: string; namespaceName: string; instances: { clusterName: string }[] }[];
      };
    }>(
      "admin",
      `{ fleetWorkloads(first: 100, filter: { namespaces: ["search", "catalog"] }) { nodes { id namespaceName instances { clusterName } } } }`,
    );
    const inSearch = groups.data!.fleetWorkloads.nodes.find((g) => g.namespaceName === "search")!;
    const inCatalog = groups.data!.fleetWorkloads.nodes.find((g) => g.namespaceName === "catalog")!;
    expect(inSearch.instances.length).toBeGreaterThan(1);
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FleetWorkload { namespaceName instances { clusterName } } } }`;
    const representations = [
      { __typename: "FleetWorkload", id: inSearch.id },
      { __typename: "FleetWorkload", id: inCatalog.id },
    ];
    const asAdmin = await fleet.query<{ _entities: unknown[] }>("admin", query, { r: representations });
    expect(asAdmin.data!._entities).toEqual([
      { namespaceName: "search", instances: inSearch.instances },
      { namespaceName: "catalog", instances: inCatalog.instances },
    ]);
    const asBob = await fleet.query<{ _entities: unknown[] }>("bob", query, { r: representations });
    expect(asBob.data!._entities).toEqual([{ namespaceName: "search", instances: inSearch.instances }, null]);
  });

  // Every default and enum value is compared with plain mode in test/unit/federation/subgraph-schema.test.ts.
  it("keeps custom scalars and enums as in plain mode", async () => {
    const answer = await fleet.query<{
      workloads: { nodes: { kind: string; createdAt: string; labels: unknown[] }[] };
    }>(
      "admin",
      `{ workloads(first: 3, filter: { kinds: [STATEFUL_SET] }) { nodes { kind createdAt labels { key value } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.workloads.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.kind).toBe("STATEFUL_SET");
      expect(node.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
  });

  it("refuses an _entities batch over the cost limit, priced per representation", async () => {
    const query = `query ($r: [_Any!]!) {
      _entities(representations: $r) { ... on WorkloadSelection { workloads(first: 1000) { nodes { name } } } }
    }`;
    const one = [{ __typename: "WorkloadSelection", labelSelector: `${PART_OF}=search` }];
    expect((await fleet.query("admin", query, { r: one })).errors).toBeUndefined();
    const many = Array.from({ length: 20 }, () => one[0]);
    const refused = await fleet.query("admin", query, { r: many });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      largestField: "WorkloadSelection.workloads",
    });
  });

  it("refuses more representations than Query.nodes takes ids, before resolving any", async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
    const selection = { __typename: "WorkloadSelection", labelSelector: `${PART_OF}=search` };
    const atCap = await fleet.query<{ _entities: unknown[] }>("admin", query, {
      r: Array.from({ length: 1000 }, () => selection),
    });
    expect(atCap.errors).toBeUndefined();
    expect(atCap.data!._entities).toHaveLength(1000);
    const over = await fleet.query("admin", query, { r: Array.from({ length: 1001 }, () => selection) });
    expect(over.status).toBe(400);
    expect(over.data).toBeUndefined();
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      representations: 1001,
      limit: 1000,
    });
    expect(over.errors?.[0]?.message).toMatch(/at most 1,000 representations, got 1,001/);
  });

  it("fails a representation naming no entity type as its own BAD_USER_INPUT item", async () => {
    const rows = await fleet.query<{ workloads: { nodes: WorkloadRow[] } }>(
      "admin",
      `{ workloads(first: 1, filter: { kinds: [DEPLOYMENT] }) { nodes { ${WORKLOAD_FIELDS} } } }`,
    );
    const deployment = rows.data!.workloads.nodes[0]!;
    const answer = await fleet.query<{ _entities: unknown[] }>(
      "admin",
      `query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Deployment { name } } }`,
      {
        r: [
          { __typename: "Nonexistent", id: deployment.id },
          { id: deployment.id },
          // An interface that is not an entity, and a value type.
          { __typename: "Node", id: deployment.id },
          { __typename: "PageInfo", endCursor: "x" },
          { __typename: "Deployment", id: deployment.id },
        ],
      },
    );
    expect(answer.data!._entities).toEqual([
      null,
      null,
      null,
      null,
      { __typename: "Deployment", name: deployment.name },
    ]);
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual(
      [0, 1, 2, 3].map((i) => [["_entities", i], "BAD_USER_INPUT"]),
    );
    expect(answer.errors?.[0]?.message).toMatch(/"Nonexistent" is not an entity type of this subgraph/);
    expect(answer.errors?.[1]?.message).toMatch(/has no __typename/);
  });

  it("refuses an invalid selection's selector with BAD_USER_INPUT", async () => {
    const answer = await fleet.query<{ _entities: unknown[] }>(
      "admin",
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on WorkloadSelection { labelSelector } } }`,
      { r: [{ __typename: "WorkloadSelection", labelSelector: "team in (" }] },
    );
    expect(answer.data!._entities).toEqual([null]);
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(answer.errors?.[0]?.message).toMatch(/invalid label selector/);
  });
});

describe("subgraph mode keeps the gateway's own transports", () => {
  it("serves subscriptions over graphql-ws with the caller's Scope (the router does not carry them)", async () => {
    const subscriber = subscribe<{ podChanges: { type: string; object: { namespaceName: string } | null } }>({
      url: `${fleet.base}/graphql`,
      query: `subscription { podChanges(sendInitial: true) { type object { namespaceName } } }`,
      token: fleet.tokens.get("bob")!,
    });
    try {
      await subscriber.until((events) => events.length >= 3, 15_000);
      const namespaces = subscriber.events.map((e) => e.data?.podChanges.object?.namespaceName);
      expect(namespaces.every((n) => n !== undefined && BOB_NAMESPACES.includes(n))).toBe(true);
    } finally {
      await subscriber.close();
    }
  });

  it("still serves the explorer to a browser's GET /graphql", async () => {
    const response = await fetch(`${fleet.base}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("a subgraph in production mode with trusted documents required", () => {
  it("refuses _service { sdl } with introspection, and warns at start that a router would be refused", async () => {
    const logs = captureLogs();
    const strict = await startAuthGateway({
      seed: "federation-strict",
      users: ["admin"],
      gateway: { subgraph: true, logger: logs.logger },
      configFor: () =>
        Promise.resolve({
          production: true,
          trustedDocuments: {
            mode: "required",
            manifests: [
              new URL("../../examples/dashboard/src/gql/persisted-documents.json", import.meta.url).pathname,
            ],
          },
        }),
    });
    try {
      const warnings = logs.matching(/required in subgraph mode/).filter((l) => l.level === LEVEL.warn);
      expect(warnings).toHaveLength(1);
      // The router's entity fetch: its text, as a router sends it, refused in required mode.
      const fetchEntities = await strict.query(
        "admin",
        `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
        {
          r: [{ __typename: "Cluster", name: "x" }],
        },
      );
      expect(fetchEntities.errors?.[0]?.extensions?.code).toBe("OPERATION_NOT_TRUSTED");
    } finally {
      await strict.stop();
    }
    const production = await startAuthGateway({
      seed: "federation-production",
      users: ["admin"],
      gateway: { subgraph: true },
      configFor: () => Promise.resolve({ production: true }),
    });
    try {
      const answer = await production.query("admin", "{ _service { sdl } }");
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0]?.extensions?.code).toBe("INTROSPECTION_DISABLED");
      expect(answer.errors?.[0]?.message).toMatch(/schema\/subgraph\.graphql/);
    } finally {
      await production.stop();
    }
  }, 120_000);
});
