/**
 * Silences through the gateway against the real servers (docs/alerts.md "Silences"): the
 * simulator crash-loops a pod, the real Prometheus fires KubePodCrashLooping into the real
 * Alertmanagers, alice (admin of the pod's workspace) silences it with silenceCreate over HTTP —
 * and Alertmanager's own API then tells the alert suppressed by that silence; the gateway lists it
 * SUPPRESSED; silenceExpire makes it active again. Who may silence what (her namespaces only,
 * never the whole cluster, never a cluster-wide silence's expiry; a reader not at all), bad input
 * as user errors, the audit trail, and one cluster's Alertmanager down as that cluster's outcome.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLinesOf } from "../support/audit-file.js";
import { eventually } from "../support/eventually.js";
import { startAlertsWorld, type AlertsWorld } from "./alerts-fixture.js";
import { CLUSTER_LABEL } from "./metrics-fixture.js";

interface Outcome {
  cluster: string;
  status: string;
  error: { code: string; message: string } | null;
  target: { kind: string; name: string; namespace: string };
  object: SilenceNode | null;
}

interface SilenceNode {
  id: string;
  clusterName: string;
  createdBy: string;
  comment: string;
  state: string;
  startsAt: string;
  endsAt: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
}

interface Payload {
  outcomes: Outcome[];
  userErrors: { field: string[]; message: string; code: string }[];
}

const SILENCE_FIELDS =
  "id clusterName createdBy comment state startsAt endsAt matchers { name value isRegex isEqual }";
const PAYLOAD = `outcomes { cluster status error { code message } target { kind name namespace } object { ${SILENCE_FIELDS} } }
  userErrors { field message code }`;
const CREATE = `mutation ($input: SilenceCreateInput!) { silenceCreate(input: $input) { ${PAYLOAD} } }`;
const EXPIRE = `mutation ($input: SilenceExpireInput!) { silenceExpire(input: $input) { ${PAYLOAD} } }`;
const SILENCES = `query ($filter: SilenceFilter) {
  silences(filter: $filter, first: 100) {
    totalCount
    nodes { ${SILENCE_FIELDS} }
    outcomes { clusterName source error { code retryable } }
  }
}`;
const ALERTS = `query ($filter: AlertFilter) {
  alerts(filter: $filter, first: 100) {
    nodes { name state clusterName labels { key value } silencedBy silences { id createdBy } }
  }
}`;

interface AlertNode {
  name: string;
  state: string;
  clusterName: string;
  labels: { key: string; value: string }[];
  silencedBy: string[];
  silences: { id: string; createdBy: string }[];
}

/** An alert as Alertmanager's own API v2 answers it. */
interface ManagedAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}

let world: AlertsWorld;
let auditDir: string;
/** A running pod of the first cluster in a namespace of alice's workspace (retail). */
let target: { cluster: string; namespace: string; pod: string };
/** A namespace of the same cluster outside her workspace, which bob reads. */
let elsewhere: string;

const WORKSPACE_LABEL = "kubesphere.io/workspace";

async function crashLoop(on: boolean): Promise<void> {
  const { cluster, namespace, pod } = target;
  const res = await fetch(
    `${world.fixture.sim.adminUrl}/clusters/${cluster}/pods/${namespace}/${pod}/crash-loop`,
    {
      method: on ? "PUT" : "DELETE",
      body: on ? JSON.stringify({ intervalMs: 500 }) : "",
    },
  );
  expect(res.status, await res.clone().text()).toBe(200);
}

async function mutate(user: string, document: string, input: Record<string, unknown>): Promise<Payload> {
  const answer = await world.fixture.query<{ silenceCreate?: Payload; silenceExpire?: Payload }>(
    user,
    document,
    {
      input,
    },
  );
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return (answer.data!.silenceCreate ?? answer.data!.silenceExpire)!;
}

/** The target pod's KubePodCrashLooping as the cluster's own Alertmanager tells it. */
async function managedAlert(): Promise<ManagedAlert | undefined> {
  const index = world.fixture.sim.clusters.findIndex((c) => c.name === target.cluster);
  const params = new URLSearchParams();
  params.append("filter", 'alertname="KubePodCrashLooping"');
  params.append("filter", `pod=${JSON.stringify(target.pod)}`);
  params.append("filter", `${CLUSTER_LABEL}=${JSON.stringify(target.cluster)}`);
  const res = await fetch(`${world.alertmanagers[index]!.url}/api/v2/alerts?${params.toString()}`);
  expect(res.status).toBe(200);
  const alerts = (await res.json()) as ManagedAlert[];
  return alerts[0];
}

