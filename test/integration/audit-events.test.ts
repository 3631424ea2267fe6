/**
 * auditEvents over HTTP, as real demo users, against a gateway whose `logs.elasticsearch` is the
 * simulated fleet's log store, fed with the simulated API servers' audit logs (only when a test
 * calls feedLogs). Ground truth: the audit documents the store holds (read with the official
 * client), narrowed by the filter and by what the user may see (namespaces where they may read
 * events; requests without a namespace only with every namespace and nodes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import {
  startLogStoreGateway,
  storedAudit,
  walk,
  type AuditDoc,
  type LogStoreGateway,
} from "./log-store-fixture.js";

const AUDIT = `query($filter: AuditFilter, $first: Int, $after: String, $direction: LogDirection) {
  auditEvents(filter: $filter, first: $first, after: $after, direction: $direction) {
    edges { cursor node {
      time clusterName user groups impersonatedBy verb resource subresource apiGroup namespace name
      code outcome sourceIPs userAgent auditId requestURI stage cluster { name }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Entry {
  time: string;
  clusterName: string;
  user: string;
  groups: string[];
  impersonatedBy: string | null;
  verb: string;
  resource: string | null;
  namespace: string | null;
  name: string | null;
  code: number | null;
  outcome: "SUCCESS" | "DENIED" | "FAILURE" | null;
  sourceIPs: string[];
  userAgent: string | null;
  auditId: string;
  requestURI: string;
  stage: string | null;
}

const BOB = ["search", "analytics"];
const AGENT = `audit-events-test/${Date.now().toString(36)}`;

let gw: LogStoreGateway;
let east: string;
let west: string;
let range: { start: string; end: string };

beforeAll(async () => {
  gw = await startLogStoreGateway("audit-events");
  [east, west] = gw.sim.clusters.map((c) => c.name) as [string, string];
  range = {
    start: new Date(Date.now() - 3600_000).toISOString(),
    end: new Date(Date.now() + 3600_000).toISOString(),
  };
}, 120_000);

afterAll(async () => {
  await gw?.stop();
});

const effectiveUser = (d: AuditDoc) => d.impersonatedUser?.username ?? d.user.username ?? "";
const key = (cluster: string, id: string) => `${cluster}/${id}`;

async function audit(user: string, filter: Record<string, unknown>, direction = "NEWEST_FIRST") {
  return (
    await walk<Entry>(gw, user, AUDIT, "auditEvents", { filter: { range, ...filter }, direction }, 1000)
  ).nodes;
}

/**
 * The entries are exactly the matching documents, each once (as many times as stored), in time
 * order. An auditID alone does not name one event: the gateway sends its request id as Audit-ID
 * with every call it makes for a request, and the API server audits each under it.
 */
function checkAgainst(entries: Entry[], docs: AuditDoc[], direction = "NEWEST_FIRST"): void {
  const keys = entries.map((e) => key(e.clusterName, `${e.auditId} ${e.stage} ${e.requestURI}`));
  expect([...keys].sort()).toEqual(
    docs.map((d) => key(d.cluster, `${d.auditID} ${d.stage} ${d.requestURI}`)).sort(),
  );
  for (let i = 1; i < entries.length; i++) {
    const [a, b] = [Date.parse(entries[i - 1]!.time), Date.parse(entries[i]!.time)];
    if (direction === "NEWEST_FIRST") expect(a).toBeGreaterThanOrEqual(b);
    else expect(a).toBeLessThanOrEqual(b);
  }
}

/** A request straight to a simulated API server as the fleet's gateway identity, acting as `as`. */
async function impersonated(cluster: string, as: string, path: string): Promise<number> {
  const response = await fetch(`${gw.sim.cluster(cluster).url}${path}`, {
    headers: {
      authorization: `Bearer ${gw.sim.user("fleetgraph-gateway").token}`,
      "impersonate-user": as,
      "user-agent": AGENT,
    },
  });
  await response.arrayBuffer();
  return response.status;
}

