/**
 * Alerts in the demo as `npm start` serves them: `fleetgraph serve` with nothing configured runs
 * Debian's `prometheus` with the default rules (deploy/prometheus/alert-rules.yml, `for:`
 * shortened) sending to Debian's `prometheus-alertmanager`, both installed by scripts/test.sh, and
 * one demo pod crash-loops — so `alertRules` lists the default rules and KubePodCrashLooping fires
 * through Alertmanager within a minute, to admin and to alice (the pod's workspace is hers), and
 * stopping the gateway stops both. Without an Alertmanager the demo says how to get one and its
 * alerts come from Prometheus alone.
 */
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_RULES_PATH } from "../../src/demo-alert-rules.js";
import { ALERTMANAGER_BINARIES } from "../../src/demo-alertmanager.js";
import { DEMO_CRASH_LOOP } from "../../src/demo-fleet.js";
import { findExecutable } from "../../src/demo-process.js";
import { freeLoopbackPort } from "../../src/free-port.js";
import { buildCli, ROOT } from "../support/built-cli.js";
import { eventually } from "../support/eventually.js";
import { demoServeFixture, isRunning, query, type DemoServeFixture } from "./demo-serve-fixture.js";

let demo: DemoServeFixture;
/** The alert names of the deployed rule file: what `alertRules` must list. */
let ruleNames: string[];

beforeAll(() => buildCli(), 120_000);

beforeAll(async () => {
  demo = await demoServeFixture();
  const rules = await readFile(join(ROOT, ALERT_RULES_PATH), "utf8");
  ruleNames = [...rules.matchAll(/^\s+- alert: (\S+)$/gm)].map((m) => m[1]!).sort();
});

afterAll(() => demo?.stop(), 30_000);

interface RuleList {
  alertRules: {
    rules: { name: string; health: string; forSeconds: number; query: string | null }[];
    outcomes: { error: { code: string } | null }[];
  } | null;
}

const RULES = `query ($cluster: String!) {
  alertRules(cluster: $cluster) { rules { name health forSeconds query } outcomes { error { code } } }
}`;

interface AlertList {
  alerts: {
    nodes: {
      name: string;
      state: string;
      source: string;
      clusterName: string;
      namespaceName: string | null;
      subject: { __typename: string; name: string } | null;
    }[];
    outcomes: { source: string | null; error: { code: string } | null }[];
  };
}

const CRASH_LOOPING = `{
  alerts(filter: { names: ["KubePodCrashLooping"] }) {
    nodes { name state source clusterName namespaceName subject { __typename name } }
    outcomes { source error { code } }
  }
}`;

/** The seeded pod's alert in `answer`, when it has one. */
function seededAlert(answer: AlertList | undefined, cluster: string) {
  return answer?.alerts.nodes.find(
    (a) =>
      a.clusterName === cluster &&
      a.namespaceName === DEMO_CRASH_LOOP.namespace &&
      a.subject?.name === DEMO_CRASH_LOOP.pod,
  );
}

/** The log's word for which cluster's pod crash-loops. */
function crashLoopCluster(stderr: string): string {
  const seeded = new RegExp(
    `demo alerts: pod ${DEMO_CRASH_LOOP.namespace}/${DEMO_CRASH_LOOP.pod} of (\\S+) crash-loops`,
  ).exec(stderr);
  expect(seeded, stderr).not.toBeNull();
  return seeded![1]!;
}

