/**
 * The alerts services without GraphQL: what a poll or a webhook report turns into in the change
 * feed (FIRED, SILENCED, RESOLVED, each once), pollers shared by every subscriber and started
 * by the first, the Scope and the filter applied to each change, the filter, orders and cursors.
 */
import { describe, expect, it } from "vitest";
import type { AlertmanagerAlert } from "../../src/backends/alertmanager/client.js";
import { managedAlert as managed } from "../support/alertmanager-alerts.js";
import type { Alert } from "../../src/alerts/alert.js";
import { labelsFingerprint } from "../../src/alerts/alert.js";
import { AlertFeed, type AlertChange } from "../../src/alerts/alert-feed.js";
import { subscribeToAlerts } from "../../src/alerts/alert-changes.js";
import { compileAlertFilter } from "../../src/alerts/alert-filter.js";
import { mayReadAlert } from "../../src/alerts/alert-scope.js";
import { afterCursor, alertCursor, sortAlerts } from "../../src/alerts/alert-order.js";
import {
  NO_ALERT_SOURCES as NO_SOURCES,
  readClusterAlerts,
  type AlertSources,
} from "../../src/alerts/sources.js";
import type { RuleAlert } from "../../src/backends/prometheus/rules.js";
import { QueryInputError } from "../../src/cache/query/errors.js";
import { Scope } from "../../src/cache/scope.js";

function alert(cluster: string, labels: Record<string, string>, state: Alert["state"] = "FIRING"): Alert {
  return {
    cluster,
    fingerprint: labelsFingerprint(labels),
    name: labels.alertname ?? "",
    labels,
    annotations: {},
    state,
    startsAt: "2026-12-06T10:00:00Z",
    updatedAt: "2026-12-06T10:00:00Z",
    silencedBy: state === "SUPPRESSED" ? ["silence-1"] : [],
    inhibitedBy: [],
    source: "ALERTMANAGER",
  };
}

/** The filters here name no workspaces: the caches are never asked. */
const NO_CACHES = { reader: undefined as never, workspaceLabel: "kubesphere.io/workspace" };

const CRASH = { alertname: "KubePodCrashLooping", namespace: "shop", pod: "web-1", severity: "warning" };
const NODE = { alertname: "KubeNodeNotReady", node: "node-1", severity: "warning" };

function feedOver(alerts: Map<string, AlertmanagerAlert[]>): AlertFeed {
  const sources: AlertSources = {
    forCluster: (cluster) => ({
      alertmanager: { client: { alerts: () => Promise.resolve(alerts.get(cluster) ?? []) } },
    }),
  };
  return new AlertFeed({
    sources: () => sources,
    clusters: () => [...alerts.keys()],
    pollIntervalMs: () => 60_000,
  });
}