async function gatewayAlert(user: string): Promise<AlertNode | undefined> {
  const answer = await world.fixture.query<{ alerts: { nodes: AlertNode[] } }>(user, ALERTS, {
    filter: { names: ["KubePodCrashLooping"], namespaces: [target.namespace], clusters: [target.cluster] },
  });
  expect(answer.errors).toBeUndefined();
  return answer.data!.alerts.nodes.find((a) =>
    a.labels.some((l) => l.key === "pod" && l.value === target.pod),
  );
}

const auditLines = async () =>
  (await auditLinesOf(join(auditDir, "audit.jsonl"))).filter((l) => l.operation.startsWith("silence."));

beforeAll(async () => {
  auditDir = await mkdtemp(join(tmpdir(), "fleetgraph-silences-"));
  world = await startAlertsWorld("silences", { auditFile: join(auditDir, "audit.jsonl") });
  const { fixture } = world;
  const cluster = fixture.sim.clusters[0]!.name;
  const listed = await fixture.query<{
    namespaces: { nodes: { name: string; clusterName: string; labels: { key: string; value: string }[] }[] };
  }>("admin", `{ namespaces(first: 500) { nodes { name clusterName labels { key value } } } }`);
  const retail = new Set(
    listed
      .data!.namespaces.nodes.filter(
        (n) =>
          n.clusterName === cluster &&
          n.labels.some((l) => l.key === WORKSPACE_LABEL && l.value === "retail"),
      )
      .map((n) => n.name),
  );
  const pods = await fixture.query<{
    pods: { nodes: { name: string; namespaceName: string; clusterName: string }[] };
  }>(
    "admin",
    `{ pods(first: 500, filter: { phases: [RUNNING] }) { nodes { name namespaceName clusterName } } }`,
  );
  const pod = pods.data!.pods.nodes.find((p) => p.clusterName === cluster && retail.has(p.namespaceName));
  if (!pod) throw new Error("the fleet has no running pod in alice's workspace");
  target = { cluster, namespace: pod.namespaceName, pod: pod.name };
  // bob views "search" (docs/security.md's demo bindings); it is not alice's.
  if (retail.has("search")) throw new Error("search is in alice's workspace");
  elsewhere = "search";
}, 180_000);

afterAll(async () => {
  await world?.stop();
  await rm(auditDir, { recursive: true, force: true });
});

