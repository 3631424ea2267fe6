/**
 * Alerts end to end with the real servers (docs/alerts.md): the simulator crash-loops a pod, the
 * real Prometheus evaluates the deployed KubePodCrashLooping rule (durations shortened) and alerts
 * the real Alertmanagers; the gateway lists the alert for the users who may read the pod's
 * namespace (decided by kubectl as each user) and for no one else, and its alertChanges
 * subscription — a real graphql-ws client — delivers FIRED, then RESOLVED once the pod is fixed.
 * One cluster's Alertmanager stopped leaves a typed ALERTMANAGER outcome for it and the other
 * cluster's alerts in the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelsFingerprint } from "../../src/alerts/alert.js";
import { eventually } from "../support/eventually.js";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { startAlertsWorld, type AlertsWorld } from "./alerts-fixture.js";
import { DEMO_USERS } from "./auth-gateway-fixture.js";
import {
  DEMO_GRANTS,
  kubectlCanI,
  podNamespacesReadable,
  type ClusterNamespace,
} from "./tenant-expectations.js";

interface AlertNode {
  fingerprint: string;
  name: string;
  state: string;
  clusterName: string;
  namespaceName: string | null;
  severity: string | null;
  summary: string | null;
  source: string;
  labels: { key: string; value: string }[];
  subject: { __typename: string; name: string } | null;
}

interface AlertsAnswer {
  alerts: {
    totalCount: number;
    nodes: AlertNode[];
    outcomes: { clusterName: string; source: string; error: { code: string; retryable: boolean } | null }[];
  };
}

interface ChangeEvent {
  alertChanges: { type: string; alert: AlertNode };
}

const ALERT_FIELDS = `fingerprint name state clusterName namespaceName severity summary source labels { key value }
  subject { __typename name }`;

const LIST = `query ($filter: AlertFilter) {
  alerts(filter: $filter, first: 100) {
    totalCount
    nodes { ${ALERT_FIELDS} }
    outcomes { clusterName source error { code retryable } }
  }
}`;

const CHANGES = `subscription ($filter: AlertFilter) {
  alertChanges(filter: $filter) { type alert { ${ALERT_FIELDS} } }
}`;

let world: AlertsWorld;
/** The crash-looped pod, in a namespace alice may read and bob may not. */
let target: { cluster: string; namespace: string; pod: string };
/** A pod of the same cluster in a namespace bob may read: his stream must tell him of it. */
let bobTarget: { cluster: string; namespace: string; pod: string };
/** "cluster/namespace" where alice may read pods (kubectl as alice). */
let aliceReads: ReadonlySet<string>;

const labelOf = (alert: AlertNode, key: string) => alert.labels.find((l) => l.key === key)?.value;
const isTarget = (alert: AlertNode, pod = target.pod) =>
  alert.name === "KubePodCrashLooping" &&
  alert.clusterName === target.cluster &&
  labelOf(alert, "pod") === pod;

async function crashLoop(cluster: string, namespace: string, pod: string, on: boolean): Promise<void> {
  const res = await fetch(
    `${world.fixture.sim.adminUrl}/clusters/${cluster}/pods/${namespace}/${pod}/crash-loop`,
    {
      method: on ? "PUT" : "DELETE",
      body: on ? JSON.stringify({ intervalMs: 500 }) : "",
    },
  );
  expect(res.status, await res.clone().text()).toBe(200);
}

async function listAs(user: string, filter: Record<string, unknown>) {
  const answer = await world.fixture.query<AlertsAnswer>(user, LIST, { filter });
  expect(answer.status).toBe(200);
  return answer;
}