describe("AlertFeed", () => {
  it("tells each change once: fired, silenced, resolved when a complete report leaves it out", () => {
    const feed = feedOver(new Map());
    const seen: AlertChange[] = [];
    feed.listen((c) => seen.push(c));
    const firing = alert("eu-1", CRASH);
    feed.report({ cluster: "eu-1", active: [firing], resolved: [], complete: true });
    feed.report({ cluster: "eu-1", active: [firing], resolved: [], complete: true });
    feed.report({
      cluster: "eu-1",
      active: [alert("eu-1", CRASH, "SUPPRESSED")],
      resolved: [],
      complete: true,
    });
    feed.report({ cluster: "eu-1", active: [], resolved: [], complete: true });
    expect(seen.map((c) => c.type)).toEqual(["FIRED", "SILENCED", "RESOLVED"]);
    expect(seen[2]!.alert.endsAt).toBeDefined();
    expect(feed.current()).toEqual([]);
  });

  it("resolves from a webhook report only what it names, and only what it knew", () => {
    const feed = feedOver(new Map());
    const seen: AlertChange[] = [];
    feed.listen((c) => seen.push(c));
    const crash = alert("eu-1", CRASH);
    const node = alert("eu-1", NODE);
    feed.report({ cluster: "eu-1", active: [crash, node], resolved: [], complete: false });
    feed.report({
      cluster: "eu-1",
      active: [],
      resolved: [{ ...crash, endsAt: "2026-12-06T10:05:00Z" }],
      complete: false,
    });
    feed.report({ cluster: "eu-1", active: [], resolved: [crash], complete: false });
    expect(seen.map((c) => `${c.type} ${c.alert.name}`)).toEqual([
      "FIRED KubePodCrashLooping",
      "FIRED KubeNodeNotReady",
      "RESOLVED KubePodCrashLooping",
    ]);
    expect(seen[2]!.alert.endsAt).toBe("2026-12-06T10:05:00Z");
    expect(feed.current().map((a) => a.name)).toEqual(["KubeNodeNotReady"]);
  });

  it("polls every cluster once for all subscribers, from the first to the last", async () => {
    const polled = new Map<string, number>();
    const sources: AlertSources = {
      forCluster: (cluster) => ({
        alertmanager: {
          client: {
            alerts: () => {
              polled.set(cluster, (polled.get(cluster) ?? 0) + 1);
              return Promise.resolve([managed(CRASH)]);
            },
          },
        },
      }),
    };
    const feed = new AlertFeed({
      sources: () => sources,
      clusters: () => ["eu-1", "us-1"],
      pollIntervalMs: () => 60_000,
    });
    const a: AlertChange[] = [];
    const b: AlertChange[] = [];
    const stopA = feed.listen((c) => a.push(c));
    const stopB = feed.listen((c) => b.push(c));
    await feed.pollNow();
    expect(polled).toEqual(
      new Map([
        ["eu-1", 1],
        ["us-1", 1],
      ]),
    );
    expect(a.map((c) => c.alert.cluster).sort()).toEqual(["eu-1", "us-1"]);
    expect(b).toEqual(a);
    stopA();
    expect(feed.subscribers).toBe(1);
    stopB();
    expect(feed.subscribers).toBe(0);
    await feed.pollNow();
    expect(polled).toEqual(
      new Map([
        ["eu-1", 1],
        ["us-1", 1],
      ]),
    );
  });

  it("starts and stops pollers with the fleet on reload, forgetting the alerts of a cluster gone", async () => {
    const polled: string[] = [];
    const sources: AlertSources = {
      forCluster: (cluster) => ({
        alertmanager: {
          client: {
            alerts: () => {
              polled.push(cluster);
              return Promise.resolve([managed(CRASH)]);
            },
          },
        },
      }),
    };
    let clusters = ["eu-1"];
    const feed = new AlertFeed({
      sources: () => sources,
      clusters: () => clusters,
      pollIntervalMs: () => 60_000,
    });
    feed.listen(() => undefined);
    await feed.pollNow();
    clusters = ["us-1"];
    polled.length = 0;
    feed.clustersChanged();
    await feed.pollNow();
    expect(polled).toEqual(["us-1"]);
    expect(feed.current().map((a) => a.cluster)).toEqual(["us-1"]);
    feed.stop();
  });

  it("keeps the alerts as they were while a cluster's source fails, rather than resolving them", async () => {
    let fail = false;
    const sources: AlertSources = {
      forCluster: () => ({
        alertmanager: {
          client: {
            alerts: () => (fail ? Promise.reject(new Error("down")) : Promise.resolve([managed(CRASH)])),
          },
        },
      }),
    };
    const feed = new AlertFeed({
      sources: () => sources,
      clusters: () => ["eu-1"],
      pollIntervalMs: () => 60_000,
    });
    const seen: AlertChange[] = [];
    feed.listen((c) => seen.push(c));
    await feed.pollNow();
    fail = true;
    await feed.pollNow();
    expect(seen.map((c) => c.type)).toEqual(["FIRED"]);
    expect(feed.current()).toHaveLength(1);
    feed.stop();
  });
});

