/**
 * Container-log search stays inside each demo user's Scope, with authentication on, over one
 * shared log store holding lines of every namespace of both clusters. What each user may read is
 * computed without the gateway, as metrics-tenancy.test.ts does: the user's gateway grant
 * (DEMO_GRANTS) and `kubectl auth can-i list pods` as that user. Each user's pages must hold
 * exactly the lines of those namespaces (safe and complete), and the histogram count them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import { logStoreSettings, startLogStore } from "../support/log-store.js";
import { DEMO_USERS, startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import {
  DocBook,
  entryOf,
  fleetPods,
  HISTOGRAM,
  inOrder,
  LOGS_FLEET,
  pageAll,
  rangeOf,
  type SimPod,
} from "./logs-fixture.js";
import { podNamespacesReadable, type ClusterNamespace } from "./tenant-expectations.js";

type User = (typeof DEMO_USERS)[number];

let store: LogStoreServer;
let fixture: AuthGateway;
const book = new DocBook();
/** "cluster/namespace" -> the namespace with its labels, as admin lists them. */
const namespaces = new Map<string, ClusterNamespace & { cluster: string }>();
/** Per user: the namespaces whose pods it may read ("cluster/namespace"). */
const readable = new Map<User, Set<string>>();

beforeAll(async () => {
  store = await startLogStore();
  fixture = await startAuthGateway({
    seed: "logs-tenancy",
    fleet: LOGS_FLEET,
    configFor: () => Promise.resolve({ logs: { elasticsearch: logStoreSettings(store.url) } }),
  });
  const listed = await fixture.query<{
    namespaces: { nodes: { name: string; clusterName: string; labels: { key: string; value: string }[] }[] };
  }>("admin", `{ namespaces(first: 500) { nodes { name clusterName labels { key value } } } }`);
  expect(listed.errors).toBeUndefined();
  for (const n of listed.data!.namespaces.nodes)
    namespaces.set(`${n.clusterName}/${n.name}`, {
      name: n.name,
      cluster: n.clusterName,
      labels: Object.fromEntries(n.labels.map((l) => [l.key, l.value])),
    });
  // Two lines per pod, and one in every namespace (those without pods too).
  const T0 = Date.now() - 30 * 60_000;
  const pods = fleetPods(fixture.sim);
  pods.forEach((pod, i) => {
    book.line(pod, T0 + i * 1000, `hello from ${pod.name}`);
    book.line(pod, T0 + i * 1000 + 1, `bye from ${pod.name}`);
  });
  [...namespaces.values()].forEach((ns, i) => {
    const ghost: SimPod = {
      cluster: ns.cluster,
      namespace: ns.name,
      name: `ghost-${i}`,
      containers: ["ghost"],
      node: "node-x",
      labels: {},
    };
    // Some at the same millisecond as a pod's line, so ties cross namespaces and users.
    book.line(ghost, T0 + (i % pods.length) * 1000, `a line in ${ns.name}`);
  });
  await book.write(() => store.url);
  for (const user of DEMO_USERS) readable.set(user, await podsReadableBy(user));
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  await store?.close();
});

/** The gateway grant and the cluster's RBAC both: kubectl auth can-i, cluster-wide then per namespace. */
function podsReadableBy(user: User): Promise<Set<string>> {
  const who = { user, groups: fixture.sim.user(user).groups };
  return podNamespacesReadable(fixture.sim.kubeconfigPath, user, who, namespaces.values());
}

const range = () => rangeOf(book.docs);

describe.each(DEMO_USERS)("%s", (user) => {
  const visible = () => book.docs.filter((d) => readable.get(user)!.has(`${d.cluster}/${d.namespace}`));

  it("pages through exactly the lines of the namespaces whose pods it may read", async () => {
    const expected = visible();
    if (user === "admin") expect(expected).toHaveLength(book.docs.length);
    if (user === "mallory") expect(expected).toEqual([]);
    if (user === "alice" || user === "bob") {
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(book.docs.length);
    }
    for (const direction of ["NEWEST_FIRST", "OLDEST_FIRST"] as const) {
      const all = await pageAll(fixture, user, { range: range() }, 25, direction);
      // Safe: every entry in a readable namespace ...
      for (const e of all.entries)
        expect(readable.get(user), `${e.clusterName}/${e.namespace}`).toContain(
          `${e.clusterName}/${e.namespace}`,
        );
      // ... and complete: every line of those namespaces, once, in order.
      expect(all.entries).toEqual(inOrder(expected, direction).map(entryOf));
      for (const total of all.totalCounts) expect(total).toBe(expected.length);
    }
  });

  it("asking for namespaces out of reach adds nothing", async () => {
    const all = [...namespaces.values()].map((n) => n.name);
    const answer = await pageAll(
      fixture,
      user,
      { range: range(), namespaces: [...new Set(all)] },
      500,
      "NEWEST_FIRST",
    );
    expect(answer.entries).toEqual(inOrder(visible(), "NEWEST_FIRST").map(entryOf));
  });

  it("logHistogram counts only its lines", async () => {
    const answer = await fixture.query<{
      logHistogram: { total: number; buckets: { time: string; count: number }[] };
    }>(user, HISTOGRAM, { filter: { range: range() }, interval: "1m" });
    expect(answer.errors).toBeUndefined();
    const { total, buckets } = answer.data!.logHistogram;
    const expected = visible();
    expect(total).toBe(expected.length);
    expect(buckets.reduce((s, b) => s + b.count, 0)).toBe(expected.length);
    for (const b of buckets) {
      const start = Date.parse(b.time);
      expect(b.count, b.time).toBe(expected.filter((d) => d.time >= start && d.time < start + 60_000).length);
    }
  });
});
