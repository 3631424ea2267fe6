/**
 * A request's alert reads without GraphQL: the alerting rules shown in full only to a cluster role
 * (others see the rules of the alerts they may see, without query or errors), and a backend
 * shared by several clusters asked once per request.
 */
import { describe, expect, it } from "vitest";
import { managedAlert as managed } from "../support/alertmanager-alerts.js";
import type { AlertingRule } from "../../src/backends/prometheus/rules.js";
import { AlertReads } from "../../src/alerts/alert-reads.js";
import type { AlertSources } from "../../src/alerts/sources.js";
import { Scope } from "../../src/cache/scope.js";
import { ClusterOutcomes } from "../../src/query-service/outcomes.js";
import type { ReadServices } from "../../src/query-service/read-services.js";

const CLUSTERS = ["eu-1", "us-1", "ap-1"];

/** The cluster reads AlertReads asks: which clusters the Scope lets the caller read. */
const services = {
  clusters: {
    get: (name: string, scope: Scope) => (scope.allowsCluster(name) ? { name } : undefined),
    select: (_filter: unknown, scope: Scope) => CLUSTERS.filter((c) => scope.allowsCluster(c)),
  },
  workspaceLabel: "kubesphere.io/workspace",
} as unknown as ReadServices;

const clusterRole = Scope.of(
  CLUSTERS.map((cluster) => ({ cluster, namespaces: "*", clusterKinds: ["Node"] })),
);
const tenant = Scope.of([{ cluster: "eu-1", namespaces: ["shop"] }]);

function rule(name: string, alerts: AlertingRule["alerts"]): AlertingRule {
  return {
    group: "kubernetes",
    file: "rules.yml",
    name,
    query: `${name}_expr{namespace!=""} > 0`,
    durationSeconds: 60,
    labels: { severity: "warning" },
    annotations: { summary: name },
    state: alerts.length > 0 ? "firing" : "inactive",
    health: "err",
    lastError: "many-to-many matching not allowed",
    alerts,
  };
}

const firing = (labels: Record<string, string>) => ({
  labels: { severity: "warning", ...labels },
  annotations: {},
  state: "firing" as const,
  activeAt: "2026-12-06T10:00:00Z",
});

/** One Prometheus and one Alertmanager shared by every cluster, counting what they are asked. */
function sharedBackends() {
  const asked = { rules: 0, prometheusAlerts: 0, alertmanagerAlerts: 0 };
  const rules = [
    rule("KubePodCrashLooping", [
      firing({ alertname: "KubePodCrashLooping", cluster: "eu-1", namespace: "shop", pod: "web-1" }),
      firing({ alertname: "KubePodCrashLooping", cluster: "eu-1", namespace: "bank", pod: "vault-0" }),
    ]),
    rule("KubeNodeNotReady", [firing({ alertname: "KubeNodeNotReady", cluster: "eu-1", node: "node-1" })]),
    rule("KubeQuotaExceeded", [
      firing({ alertname: "KubeQuotaExceeded", cluster: "us-1", namespace: "shop" }),
    ]),
    rule("KubeDeploymentReplicasMismatch", []),
  ];
  const prometheus = {
    rules: () => (asked.rules++, Promise.resolve(rules)),
    alerts: () => (asked.prometheusAlerts++, Promise.resolve(rules.flatMap((r) => r.alerts))),
  };
  const alertmanager = {
    alerts: () => (
      asked.alertmanagerAlerts++,
      Promise.resolve(
        CLUSTERS.map((cluster) => managed({ alertname: "KubePodCrashLooping", cluster, namespace: "shop" })),
      )
    ),
  };
  const sources: AlertSources = {
    forCluster: (cluster) => ({
      alertmanager: { client: alertmanager, clusterLabel: { name: "cluster", value: cluster } },
      prometheus: { client: prometheus, clusterLabel: { name: "cluster", value: cluster } },
    }),
  };
  return { asked, sources };
}

function readsAs(scope: Scope, sources: AlertSources): AlertReads {
  return new AlertReads({ services, scope, outcomes: new ClusterOutcomes(), sources });
}

describe("alertRules", () => {
  it("shows a cluster role every rule with its query and last error", async () => {
    const { sources } = sharedBackends();
    const rules = (await readsAs(clusterRole, sources).rules("eu-1"))!;
    expect(rules.map((r) => [r.name, r.alerts.length])).toEqual([
      ["KubePodCrashLooping", 2],
      ["KubeNodeNotReady", 1],
      // Another cluster's alerts of the shared Prometheus are not this cluster's.
      ["KubeQuotaExceeded", 0],
      ["KubeDeploymentReplicasMismatch", 0],
    ]);
    expect(rules[0]).toMatchObject({
      query: 'KubePodCrashLooping_expr{namespace!=""} > 0',
      lastError: "many-to-many matching not allowed",
    });
  });

  it("shows anyone else only the rules of alerts they may see, without query or last error", async () => {
    const { sources } = sharedBackends();
    const rules = (await readsAs(tenant, sources).rules("eu-1"))!;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      name: "KubePodCrashLooping",
      query: null,
      lastError: null,
      alerts: [{ labels: { namespace: "shop", pod: "web-1" } }],
    });
  });
});

describe("a request's alert reads", () => {
  it("ask a backend shared by every cluster once, whatever the number of clusters and fields", async () => {
    const { asked, sources } = sharedBackends();
    const reads = readsAs(clusterRole, sources);
    const page = await reads.list({}, {});
    await reads.groups({ names: ["KubePodCrashLooping"] });
    await reads.rules("eu-1");
    await reads.rules("us-1");
    expect(page.items.map((i) => i.alert.cluster).sort()).toEqual(["ap-1", "eu-1", "us-1"]);
    expect(asked).toEqual({ rules: 1, prometheusAlerts: 1, alertmanagerAlerts: 1 });
    // A new request asks again: nothing is kept beyond it.
    await readsAs(clusterRole, sources).list({}, {});
    expect(asked).toEqual({ rules: 1, prometheusAlerts: 2, alertmanagerAlerts: 2 });
  });
});