describe("AlertFeed while nobody listens", () => {
  it("keeps nothing a push reports, forgets a cluster removed, and gives the first subscriber the first poll's alerts", async () => {
    let clusters = ["eu-1", "us-1"];
    const feed = new AlertFeed({
      sources: () => ({
        forCluster: (cluster) => ({
          alertmanager: {
            client: { alerts: () => Promise.resolve(cluster === "eu-1" ? [managed(CRASH)] : []) },
          },
        }),
      }),
      clusters: () => clusters,
      pollIntervalMs: () => 60_000,
    });
    // Pushed with no one listening: a stale alert only a "resolved" push would ever remove.
    feed.report({ cluster: "us-1", active: [alert("us-1", NODE)], resolved: [], complete: false });
    expect(feed.current()).toEqual([]);
    clusters = ["eu-1"];
    feed.clustersChanged();
    expect(feed.current()).toEqual([]);

    const stream = await subscribeToAlerts(feed, {
      filter: {},
      scope: () =>
        Scope.of([
          { cluster: "eu-1", namespaces: "*", clusterKinds: ["Node"] },
          { cluster: "us-1", namespaces: "*", clusterKinds: ["Node"] },
        ]),
      maxQueued: 10,
      services: NO_CACHES,
    });
    // The snapshot is the first poll's: eu-1's crash loop, and nothing of the push.
    expect(feed.current().map((a) => `${a.cluster} ${a.name}`)).toEqual(["eu-1 KubePodCrashLooping"]);
    expect((await stream.next()).value).toMatchObject({
      type: "FIRED",
      alert: { cluster: "eu-1", name: "KubePodCrashLooping" },
    });
    // Told once: the first round's FIRED is not told again after the snapshot.
    feed.report({ cluster: "eu-1", active: [alert("eu-1", NODE)], resolved: [], complete: false });
    expect((await stream.next()).value).toMatchObject({ type: "FIRED", alert: { name: "KubeNodeNotReady" } });
    await stream.return!();
    expect(feed.subscribers).toBe(0);
    feed.report({ cluster: "eu-1", active: [alert("eu-1", NODE)], resolved: [], complete: false });
    expect(feed.current()).toEqual([]);
  });

  it("dates a resolution seen by a poll when it was seen, not the endsAt Alertmanager projected", () => {
    let now = Date.parse("2026-12-06T10:00:00Z");
    const feed = new AlertFeed({
      sources: () => NO_SOURCES,
      clusters: () => [],
      pollIntervalMs: () => 60_000,
      now: () => now,
    });
    const seen: AlertChange[] = [];
    feed.listen((c) => seen.push(c));
    // Alertmanager's endsAt of an active alert: now + its resolve timeout, in the future.
    const projected = { ...alert("eu-1", CRASH), endsAt: "2026-12-06T10:05:00Z" };
    feed.report({ cluster: "eu-1", active: [projected], resolved: [], complete: true });
    now = Date.parse("2026-12-06T10:01:00Z");
    feed.report({ cluster: "eu-1", active: [], resolved: [], complete: true });
    expect(seen.map((c) => [c.type, c.alert.endsAt])).toEqual([
      ["FIRED", "2026-12-06T10:05:00Z"],
      ["RESOLVED", "2026-12-06T10:01:00.000Z"],
    ]);
    feed.stop();
  });

  it("asks a backend shared by several clusters once per poll round", async () => {
    let alertmanagerRequests = 0;
    let prometheusRequests = 0;
    const sharedAlertmanager = {
      alerts: () => {
        alertmanagerRequests++;
        return Promise.resolve([
          managed({ ...CRASH, cluster: "eu-1" }),
          managed({ ...NODE, cluster: "us-1" }),
        ]);
      },
    };
    const sharedPrometheus = {
      alerts: () => {
        prometheusRequests++;
        return Promise.resolve([]);
      },
      rules: () => Promise.resolve([]),
    };
    const feed = new AlertFeed({
      sources: () => ({
        forCluster: (cluster) => ({
          alertmanager: { client: sharedAlertmanager, clusterLabel: { name: "cluster", value: cluster } },
          prometheus: { client: sharedPrometheus, clusterLabel: { name: "cluster", value: cluster } },
        }),
      }),
      clusters: () => ["eu-1", "us-1", "ap-1"],
      pollIntervalMs: () => 60_000,
    });
    feed.listen(() => undefined);
    await feed.ready();
    expect(alertmanagerRequests).toBe(1);
    // With an Alertmanager, the poll asks Prometheus nothing (pending alerts are not streamed).
    expect(prometheusRequests).toBe(0);
    expect(
      feed
        .current()
        .map((a) => `${a.cluster} ${a.name}`)
        .sort(),
    ).toEqual(["eu-1 KubePodCrashLooping", "us-1 KubeNodeNotReady"]);
    await feed.pollNow();
    expect(alertmanagerRequests).toBe(2);
    feed.stop();
  });
});