describe("silences through the gateway, with the real Alertmanager", () => {
  it("a silence created through the gateway suppresses the alert in Alertmanager itself; expiring it makes it active again", async () => {
    await crashLoop(true);
    try {
      await eventually(async () => (await gatewayAlert("alice"))?.state === "FIRING", 60_000, 500);

      const made = await mutate("alice", CREATE, {
        cluster: target.cluster,
        matchers: [
          { name: "namespace", value: target.namespace },
          { name: "pod", value: target.pod },
          { name: "alertname", value: "KubePodCrashLooping" },
        ],
        duration: "2h",
        comment: "a fix is rolling out",
      });
      expect(made.userErrors).toEqual([]);
      const [outcome] = made.outcomes;
      expect(outcome).toMatchObject({
        cluster: target.cluster,
        status: "APPLIED",
        error: null,
        target: { kind: "Silence", namespace: target.namespace },
      });
      const silence = outcome!.object!;
      expect(silence).toMatchObject({
        clusterName: target.cluster,
        createdBy: "alice",
        comment: "a fix is rolling out",
        state: "ACTIVE",
      });
      expect(silence.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(silence.endsAt) - Date.parse(silence.startsAt)).toBe(2 * 3_600_000);
      // Each Alertmanager here holds every cluster's alerts: the silence names its cluster.
      expect(silence.matchers).toContainEqual({
        name: CLUSTER_LABEL,
        value: target.cluster,
        isRegex: false,
        isEqual: true,
      });

      // Alertmanager's own API: the alert is suppressed, by that silence.
      const suppressed = await eventually(
        async () => {
          const alert = await managedAlert();
          return alert?.status.state === "suppressed" ? alert : undefined;
        },
        30_000,
        250,
      );
      expect(suppressed.status.silencedBy).toContain(silence.id);

      // The gateway tells it SUPPRESSED, by the silence alice may see.
      const shown = await eventually(
        async () => {
          const alert = await gatewayAlert("alice");
          return alert?.state === "SUPPRESSED" ? alert : undefined;
        },
        30_000,
        250,
      );
      expect(shown.silencedBy).toContain(silence.id);
      expect(shown.silences).toContainEqual({ id: silence.id, createdBy: "alice" });

      // Listed for alice and admin; not for bob, who may not read the namespace.
      const listedFor = async (user: string) =>
        (
          await world.fixture.query<{ silences: { nodes: SilenceNode[] } }>(user, SILENCES, {
            filter: { clusters: [target.cluster], states: ["ACTIVE"] },
          })
        ).data!.silences.nodes.map((s) => s.id);
      expect(await listedFor("alice")).toContain(silence.id);
      expect(await listedFor("admin")).toContain(silence.id);
      expect(await listedFor("bob")).not.toContain(silence.id);

      const expired = await mutate("alice", EXPIRE, { cluster: target.cluster, id: silence.id });
      expect(expired.outcomes[0]).toMatchObject({
        status: "APPLIED",
        error: null,
        object: { id: silence.id, state: "EXPIRED" },
      });
      const active = await eventually(
        async () => {
          const alert = await managedAlert();
          return alert?.status.state === "active" ? alert : undefined;
        },
        30_000,
        250,
      );
      expect(active.status.silencedBy).toEqual([]);
      await eventually(async () => (await gatewayAlert("alice"))?.state === "FIRING", 30_000, 250);
      const again = await mutate("alice", EXPIRE, { cluster: target.cluster, id: silence.id });
      expect(again.outcomes[0]!.status).toBe("UNCHANGED");

      const audited = await eventually(
        async () => {
          const lines = await auditLines();
          return lines.some((l) => l.operation === "silence.expire") ? lines : undefined;
        },
        10_000,
        100,
      );
      expect(audited).toContainEqual(
        expect.objectContaining({
          operation: "silence.create",
          outcome: "success",
          user: "alice",
          cluster: target.cluster,
          namespace: target.namespace,
          resource: `silences/${silence.id}`,
        }),
      );
      expect(audited).toContainEqual(
        expect.objectContaining({
          operation: "silence.expire",
          outcome: "success",
          user: "alice",
          namespace: target.namespace,
          resource: `silences/${silence.id}`,
        }),
      );
      // What it muted, as Alertmanager holds it (the cluster label's matcher included).
      const createdLine = audited.find((l) => l.operation === "silence.create" && l.outcome === "success");
      expect(createdLine!.reason).toBe(
        `APPLIED; matchers {namespace="${target.namespace}", pod="${target.pod}", alertname="KubePodCrashLooping", ` +
          `${CLUSTER_LABEL}="${target.cluster}"} until ${silence.endsAt}`,
      );
    } finally {
      await crashLoop(false);
    }
  }, 180_000);

  it("lets a workspace admin silence her namespaces only, never the cluster or a cluster-wide silence's expiry; a reader not at all", async () => {
    const base = { cluster: target.cluster, duration: "1h", comment: "checking rights" };
    // RE2's flag group and named group, which JavaScript's syntax has not: Alertmanager takes them.
    const own = await mutate("alice", CREATE, {
      ...base,
      matchers: [
        { name: "namespace", value: `${target.namespace}`, isRegex: true },
        { name: "alertname", value: "(?i)kube(?P<what>.*)", isRegex: true },
      ],
    });
    expect(own.userErrors).toEqual([]);
    expect(own.outcomes[0]!.status).toBe("APPLIED");

    const other = await mutate("alice", CREATE, {
      ...base,
      matchers: [{ name: "namespace", value: `${target.namespace}|${elsewhere}`, isRegex: true }],
    });
    expect(other.outcomes[0]).toMatchObject({ status: "FORBIDDEN", object: null });
    expect(other.outcomes[0]!.error!.message).toContain(
      `namespace ${elsewhere} on cluster ${target.cluster}`,
    );

    const unpinned = await mutate("alice", CREATE, {
      ...base,
      matchers: [{ name: "alertname", value: "KubeNodeNotReady" }],
    });
    expect(unpinned.outcomes[0]!.status).toBe("FORBIDDEN");
    expect(unpinned.outcomes[0]!.error!.message).toContain("pins no namespace");
    expect(unpinned.outcomes[0]!.error!.message).toContain('namespace="<namespace>"');

    // A pattern on namespace pins nothing.
    const pattern = await mutate("alice", CREATE, {
      ...base,
      matchers: [{ name: "namespace", value: `${target.namespace.slice(0, 2)}.*`, isRegex: true }],
    });
    expect(pattern.outcomes[0]!.status).toBe("FORBIDDEN");

    // bob reads "search" but may not act there.
    const reader = await mutate("bob", CREATE, {
      ...base,
      matchers: [{ name: "namespace", value: elsewhere }],
    });
    expect(reader.outcomes[0]!.status).toBe("FORBIDDEN");

    // admin's cluster-wide silence: alice may not expire it.
    const wide = await mutate("admin", CREATE, {
      ...base,
      matchers: [{ name: "alertname", value: "KubeNodeNotReady" }],
    });
    expect(wide.outcomes[0]!.status).toBe("APPLIED");
    const wideId = wide.outcomes[0]!.object!.id;
    const refused = await mutate("alice", EXPIRE, { cluster: target.cluster, id: wideId });
    expect(refused.outcomes[0]).toMatchObject({ status: "FORBIDDEN", object: null });
    expect(refused.outcomes[0]!.error!.message).not.toContain("KubeNodeNotReady");
    // Nor does she see it; the cluster role does, and may expire it.
    const aliceSees = await world.fixture.query<{ silences: { nodes: SilenceNode[] } }>(
      "alice",
      SILENCES,
      {},
    );
    expect(aliceSees.data!.silences.nodes.map((s) => s.id)).not.toContain(wideId);
    const ownId = own.outcomes[0]!.object!.id;
    expect(aliceSees.data!.silences.nodes.map((s) => s.id)).toContain(ownId);
    expect((await mutate("admin", EXPIRE, { cluster: target.cluster, id: wideId })).outcomes[0]!.status).toBe(
      "APPLIED",
    );
    expect((await mutate("alice", EXPIRE, { cluster: target.cluster, id: ownId })).outcomes[0]!.status).toBe(
      "APPLIED",
    );

    // The trail ships to its file in the background: wait for the records.
    const denied = async () =>
      (await auditLines()).filter((l) => l.outcome === "denied").map((l) => `${l.operation} ${l.user}`);
    await eventually(async () => (await denied()).includes("silence.expire alice"), 10_000, 100);
    expect(await denied()).toEqual(
      expect.arrayContaining(["silence.create alice", "silence.create bob", "silence.expire alice"]),
    );
  }, 60_000);

  it("refuses bad matchers and windows as BAD_USER_INPUT, naming the field, and makes nothing", async () => {
    const base = {
      cluster: target.cluster,
      matchers: [{ name: "namespace", value: target.namespace }],
      duration: "1h",
      comment: "bad input",
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ matchers: [{ name: "pod-name", value: "x" }] }, "input.matchers.0.name"],
      [{ matchers: [{ name: "pod", value: "web-(", isRegex: true }] }, "input.matchers.0.value"],
      [{ matchers: [{ name: "namespace", value: "" }] }, "input.matchers"],
      [{ duration: "0s" }, "input.duration"],
      [{ duration: "-2h" }, "input.duration"],
      [{ duration: "31d" }, "input.duration"],
      [{ duration: "P1M" }, "input.duration"],
      [{ duration: null, endsAt: new Date(Date.now() - 60_000).toISOString() }, "input.endsAt"],
      [{ comment: "  " }, "input.comment"],
    ];
    const before = await world.fixture.query<{ silences: { totalCount: number } }>("admin", SILENCES, {});
    for (const [change, field] of cases) {
      const payload = await mutate("alice", CREATE, { ...base, ...change });
      expect(payload.outcomes, field).toEqual([]);
      expect(
        payload.userErrors.map((e) => [e.field.join("."), e.code]),
        field,
      ).toContainEqual([field, "BAD_USER_INPUT"]);
    }
    const after = await world.fixture.query<{ silences: { totalCount: number } }>("admin", SILENCES, {});
    expect(after.data!.silences.totalCount).toBe(before.data!.silences.totalCount);
  });

  it("answers one cluster's Alertmanager down with its typed outcome and makes the other cluster's silence", async () => {
    const [up, down] = world.fixture.sim.clusters.map((c) => c.name) as [string, string];
    await world.alertmanagers[1]!.stop();
    const made = await mutate("admin", CREATE, {
      clusters: [up, down],
      matchers: [{ name: "alertname", value: "KubeNodeNotReady" }],
      duration: "30m",
      comment: "maintenance window",
    });
    const byCluster = Object.fromEntries(made.outcomes.map((o) => [o.cluster, o]));
    expect(byCluster[up]).toMatchObject({ status: "APPLIED", error: null });
    expect(byCluster[down]).toMatchObject({
      status: "CLUSTER_UNAVAILABLE",
      object: null,
      error: { code: "ALERTMANAGER_UNAVAILABLE" },
    });
    const listed = await world.fixture.query<{
      silences: {
        nodes: SilenceNode[];
        outcomes: {
          clusterName: string;
          source: string;
          error: { code: string; retryable: boolean } | null;
        }[];
      };
    }>("admin", SILENCES, { filter: { states: ["ACTIVE"] } });
    expect(listed.data!.silences.nodes.map((s) => s.id)).toContain(byCluster[up]!.object!.id);
    const outcomes = Object.fromEntries(listed.data!.silences.outcomes.map((o) => [o.clusterName, o]));
    expect(outcomes[up]).toMatchObject({ source: "ALERTMANAGER", error: null });
    expect(outcomes[down]).toMatchObject({
      source: "ALERTMANAGER",
      error: { code: "ALERTMANAGER_UNAVAILABLE", retryable: true },
    });
  });
});
