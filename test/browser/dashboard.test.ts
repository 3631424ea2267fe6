/**
 * The example dashboard in Chromium against a gateway with authentication on over a simulated
 * fleet, served as `npm run dashboard` serves it (vite preview with its proxy; the gateway's
 * public URL is the dashboard's). What the page shows is compared with the gateway's own GraphQL
 * answers for the same user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/http-client.js";
import { startAuthGateway, type AuthGateway } from "../integration/auth-gateway-fixture.js";
import { launchBrowser, type TestBrowser } from "../support/browser.js";
import { kubectl } from "../support/kubectl.js";
import { serveDashboard, type DashboardServer } from "./dashboard-server.js";
import { DashboardPage } from "./dashboard-page.js";

interface FleetCounts {
  clusters: { nodes: { name: string; workloads: { totalCount: number } }[] };
  workloads: { totalCount: number };
}

const COUNTS = `{ clusters { nodes { name workloads(first: 1) { totalCount } } } workloads(first: 1) { totalCount } }`;

describe("the example dashboard", () => {
  let fx: AuthGateway;
  let dashboard: DashboardServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    const gatewayPort = await freePort();
    dashboard = await serveDashboard({ port: await freePort(), gateway: `http://127.0.0.1:${gatewayPort}` });
    fx = await startAuthGateway({
      seed: "dashboard",
      users: ["admin", "bob"],
      port: gatewayPort,
      publicUrl: dashboard.url,
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.stop();
    await dashboard?.stop();
  });

  async function expectedCounts(user: string) {
    const answer = await fx.query<FleetCounts>(user, COUNTS);
    expect(answer.errors).toBeUndefined();
    return answer.data!;
  }

  it("shows each user the clusters and workload counts the gateway gives them", async () => {
    const seen: Record<string, number> = {};
    for (const user of ["admin", "bob"]) {
      const expected = await expectedCounts(user);
      const page = await DashboardPage.signIn(browser, dashboard.url, user);
      try {
        await expect.poll(() => page.workloadTotal()).toBe(expected.workloads.totalCount);
        const cards = await page.clusterCards();
        expect(cards.map((c) => [c.name, c.workloads])).toEqual(
          expected.clusters.nodes.map((c) => [c.name, c.workloads.totalCount]),
        );
        expect(cards.every((c) => c.status === "READY")).toBe(true);
        await page.screenshot(`signed-in-${user}`);
      } finally {
        await page.close();
      }
      seen[user] = expected.workloads.totalCount;
    }
    // Different scopes, different pages: bob views two workspaces' namespaces, admin everything.
    expect(seen.bob).toBeGreaterThan(0);
    expect(seen.bob).toBeLessThan(seen.admin!);
  }, 90_000);

  it("updates a workload's row live when the simulator scales it", async () => {
    const found = await fx.query<{
      workloads: {
        nodes: { clusterName: string; namespaceName: string; name: string; replicas: { desired: number } }[];
      };
    }>(
      "admin",
      `{ workloads(first: 1, filter: { kinds: [DEPLOYMENT] }) { nodes { clusterName namespaceName name replicas { desired } } } }`,
    );
    const d = found.data!.workloads.nodes[0]!;
    const page = await DashboardPage.signIn(browser, dashboard.url, "admin");
    try {
      await page.filter({ cluster: d.clusterName, nameContains: d.name });
      const row = page.row(d.clusterName, d.namespaceName, d.name);
      await expect
        .poll(() => row.getByTestId("replicas").textContent())
        .toMatch(new RegExp(`/ ${d.replicas.desired}$`));
      await page.screenshot("before-scale");
      const target = d.replicas.desired + 3;
      const scaled = await kubectl(fx.sim.kubeconfigPath, [
        `--context=${d.clusterName}`,
        "-n",
        d.namespaceName,
        "scale",
        `deployment/${d.name}`,
        `--replicas=${target}`,
      ]);
      expect(scaled.stderr).toBe("");
      // No reload, no refetch: the workloadChanges subscription rewrites the row in place.
      await expect
        .poll(() => row.getByTestId("replicas").textContent(), { timeout: 15_000 })
        .toMatch(new RegExp(`/ ${target}$`));
      await page.screenshot("after-scale");
    } finally {
      await page.close();
    }
  }, 60_000);

  it("names a cluster that goes down, and keeps showing the others", async () => {
    const page = await DashboardPage.signIn(browser, dashboard.url, "admin");
    // The last cluster by name: the first page (ordered by cluster) shows the others' rows.
    const cards = await page.clusterCards();
    const down = cards[cards.length - 1]!.name;
    const others = cards.slice(0, -1).map((c) => c.name);
    const cluster = fx.sim.cluster(down);
    await cluster.goDown();
    try {
      const problems = page.page.getByTestId("cluster-problems");
      await problems.locator(`[data-cluster="${down}"]`).waitFor({ timeout: 20_000 });
      expect(await problems.textContent()).toContain(down);
      await expect
        .poll(() => page.clusterCards().then((c) => c.find((x) => x.name === down)?.status), {
          timeout: 20_000,
        })
        .toBe("UNREACHABLE");
      // The page is not blank: the other clusters' rows are still in the table.
      const rows = await page.rowClusters();
      expect(rows.some((c) => others.includes(c))).toBe(true);
      await page.screenshot("cluster-down");
    } finally {
      await cluster.comeBack();
    }
    await page.page.getByTestId("cluster-problems").waitFor({ state: "detached", timeout: 30_000 });
    await page.screenshot("cluster-back");
    await page.close();
  }, 90_000);

  it("follows the log of a pod picked from a workload", async () => {
    const page = await DashboardPage.signIn(browser, dashboard.url, "admin");
    try {
      await page.filter({ kind: "DEPLOYMENT" });
      await page.page.getByTestId("workload-row").first().click();
      await page.page.getByTestId("pod").first().click();
      const log = page.page.getByTestId("pod-log");
      await expect.poll(() => log.textContent(), { timeout: 15_000 }).not.toBe("waiting for lines…");
      await page.screenshot("pod-log");
    } finally {
      await page.close();
    }
  }, 60_000);
});