describe("the since filter", () => {
  it("is about when the alert started, not when Alertmanager last re-sent it", () => {
    const since = new Date("2026-12-06T09:00:00Z");
    const longFiring = {
      ...alert("eu-1", CRASH),
      startsAt: "2026-12-03T10:00:00Z",
      updatedAt: "2026-12-06T10:00:00Z",
    };
    const recent = { ...alert("eu-1", NODE), startsAt: "2026-12-06T09:30:00Z" };
    const filter = compileAlertFilter({ since });
    expect(filter.matches(longFiring)).toBe(false);
    expect(filter.matches(recent)).toBe(true);
  });
});

describe("alertChanges subscriptions", () => {
  const tenant = Scope.of([{ cluster: "eu-1", namespaces: ["shop"] }]);
  const clusterViewer = Scope.of([{ cluster: "eu-1", namespaces: "*", clusterKinds: ["Node"] }]);

  it("see alerts of namespaces whose pods they read; cluster-level ones only with a cluster role", async () => {
    expect(mayReadAlert(tenant, alert("eu-1", CRASH))).toBe(true);
    expect(mayReadAlert(tenant, alert("eu-1", { ...CRASH, namespace: "bank" }))).toBe(false);
    expect(mayReadAlert(tenant, alert("us-1", CRASH))).toBe(false);
    expect(mayReadAlert(tenant, alert("eu-1", NODE))).toBe(false);
    expect(mayReadAlert(clusterViewer, alert("eu-1", NODE))).toBe(true);

    const feed = feedOver(new Map());
    const stream = await subscribeToAlerts(feed, {
      filter: {},
      scope: () => tenant,
      maxQueued: 10,
      services: NO_CACHES,
    });
    feed.report({
      cluster: "eu-1",
      active: [alert("eu-1", NODE), alert("eu-1", { ...CRASH, namespace: "bank" }), alert("eu-1", CRASH)],
      resolved: [],
      complete: true,
    });
    const first = await stream.next();
    expect(first.value).toMatchObject({ type: "FIRED", alert: { labels: CRASH } });
    await stream.return!();
    expect(feed.subscribers).toBe(0);
  });

  it("start with the alerts active now, then apply the filter to each change", async () => {
    const feed = feedOver(new Map());
    const unsubscribe = feed.listen(() => undefined);
    feed.report({ cluster: "eu-1", active: [alert("eu-1", CRASH)], resolved: [], complete: true });
    const stream = await subscribeToAlerts(feed, {
      filter: { names: ["KubePodCrashLooping"], severities: ["warning"] },
      scope: () => clusterViewer,
      maxQueued: 10,
      services: NO_CACHES,
    });
    expect((await stream.next()).value).toMatchObject({
      type: "FIRED",
      alert: { name: "KubePodCrashLooping" },
    });
    feed.report({ cluster: "eu-1", active: [alert("eu-1", NODE)], resolved: [], complete: true });
    expect((await stream.next()).value).toMatchObject({
      type: "RESOLVED",
      alert: { name: "KubePodCrashLooping" },
    });
    await stream.return!();
    unsubscribe();
  });

  it("refuse a malformed label selector, alert name or namespace with BAD_USER_INPUT", () => {
    expect(() => compileAlertFilter({ labelSelector: "severity in (" })).toThrow(QueryInputError);
    expect(() => compileAlertFilter({ names: ['x"} or vector(1)'] })).toThrow(/not an alert name/);
    expect(() => compileAlertFilter({ namespaces: ["Not_A_Namespace"] })).toThrow(QueryInputError);
    expect(compileAlertFilter({ labelSelector: "severity=warning,pod" }).matches(alert("eu-1", CRASH))).toBe(
      true,
    );
    expect(compileAlertFilter({ labelSelector: "severity=critical" }).matches(alert("eu-1", CRASH))).toBe(
      false,
    );
  });
});

