/** The pure parts of notifications: backoff, addresses refused at send time, the webhook payload. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_NOTIFICATIONS, parseConfig } from "../../src/config/index.js";
import { backoffAfter } from "../../src/notifications/backoff.js";
import { alertStreamSink, type ReportedAlerts } from "../../src/notifications/alert-stream-sink.js";
import {
  guardedLookup,
  RefusedAddressError,
  webhookUrlProblem,
} from "../../src/notifications/target-address.js";
import { parseAlertmanagerPayload, PayloadProblem } from "../../src/notifications/alertmanager-payload.js";
import { slackBody } from "../../src/notifications/senders/slack.js";
import { alertClusterLabel } from "../../src/server/notifications.js";

describe("backoff", () => {
  const policy = { initialBackoffMs: 100, maxBackoffMs: 1000 };
  it("doubles from the first wait up to the cap, the second half of each wait random", () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => backoffAfter(n, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => backoffAfter(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
});

describe("guardedLookup", () => {
  const lookup = (host: string) =>
    new Promise<{ error: Error | null; address: string }>((resolve) =>
      guardedLookup(host, {}, (error, address) => resolve({ error, address: address as string })),
    );
  it("refuses a name resolving to a link-local or metadata address, and lets loopback through", async () => {
    const refused = await lookup("169.254.169.254");
    expect(refused.error).toBeInstanceOf(RefusedAddressError);
    expect(refused.error?.message).toBe(
      "169.254.169.254 resolves to 169.254.169.254, a link-local or metadata address",
    );
    expect(await lookup("127.0.0.1")).toEqual({ error: null, address: "127.0.0.1" });
  });
});

describe("webhookUrlProblem", () => {
  it("refuses the metadata address however it is spelled: IPv4-mapped IPv6, one decimal number", () => {
    expect(webhookUrlProblem("http://[::ffff:a9fe:a9fe]/")).toBe(
      "::ffff:a9fe:a9fe is a link-local or metadata address: the gateway does not send there",
    );
    expect(webhookUrlProblem("http://[::ffff:169.254.169.254]/latest")).toBe(
      "::ffff:a9fe:a9fe is a link-local or metadata address: the gateway does not send there",
    );
    expect(webhookUrlProblem("http://2852039166/")).toBe(
      "169.254.169.254 is a link-local or metadata address: the gateway does not send there",
    );
    expect(webhookUrlProblem("http://0xa9.0xfe.0xa9.0xfe/")).toBe(
      "169.254.169.254 is a link-local or metadata address: the gateway does not send there",
    );
    expect(webhookUrlProblem("https://hooks.example.com/x")).toBeUndefined();
  });
});

describe("the Alertmanager payload", () => {
  const documented = {
    version: "4",
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    status: "firing",
    receiver: "fleetgraph",
    groupLabels: { alertname: "KubePodCrashLooping" },
    commonLabels: { alertname: "KubePodCrashLooping" },
    commonAnnotations: {},
    externalURL: "http://alertmanager:9093",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "KubePodCrashLooping", namespace: "payments", cluster: "c1" },
        annotations: { summary: "crash-looping" },
        startsAt: "2026-12-06T09:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus:9090/graph",
        fingerprint: "0123456789abcdef",
      },
    ],
  };
  it("reads the documented version 4, with Go's zero time as no end", () => {
    const push = parseAlertmanagerPayload(documented, (a) => a.labels.cluster!);
    expect(push.alerts).toEqual([
      {
        cluster: "c1",
        status: "firing",
        fingerprint: "0123456789abcdef",
        labels: documented.alerts[0]!.labels,
        annotations: { summary: "crash-looping" },
        startsAt: "2026-12-06T09:00:00Z",
        generatorURL: "http://prometheus:9090/graph",
      },
    ]);
  });
  it("names the fields at fault", () => {
    const bad = {
      ...documented,
      version: "3",
      alerts: [{ ...documented.alerts[0], startsAt: "yesterday", status: "pending" }],
    };
    expect(() => parseAlertmanagerPayload(bad, () => "c1")).toThrow(PayloadProblem);
    expect(() => parseAlertmanagerPayload(bad, () => "c1")).toThrow(
      /^not an Alertmanager webhook payload \(version 4\): version: must be "4".*alerts\.0\.status: .*alerts\.0\.startsAt: must be an RFC 3339 time/,
    );
  });
});

describe("the notifications section of the config", () => {
  it("reads the webhook secret from a file, applies the delivery defaults, and names a section that gives both or neither secret", () => {
    const dir = mkdtempSync(join(tmpdir(), "fleetgraph-notifications-"));
    try {
      writeFileSync(join(dir, "am-secret"), "from-a-file\n");
      const config = parseConfig(
        "notifications:\n  webhook:\n    bearerTokenFile: am-secret\n  delivery:\n    maxAttempts: 3\n",
        join(dir, "fleetgraph.yaml"),
      );
      expect(config.notifications).toEqual({
        webhook: { bearerToken: "from-a-file", maxBodyBytes: 1024 * 1024 },
        delivery: { ...DEFAULT_NOTIFICATIONS.delivery, maxAttempts: 3 },
      });
      expect(() =>
        parseConfig(
          "notifications:\n  webhook:\n    clusterLabel: k8s_cluster\n",
          join(dir, "fleetgraph.yaml"),
        ),
      ).toThrow(/notifications\.webhook.*needs exactly one of bearerToken or bearerTokenFile/);
      const perCluster = parseConfig(
        "notifications:\n  webhook:\n    clusters:\n      prod-eu: {bearerTokenFile: am-secret}\n      dev: {bearerToken: d}\n",
        join(dir, "fleetgraph.yaml"),
      );
      expect(perCluster.notifications?.webhook).toEqual({
        clusterBearerTokens: { "prod-eu": "from-a-file", dev: "d" },
        maxBodyBytes: 1024 * 1024,
      });
      expect(() =>
        parseConfig(
          "notifications:\n  webhook:\n    bearerToken: s\n    clusters:\n      dev: {}\n",
          join(dir, "fleetgraph.yaml"),
        ),
      ).toThrow(/notifications\.webhook\.clusters\.dev.*needs exactly one of bearerToken or bearerTokenFile/);
      expect(() =>
        parseConfig(
          "notifications:\n  webhook:\n    bearerTokenFile: missing\n",
          join(dir, "fleetgraph.yaml"),
        ),
      ).toThrow(/notifications\.webhook\.bearerTokenFile.*cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the label naming a pushed alert's cluster", () => {
  it("is the webhook's own when set, else the alerts' Alertmanager setting, else cluster", () => {
    const dir = mkdtempSync(join(tmpdir(), "fleetgraph-notifications-"));
    try {
      const path = join(dir, "fleetgraph.yaml");
      const webhook = "notifications:\n  webhook:\n    bearerToken: s\n";
      expect(alertClusterLabel(parseConfig(webhook, path))).toBe("cluster");
      expect(alertClusterLabel(parseConfig(`${webhook}    clusterLabel: k8s_cluster\n`, path))).toBe(
        "k8s_cluster",
      );
      // Without its own, the label the alerts read from Alertmanager with (alerts.alertmanager).
      const withAlerts = parseConfig(
        `${webhook}alerts:\n  alertmanager:\n    url: http://alertmanager:9093\n    clusterLabel: kube\n`,
        path,
      );
      expect(alertClusterLabel(withAlerts)).toBe("kube");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the alert stream as a sink", () => {
  it("tells a push as one partial report per cluster, firing alerts active and resolved ones resolved", async () => {
    const reports: ReportedAlerts[] = [];
    const sink = alertStreamSink({ report: (r) => reports.push(r) }, () =>
      Date.parse("2026-12-06T10:00:00Z"),
    );
    const base = {
      labels: { alertname: "KubeNodeNotReady" },
      annotations: {},
      startsAt: "2026-12-06T09:00:00Z",
    };
    await sink.accept({
      receiver: "r",
      status: "firing",
      groupKey: "g",
      externalURL: "",
      truncatedAlerts: 0,
      groupLabels: {},
      alerts: [
        { ...base, cluster: "c1", status: "firing", fingerprint: "aa" },
        { ...base, cluster: "c2", status: "resolved", fingerprint: "bb", endsAt: "2026-12-06T09:30:00Z" },
        { ...base, cluster: "c1", status: "resolved", fingerprint: "cc", endsAt: "2026-12-06T09:40:00Z" },
      ],
    });
    expect(
      reports.map((r) => [
        r.cluster,
        r.active.map((a) => a.fingerprint),
        r.resolved.map((a) => a.fingerprint),
        r.complete,
      ]),
    ).toEqual([
      ["c1", ["aa"], ["cc"], false],
      ["c2", [], ["bb"], false],
    ]);
    expect(reports[0]!.active[0]).toEqual({
      cluster: "c1",
      fingerprint: "aa",
      name: "KubeNodeNotReady",
      labels: { alertname: "KubeNodeNotReady" },
      annotations: {},
      state: "FIRING",
      startsAt: "2026-12-06T09:00:00Z",
      updatedAt: "2026-12-06T10:00:00.000Z",
      silencedBy: [],
      inhibitedBy: [],
      source: "ALERTMANAGER",
    });
  });
});

describe("the Slack body", () => {
  it("escapes <, > and & in its top-level text too, so an annotation cannot mention @channel", () => {
    const body = slackBody({
      id: "d1",
      channelId: "ch",
      workspace: "retail",
      state: "pending",
      attempts: 0,
      createdAt: 0,
      nextAttemptAt: 0,
      alert: {
        cluster: "c1",
        status: "firing",
        fingerprint: "00aa",
        labels: { alertname: "Paging" },
        annotations: { summary: "<!channel> look at <https://evil.example|this> & that" },
        startsAt: "2026-12-06T09:00:00Z",
      },
    });
    expect(body.text).not.toMatch(/[<>]/);
    expect(body.text).toContain("&lt;!channel&gt; look at &lt;https://evil.example|this&gt; &amp; that");
    const section = body.blocks[1] as { text: { text: string } };
    expect(section.text.text).toContain("*&lt;!channel&gt; look at");
  });
});