describe("the demo's alerts", () => {
  it("run Alertmanager beside Prometheus: the default rules listed, the seeded crash loop firing through Alertmanager for admin and alice, both stopped with the gateway", async () => {
    expect(
      ALERTMANAGER_BINARIES.map((name) => findExecutable(name)).some((found) => found !== undefined),
      "prometheus-alertmanager is not on the PATH: scripts/test.sh installs it",
    ).toBe(true);
    const port = await freeLoopbackPort();
    const serve = demo.run(["serve", "--port", String(port)], demo.env());
    const url = `http://127.0.0.1:${port}/graphql`;
    await eventually(() => serve.stderr().includes(`listening on http://localhost:${port}/graphql`), 60_000);
    const alertmanager = /demo alerts: Alertmanager \(pid (\d+)\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(
      serve.stderr(),
    );
    expect(alertmanager, serve.stderr()).not.toBeNull();
    const prometheus = /demo metrics: Prometheus \(pid (\d+)\).*evaluating the alert rules/.exec(
      serve.stderr(),
    );
    expect(prometheus, serve.stderr()).not.toBeNull();
    const pids = [Number(alertmanager![1]), Number(prometheus![1])];
    expect(pids.map(isRunning)).toEqual([true, true]);
    expect(serve.stderr()).toContain("alerts: Alertmanager configured");
    const cluster = crashLoopCluster(serve.stderr());

    const tokens: Record<string, string> = {};
    for (const user of ["admin", "alice"]) {
      const login = demo.run(["login", "--user", user, "--gateway", `http://localhost:${port}`], demo.env());
      expect(await login.exited).toBe(0);
      tokens[user] = login.stdout().trim();
    }

    // Every rule of the deployed file, evaluated, with the demo's short `for:` (30 s, not 15 m).
    const rules = await eventually(
      async () => {
        const got = await query<RuleList>(url, RULES, tokens.admin, { cluster });
        const list = got.data?.alertRules?.rules ?? [];
        return list.length > 0 && list.every((r) => r.health === "OK") ? list : undefined;
      },
      30_000,
      500,
    );
    expect(rules.map((r) => r.name).sort()).toEqual(ruleNames);
    expect(new Set(rules.map((r) => r.forSeconds))).toEqual(new Set([30]));
    expect(rules.every((r) => r.query !== null)).toBe(true);

    // Pending after a scrape, firing 30 s later, and then held by Alertmanager.
    const fired = await eventually(
      async () => {
        const got = await query<AlertList>(url, CRASH_LOOPING, tokens.admin);
        const alert = seededAlert(got.data, cluster);
        return alert?.state === "FIRING" ? got : undefined;
      },
      80_000,
      1000,
    );
    expect(fired.errors).toBeUndefined();
    expect(fired.data!.alerts.outcomes.filter((o) => o.error !== null)).toEqual([]);
    expect(seededAlert(fired.data, cluster)).toMatchObject({
      source: "ALERTMANAGER",
      subject: { __typename: "Pod", name: DEMO_CRASH_LOOP.pod },
    });

    // The payments namespace is in alice's workspace: the same alert, under her Scope.
    const asAlice = await query<AlertList>(url, CRASH_LOOPING, tokens.alice);
    expect(asAlice.errors).toBeUndefined();
    expect(seededAlert(asAlice.data, cluster)).toMatchObject({ state: "FIRING", source: "ALERTMANAGER" });

    const groups = await query<{
      alertGroups: { groups: { name: string; firing: number; clusterNames: string[] }[] };
    }>(url, "{ alertGroups { groups { name firing clusterNames } } }", tokens.admin);
    expect(groups.errors).toBeUndefined();
    const crashGroup = groups.data!.alertGroups.groups.find((g) => g.name === "KubePodCrashLooping");
    expect(crashGroup?.firing).toBeGreaterThanOrEqual(1);
    expect(crashGroup?.clusterNames).toContain(cluster);

    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(pids.map(isRunning)).toEqual([false, false]);
  }, 150_000);

  it("without an Alertmanager on the PATH, say how to get one, and answer the rules and the crash loop from Prometheus alone", async () => {
    const prometheus = findExecutable("prometheus");
    expect(prometheus, "prometheus is not on the PATH: scripts/test.sh installs it").toBeDefined();
    // A PATH with Prometheus and nothing else.
    const path = await mkdtemp(join(tmpdir(), "fleetgraph-path-"));
    try {
      await symlink(prometheus!, join(path, "prometheus"));
      const port = await freeLoopbackPort();
      const serve = demo.run(["serve", "--no-auth", "--port", String(port)], demo.env(path));
      const url = `http://127.0.0.1:${port}/graphql`;
      await eventually(
        () => serve.stderr().includes(`listening on http://127.0.0.1:${port}/graphql`),
        60_000,
      );
      expect(serve.stderr()).toContain(
        "demo Alertmanager is off: no prometheus-alertmanager or alertmanager on the PATH",
      );
      expect(serve.stderr()).toContain("apt-get install prometheus-alertmanager");
      expect(serve.stderr()).toContain("alerts: no Alertmanager configured");
      expect(serve.stderr()).toMatch(/demo metrics: Prometheus \(pid \d+\).*evaluating the alert rules/);
      const cluster = crashLoopCluster(serve.stderr());

      const rules = await eventually(
        async () => (await query<RuleList>(url, RULES, undefined, { cluster })).data?.alertRules?.rules,
        30_000,
        500,
      );
      expect(rules.map((r) => r.name).sort()).toEqual(ruleNames);

      // Pending within a scrape or two: Prometheus's own alerts API is the source.
      const pending = await eventually(
        async () => seededAlert((await query<AlertList>(url, CRASH_LOOPING)).data, cluster),
        45_000,
        1000,
      );
      expect(pending).toMatchObject({ source: "PROMETHEUS", subject: { __typename: "Pod" } });
      expect(["PENDING", "FIRING"]).toContain(pending.state);

      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    } finally {
      await rm(path, { recursive: true, force: true });
    }
  }, 120_000);
});