describe("alert orders and cursors", () => {
  const at = (labels: Record<string, string>, startsAt: string): Alert => ({
    ...alert("eu-1", labels),
    startsAt,
  });
  const older = at({ ...CRASH, severity: "critical" }, "2026-12-06T09:00:00Z");
  const newer = at(NODE, "2026-12-06T11:00:00Z");
  const info = at({ alertname: "Watchdog", severity: "info" }, "2026-12-06T10:30:00Z");

  it("orders newest first, by severity, or by name, and pages strictly after a cursor", () => {
    expect(sortAlerts([older, info, newer], "STARTED").map((a) => a.name)).toEqual([
      "KubeNodeNotReady",
      "Watchdog",
      "KubePodCrashLooping",
    ]);
    expect(sortAlerts([info, newer, older], "SEVERITY").map((a) => a.name)).toEqual([
      "KubePodCrashLooping",
      "KubeNodeNotReady",
      "Watchdog",
    ]);
    const byName = sortAlerts([info, newer, older], "NAME");
    expect(byName.map((a) => a.name)).toEqual(["KubeNodeNotReady", "KubePodCrashLooping", "Watchdog"]);
    expect(afterCursor(byName, "NAME", alertCursor(byName[0]!, "NAME")).map((a) => a.name)).toEqual([
      "KubePodCrashLooping",
      "Watchdog",
    ]);
    // The page after an alert that has since resolved starts where it stood.
    expect(afterCursor([older, info], "NAME", alertCursor(newer, "NAME")).map((a) => a.name)).toEqual([
      "KubePodCrashLooping",
      "Watchdog",
    ]);
  });

  it("refuses a cursor of another order or none at all with BAD_USER_INPUT", () => {
    expect(() => afterCursor([older], "NAME", alertCursor(older, "STARTED"))).toThrow(QueryInputError);
    expect(() => afterCursor([older], "NAME", "not-a-cursor")).toThrow(/not a cursor of an alert list/);
  });
});

describe("a cluster's alerts from its sources", () => {
  const firing: RuleAlert = {
    labels: CRASH,
    annotations: {},
    state: "firing",
    activeAt: "2026-12-06T10:00:00Z",
  };
  const pending: RuleAlert = {
    labels: NODE,
    annotations: {},
    state: "pending",
    activeAt: "2026-12-06T10:01:00Z",
  };
  const otherCluster: RuleAlert = { ...pending, labels: { ...NODE, cluster: "us-1" } };
  const prometheus = {
    client: { alerts: () => Promise.resolve([firing, pending]), rules: () => Promise.resolve([]) },
  };

  it("takes Alertmanager's alerts and Prometheus's pending ones, each alert once", async () => {
    const read = await readClusterAlerts(
      "eu-1",
      { alertmanager: { client: { alerts: () => Promise.resolve([managed(CRASH)]) } }, prometheus },
      { pending: true },
    );
    expect(read.failures).toEqual([]);
    expect(read.alerts.map((a) => [a.name, a.state, a.source])).toEqual([
      ["KubePodCrashLooping", "FIRING", "ALERTMANAGER"],
      ["KubeNodeNotReady", "PENDING", "PROMETHEUS"],
    ]);
  });

  it("reports a failed source by name and still answers from the other; without Alertmanager, Prometheus fires", async () => {
    const failed = await readClusterAlerts(
      "eu-1",
      { alertmanager: { client: { alerts: () => Promise.reject(new Error("down")) } }, prometheus },
      { pending: true },
    );
    expect(failed.failures.map((f) => f.source)).toEqual(["ALERTMANAGER"]);
    expect(failed.alerts.map((a) => a.state)).toEqual(["PENDING"]);
    const shared = {
      client: { alerts: () => Promise.resolve([firing, otherCluster]), rules: () => Promise.resolve([]) },
      clusterLabel: { name: "cluster", value: "us-1" },
    };
    const alone = await readClusterAlerts("us-1", { prometheus: shared }, { pending: false });
    expect(alone.alerts).toEqual([]);
    const withPending = await readClusterAlerts("us-1", { prometheus: shared }, { pending: true });
    expect(withPending.alerts.map((a) => [a.name, a.state, a.cluster])).toEqual([
      ["KubeNodeNotReady", "PENDING", "us-1"],
    ]);
    const ownFiring = await readClusterAlerts("eu-1", { prometheus }, { pending: false });
    expect(ownFiring.alerts.map((a) => [a.name, a.state])).toEqual([["KubePodCrashLooping", "FIRING"]]);
    expect(ownFiring.alerts[0]!.fingerprint).toBe(labelsFingerprint(CRASH));
  });
});