beforeAll(async () => {
  world = await startAlertsWorld("alerts");
  const { fixture } = world;
  // The namespaces as admin lists them, and which of them alice and bob may read, by kubectl.
  const listed = await fixture.query<{
    namespaces: {
      nodes: (ClusterNamespace & { clusterName: string; labels: { key: string; value: string }[] })[];
    };
  }>("admin", `{ namespaces(first: 500) { nodes { name clusterName labels { key value } } } }`);
  const namespaces = listed.data!.namespaces.nodes.map((n) => ({
    name: n.name,
    cluster: n.clusterName,
    labels: Object.fromEntries(n.labels.map((l) => [l.key, l.value])),
  }));
  const readable = async (user: string) =>
    podNamespacesReadable(
      fixture.sim.kubeconfigPath,
      user,
      { user, groups: fixture.sim.user(user).groups },
      namespaces,
    );
  const alice = await readable("alice");
  aliceReads = alice;
  const bob = await readable("bob");
  const pods = await fixture.query<{
    pods: { nodes: { name: string; namespaceName: string; clusterName: string }[] };
  }>(
    "admin",
    `{ pods(first: 500, filter: { phases: [RUNNING] }) { nodes { name namespaceName clusterName } } }`,
  );
  const cluster = fixture.sim.clusters[0]!.name;
  const pod = pods.data!.pods.nodes.find(
    (p) =>
      p.clusterName === cluster &&
      alice.has(`${cluster}/${p.namespaceName}`) &&
      !bob.has(`${cluster}/${p.namespaceName}`),
  );
  if (!pod) throw new Error("the fleet has no running pod alice may read and bob may not");
  target = { cluster, namespace: pod.namespaceName, pod: pod.name };
  const bobPod = pods.data!.pods.nodes.find(
    (p) => p.clusterName === cluster && bob.has(`${cluster}/${p.namespaceName}`),
  );
  if (!bobPod) throw new Error("the fleet has no running pod bob may read");
  bobTarget = { cluster, namespace: bobPod.namespaceName, pod: bobPod.name };
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe("alerts through the real Prometheus and Alertmanager", () => {
  it("fires for a crash-looping pod, is listed and streamed to its namespace's users only, and resolves when fixed", async () => {
    const { fixture } = world;
    const filter = { names: ["KubePodCrashLooping"] };
    const aliceStream: Subscriber<ChangeEvent> = subscribe<ChangeEvent>({
      url: fixture.base + "/graphql",
      query: CHANGES,
      variables: { filter },
      token: fixture.tokens.get("alice")!,
    });
    const bobStream: Subscriber<ChangeEvent> = subscribe<ChangeEvent>({
      url: fixture.base + "/graphql",
      query: CHANGES,
      variables: { filter },
      token: fixture.tokens.get("bob")!,
    });
    try {
      await eventually(() => aliceStream.acknowledged() && bobStream.acknowledged(), 10_000, 50);
      await crashLoop(target.cluster, target.namespace, target.pod, true);
      await crashLoop(bobTarget.cluster, bobTarget.namespace, bobTarget.pod, true);

      // Alice (who reads the namespace's pods) gets it, firing, about the pod.
      const fired = await eventually(
        async () => {
          const answer = await listAs("alice", { ...filter, namespaces: [target.namespace] });
          return answer.data?.alerts.nodes.find((a) => isTarget(a) && a.state === "FIRING");
        },
        60_000,
        500,
      );
      expect(fired).toMatchObject({
        namespaceName: target.namespace,
        severity: "warning",
        summary: "Pod is crash looping.",
        source: "ALERTMANAGER",
        subject: { __typename: "Pod", name: target.pod },
      });
      expect(labelOf(fired, "reason")).toBe("CrashLoopBackOff");
      // The gateway names alerts read from Prometheus as Alertmanager names them.
      expect(labelsFingerprint(Object.fromEntries(fired.labels.map((l) => [l.key, l.value])))).toBe(
        fired.fingerprint,
      );

      // Admin sees it too; bob, who may not read the namespace, does not, even when he asks for it.
      const admin = await listAs("admin", filter);
      expect(admin.data!.alerts.nodes.some((a) => isTarget(a))).toBe(true);
      const bob = await listAs("bob", { ...filter, namespaces: [target.namespace] });
      expect(bob.data!.alerts.nodes).toEqual([]);
      expect(bob.data!.alerts.totalCount).toBe(0);
      const mallory = await listAs("mallory", {});
      expect(mallory.data!.alerts.nodes).toEqual([]);

      // The object relations and the groups tell the same alert.
      const related = await fixture.query<{
        pod: { alerts: { name: string; state: string }[] };
        namespace: { alerts: { name: string }[] };
        cluster: { alerts: { name: string; namespaceName: string | null }[] };
        alertGroups: { groups: { name: string; count: number; firing: number; clusterNames: string[] }[] };
      }>(
        "alice",
        `query ($cluster: String!, $namespace: String!, $pod: String!, $names: [String!]) {
          pod(cluster: $cluster, namespace: $namespace, name: $pod) { alerts(filter: { names: $names }) { name state } }
          namespace(cluster: $cluster, name: $namespace) { alerts(filter: { names: $names }) { name } }
          cluster(name: $cluster) { alerts(filter: { names: $names }) { name namespaceName } }
          alertGroups(filter: { names: $names }) { groups { name count firing clusterNames } }
        }`,
        { cluster: target.cluster, namespace: target.namespace, pod: target.pod, names: filter.names },
      );
      expect(related.errors).toBeUndefined();
      expect(related.data!.pod.alerts).toEqual([{ name: "KubePodCrashLooping", state: "FIRING" }]);
      expect(related.data!.namespace.alerts.map((a) => a.name)).toContain("KubePodCrashLooping");
      // alice reads no cluster-level alerts: every one of the cluster's she is shown has a namespace she reads.
      expect(related.data!.cluster.alerts.length).toBeGreaterThanOrEqual(1);
      expect(related.data!.cluster.alerts.every((a) => a.namespaceName !== null)).toBe(true);
      const [group] = related.data!.alertGroups.groups;
      expect(group).toMatchObject({ name: "KubePodCrashLooping" });
      expect(group!.firing).toBeGreaterThanOrEqual(1);
      expect(group!.clusterNames).toContain(target.cluster);

      await aliceStream.until(
        (events) =>
          events.some((e) => e.data?.alertChanges.type === "FIRED" && isTarget(e.data.alertChanges.alert)),
        30_000,
      );

      await crashLoop(target.cluster, target.namespace, target.pod, false);
      await aliceStream.until(
        (events) =>
          events.some((e) => e.data?.alertChanges.type === "RESOLVED" && isTarget(e.data.alertChanges.alert)),
        60_000,
      );
      const aboutTarget = aliceStream.events
        .map((e) => e.data?.alertChanges)
        .filter((c) => c !== undefined && isTarget(c.alert))
        .map((c) => c!.type);
      // FIRED first, RESOLVED last, nothing about the pod after it resolved.
      expect(aboutTarget[0]).toBe("FIRED");
      expect(aboutTarget.at(-1)).toBe("RESOLVED");
      expect(aliceStream.failure()).toBeUndefined();

      // Bob's stream works (it told him of the alert of his own namespace's pod, fired at the same
      // time) and never told him of the pod's alert.
      await bobStream.until(
        (events) =>
          events.some(
            (e) =>
              e.data?.alertChanges.type === "FIRED" &&
              e.data.alertChanges.alert.clusterName === bobTarget.cluster &&
              labelOf(e.data.alertChanges.alert, "pod") === bobTarget.pod,
          ),
        30_000,
      );
      expect(bobStream.events.filter((e) => e.data && isTarget(e.data.alertChanges.alert))).toEqual([]);
      expect(bobStream.events.every((e) => e.errors === undefined)).toBe(true);

      // Listed no more once resolved.
      await eventually(
        async () => !(await listAs("alice", filter)).data!.alerts.nodes.some((a) => isTarget(a)),
        30_000,
        500,
      );
    } finally {
      await crashLoop(bobTarget.cluster, bobTarget.namespace, bobTarget.pod, false);
      await aliceStream.close();
      await bobStream.close();
    }
  }, 180_000);

  it("fires KubeNodeNotReady for a node made not ready, about the node, for cluster-role holders only", async () => {
    const { fixture } = world;
    const node = (
      await fixture.query<{ clusterNodes: { nodes: { name: string; clusterName: string }[] } }>(
        "admin",
        `{ clusterNodes(first: 10, filter: { clusters: ["${target.cluster}"] }) { nodes { name clusterName } } }`,
      )
    ).data!.clusterNodes.nodes[0]!.name;
    const notReady = `${fixture.sim.adminUrl}/clusters/${target.cluster}/nodes/${node}/not-ready`;
    expect((await fetch(notReady, { method: "PUT" })).status).toBe(200);
    const isNode = (a: AlertNode) => a.name === "KubeNodeNotReady" && labelOf(a, "node") === node;
    try {
      const filter = { names: ["KubeNodeNotReady"], clusters: [target.cluster] };
      const fired = await eventually(
        async () =>
          (await listAs("admin", filter)).data?.alerts.nodes.find((a) => isNode(a) && a.state === "FIRING"),
        60_000,
        500,
      );
      expect(fired).toMatchObject({
        namespaceName: null,
        subject: { __typename: "ClusterNode", name: node },
      });
      // Whoever holds a cluster role that reads the cluster's nodes (kubectl as the user, and the
      // gateway's grant) sees it; no one else does, whatever namespaces they read.
      for (const user of DEMO_USERS) {
        const who = { user, groups: fixture.sim.user(user).groups };
        const clusterRole =
          DEMO_GRANTS[user]!("Node", undefined) &&
          (await kubectlCanI(fixture.sim.kubeconfigPath, target.cluster, who, "list", "nodes"));
        const seen = (await listAs(user, filter)).data!.alerts.nodes.some(isNode);
        expect({ user, seen }).toEqual({ user, seen: clusterRole });
        if (user === "admin") expect(clusterRole).toBe(true);
        if (user === "alice") expect(clusterRole).toBe(false);
      }
    } finally {
      expect((await fetch(notReady, { method: "DELETE" })).status).toBe(200);
    }
  }, 120_000);

  it("reports one cluster's Alertmanager down as its typed outcome and still lists the other cluster's alerts", async () => {
    const { fixture, alertmanagers } = world;
    const [up, down] = fixture.sim.clusters.map((c) => c.name) as [string, string];
    await crashLoop(target.cluster, target.namespace, target.pod, true);
    try {
      const filter = { names: ["KubePodCrashLooping"] };
      await eventually(
        async () => (await listAs("admin", filter)).data!.alerts.nodes.some((a) => isTarget(a)),
        60_000,
        500,
      );
      await alertmanagers[1]!.stop();
      const answer = await listAs("admin", filter);
      expect(answer.data!.alerts.nodes.some((a) => isTarget(a) && a.clusterName === up)).toBe(true);
      expect(answer.data!.alerts.nodes.every((a) => a.clusterName === up)).toBe(true);
      const outcomes = Object.fromEntries(answer.data!.alerts.outcomes.map((o) => [o.clusterName, o]));
      expect(outcomes[up]).toMatchObject({ source: "ALERTMANAGER", error: null });
      expect(outcomes[down]).toMatchObject({
        source: "ALERTMANAGER",
        error: { code: "ALERTMANAGER_UNAVAILABLE", retryable: true },
      });
      expect(
        answer.errors?.some(
          (e) => e.extensions?.code === "ALERTMANAGER_UNAVAILABLE" && e.extensions?.cluster === down,
        ),
      ).toBe(true);
    } finally {
      await crashLoop(target.cluster, target.namespace, target.pod, false);
    }
  }, 120_000);

  it("answers the rules Prometheus evaluates in full to cluster roles, and to others only the rules of their alerts", async () => {
    const RULES = `query ($cluster: String!) {
      alertRules(cluster: $cluster) {
        rules { name health lastEvaluation forSeconds query lastError alerts { labels { key value } } }
      }
    }`;
    interface RulesAnswer {
      alertRules: {
        rules: {
          name: string;
          health: string;
          lastEvaluation: string | null;
          forSeconds: number;
          query: string | null;
          lastError: string | null;
          alerts: { labels: { key: string; value: string }[] }[];
        }[];
      };
    }
    // admin holds a cluster role (reads the cluster's nodes): every rule, its query included.
    const answer = await world.fixture.query<RulesAnswer>("admin", RULES, { cluster: target.cluster });
    const rules = answer.data!.alertRules.rules;
    expect(rules.map((r) => r.name).sort()).toEqual([
      "KubeContainerCPUNearLimit",
      "KubeContainerMemoryNearLimit",
      "KubeDeploymentReplicasMismatch",
      "KubeNodeNotReady",
      "KubePodCrashLooping",
    ]);
    for (const rule of rules) {
      expect(rule.health).toBe("OK");
      expect(rule.forSeconds).toBe(1);
      expect(rule.query).toMatch(/kube_|node_|container_/);
      expect(Date.parse(rule.lastEvaluation!)).toBeGreaterThan(Date.now() - 60_000);
    }

    // alice holds none: only the rules with an alert she may see, without their query.
    await crashLoop(target.cluster, target.namespace, target.pod, true);
    try {
      const seen = await eventually(
        async () => {
          const rules = (await world.fixture.query<RulesAnswer>("alice", RULES, { cluster: target.cluster }))
            .data!.alertRules.rules;
          return rules.some((r) => r.name === "KubePodCrashLooping") ? rules : undefined;
        },
        60_000,
        500,
      );
      expect(seen.length).toBeLessThan(rules.length);
      for (const rule of seen) {
        expect(rule).toMatchObject({ query: null, lastError: null });
        expect(rule.alerts.length).toBeGreaterThan(0);
        for (const alert of rule.alerts) {
          const namespace = alert.labels.find((l) => l.key === "namespace")?.value;
          expect(aliceReads.has(`${target.cluster}/${namespace}`), `${rule.name}: ${namespace}`).toBe(true);
        }
      }
    } finally {
      await crashLoop(target.cluster, target.namespace, target.pod, false);
    }
  }, 120_000);

  it("refuses a bad label selector or alert name with BAD_USER_INPUT", async () => {
    const bad = await world.fixture.query("admin", LIST, { filter: { labelSelector: "a in (" } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const name = await world.fixture.query("admin", LIST, { filter: { names: ['x"} or vector(1)'] } });
    expect(name.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