describe("auditEvents", () => {
  it("shows a request the gateway made for bob as bob's, impersonated by the gateway's identity", async () => {
    const RESOURCES = `query($cluster: String!) {
      resources(cluster: $cluster, apiVersion: "v1", kind: "ConfigMap", namespace: "search", first: 5) { nodes }
    }`;
    const read = await gw.query("bob", RESOURCES, { cluster: east });
    expect(read.errors).toBeUndefined();
    gw.sim.feedLogs();
    const docs = (await storedAudit(gw.store, range)).filter(
      (d) =>
        d.impersonatedUser?.username === "bob" &&
        d.objectRef?.resource === "configmaps" &&
        d.cluster === east,
    );
    expect(docs.length).toBeGreaterThan(0);
    const identity = docs[0]!.user.username!;
    expect(identity).not.toBe("bob");
    const entries = await audit("admin", { users: ["bob"], resources: ["configmaps"], clusters: [east] });
    checkAgainst(entries, docs);
    expect(entries[0]).toMatchObject({
      user: "bob",
      impersonatedBy: identity,
      verb: "list",
      resource: "configmaps",
      namespace: "search",
      code: 200,
      outcome: "SUCCESS",
    });
    // The authenticating identity is not "the user": filtering by it finds none of these.
    const asIdentity = await audit("admin", {
      users: [identity],
      resources: ["configmaps"],
      clusters: [east],
    });
    expect(asIdentity.filter((e) => e.impersonatedBy !== null)).toEqual([]);
  });

  it("records a refused impersonated request as DENIED, and the outcomes filter tells them apart", async () => {
    expect(await impersonated(west, "bob", "/api/v1/namespaces/payments/configmaps")).toBe(403);
    expect(await impersonated(west, "bob", "/api/v1/namespaces/search/configmaps")).toBe(200);
    expect(await impersonated(west, "bob", "/api/v1/namespaces/search/configmaps/no-such-map")).toBe(404);
    gw.sim.feedLogs();
    const mine = { users: ["bob"], keywords: [AGENT], clusters: [west] };
    const all = await audit("admin", mine);
    expect(all.map((e) => [e.namespace, e.code, e.outcome, e.impersonatedBy, e.userAgent]).sort()).toEqual(
      [
        ["payments", 403, "DENIED", "fleetgraph-gateway", AGENT],
        ["search", 200, "SUCCESS", "fleetgraph-gateway", AGENT],
        ["search", 404, "FAILURE", "fleetgraph-gateway", AGENT],
      ].sort(),
    );
    for (const outcome of ["SUCCESS", "DENIED", "FAILURE"]) {
      const found = await audit("admin", { ...mine, outcomes: [outcome] });
      expect(found.map((e) => e.outcome)).toEqual([outcome]);
    }
    expect(await audit("admin", { ...mine, outcomes: [] })).toEqual([]);
  });

  describe("filters, against what the store holds", () => {
    const cases: [string, Record<string, unknown>, (d: AuditDoc) => boolean][] = [
      ["users", { users: ["bob", "admin"] }, (d) => ["bob", "admin"].includes(effectiveUser(d))],
      ["verbs", { verbs: ["get", "watch"] }, (d) => ["get", "watch"].includes(d.verb)],
      ["namespaces", { namespaces: ["search"] }, (d) => d.objectRef?.namespace === "search"],
      [
        "resources",
        { resources: ["pods", "nodes"] },
        (d) => ["pods", "nodes"].includes(d.objectRef?.resource ?? ""),
      ],
      ["outcomes", { outcomes: ["DENIED", "FAILURE"] }, (d) => d.responseStatus.code >= 400],
      ["keywords", { keywords: ["configmaps"] }, (d) => /configmaps/.test(d.requestURI)],
      ["clusters", { clusters: ["<west>"] }, (d) => d.cluster === west],
    ];
    for (const [what, filter, match] of cases)
      it(`narrows by ${what}`, async () => {
        gw.sim.feedLogs();
        const docs = (await storedAudit(gw.store, range)).filter(match);
        expect(docs.length).toBeGreaterThan(0);
        const asked = JSON.parse(JSON.stringify(filter).replace("<west>", west)) as Record<string, unknown>;
        checkAgainst(await audit("admin", asked), docs);
      });

    it("narrows by a cluster selector, and pages the same entries oldest first", async () => {
      gw.sim.feedLogs();
      const labels = gw.sim.cluster(east).labels;
      const label = Object.keys(labels).find((k) => gw.sim.cluster(west).labels[k] !== labels[k])!;
      const docs = (await storedAudit(gw.store, range)).filter((d) => d.cluster === east);
      checkAgainst(
        await audit("admin", { clusterSelector: `${label}=${labels[label]}` }, "OLDEST_FIRST"),
        docs,
        "OLDEST_FIRST",
      );
    });

    it("refuses a verb that is not a verb, naming the argument", async () => {
      const answer = await gw.query("admin", AUDIT, { filter: { verbs: ["get OR 1=1"] } });
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        argument: "filter.verbs",
      });
    });
  });

  describe("who sees what", () => {
    it("bob sees requests in his namespaces only; carol every namespaced one but no cluster-wide one; admin all", async () => {
      const NODES = `{ clusterNodes(first: 1) { totalCount } }`;
      // The premise: carol reads every namespace but not nodes; admin reads nodes.
      const carolNodes = await gw.query<{ clusterNodes: { totalCount: number } }>("carol", NODES);
      expect(carolNodes.data?.clusterNodes.totalCount ?? 0).toBe(0);
      const adminNodes = await gw.query<{ clusterNodes: { totalCount: number } }>("admin", NODES);
      expect(adminNodes.data!.clusterNodes.totalCount).toBeGreaterThan(0);

      gw.sim.feedLogs();
      await eventually(async () => {
        const docs = await storedAudit(gw.store, range);
        const bob = await audit("bob", {});
        expect(bob.length).toBeGreaterThan(0);
        checkAgainst(
          bob,
          docs.filter((d) => BOB.includes(d.objectRef?.namespace ?? "")),
        );
        const carol = await audit("carol", {});
        checkAgainst(
          carol,
          docs.filter((d) => (d.objectRef?.namespace ?? "") !== ""),
        );
        const admin = await audit("admin", {});
        checkAgainst(admin, docs);
        expect(admin.some((e) => e.namespace === null)).toBe(true);
        expect(carol.every((e) => e.namespace !== null)).toBe(true);
        return true;
      });
    });
  });
});
