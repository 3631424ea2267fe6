/**
 * The explorer in a real browser (Debian's Chromium, headless) against a gateway with
 * authentication on, over a simulated fleet, logging in at the demo identity provider's real
 * login page: alice logs in through the popup, runs the first example tab and sees her own pods,
 * runs a subscription and sees the Deployment she scales arrive, then logs out. Screenshots of
 * each step are in test-results/screenshots/explorer-*.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExplorer } from "../../explorer/build.js";
import { EXPLORER_CSP } from "../../src/http/explorer.js";
import { startAuthGateway, type AuthGateway } from "../integration/auth-gateway-fixture.js";
import { kubectl } from "../support/kubectl.js";
import { launchBrowser, screenshot, signInAtDemoProvider, type TestBrowser } from "../support/browser.js";

let fixture: AuthGateway;
let browser: TestBrowser;
let page: Page;
/** Every console error and failed request of the explorer page (a CSP violation shows up here). */
const problems: string[] = [];

beforeAll(async () => {
  await buildExplorer();
  [fixture, browser] = await Promise.all([
    startAuthGateway({ seed: "explorer-browser", users: ["alice"] }),
    launchBrowser(),
  ]);
  // No background churn: what the page shows is compared with what the API answers.
  fixture.sim.churn.setRate(0);
  page = await browser.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.stop();
});

/** The text of GraphiQL's result pane: its editor's whole value (the DOM holds only what is in view). */
const resultPane = (p: Page) =>
  p
    .locator(".graphiql-response .CodeMirror")
    // Runs in the page (DOM types are not in the tests' lib): CodeMirror 5 hangs its editor on the element.
    .evaluate((editor) =>
      (editor as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
    );

/**
 * Opens the example tab of `operation` and runs it. As a person would, it clicks into the
 * operation first: GraphiQL settles which operation runs from the cursor, and a click on "run"
 * right after the tab switch could still name the previous tab's operation.
 */
async function runTab(p: Page, operation: string): Promise<void> {
  await p.locator(".graphiql-tab", { hasText: operation }).click();
  await p.locator(".graphiql-query-editor .CodeMirror-line", { hasText: operation }).click();
  await p.locator("button.graphiql-execute-button").click();
}

describe("the explorer", () => {
  it("serves the page with a CSP and its bundle from the gateway, and browsers at /graphql get it too", async () => {
    const res = await page.goto(`${fixture.base}/explorer`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toBe(EXPLORER_CSP);
    await expect.poll(() => page.locator(".graphiql-container").count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId("session").innerText()).toContain("Not signed in");
    await screenshot(page, "explorer-01-opened");

    const viaGraphql = await fetch(`${fixture.base}/graphql`, { headers: { accept: "text/html" } });
    expect(viaGraphql.status).toBe(200);
    expect(await viaGraphql.text()).toContain('src="/explorer/assets/explorer.js"');
    // A GraphQL GET keeps its behaviour: no token, no answer.
    const query = await fetch(
      `${fixture.base}/graphql?query=${encodeURIComponent("{clusters{totalCount}}")}`,
      {
        headers: { accept: "text/html", "apollo-require-preflight": "true" },
      },
    );
    expect(query.status).toBe(401);
  });

  it("logs alice in through the popup and the demo provider's login page, keeping no token in storage", async () => {
    const popup = page.waitForEvent("popup");
    await page.getByRole("button", { name: "Log in" }).click();
    const login = await popup;
    await login.waitForSelector('input[name="login"]');
    await screenshot(login, "explorer-02-provider-login");
    // The callback page hands the tokens over and closes the popup at once: listen before.
    const closed = login.waitForEvent("close", { timeout: 20_000 });
    await signInAtDemoProvider(login, "alice");
    await closed;
    await expect.poll(() => page.getByTestId("user").innerText(), { timeout: 10_000 }).toBe("alice");
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/accessToken|refreshToken|eyJ/);
    await screenshot(page, "explorer-03-signed-in");
  });

  it("runs the first example and shows alice's own pods, as the API answers her", async () => {
    const expected = await fixture.query<{
      pods: { totalCount: number; nodes: { namespaceName: string; name: string }[] };
    }>("alice", "{ pods(first: 5) { totalCount nodes { namespaceName name } } }");
    const { totalCount, nodes } = expected.data!.pods;
    expect(totalCount).toBeGreaterThan(0);
    await runTab(page, "FirstLook");
    await expect.poll(() => resultPane(page), { timeout: 20_000 }).toContain(`"totalCount": ${totalCount}`);
    const shown = JSON.parse(await resultPane(page)) as {
      data: { viewer: { user: string }; pods: { nodes: { namespaceName: string; name: string }[] } };
    };
    expect(shown.data.viewer.user).toBe("alice");
    expect(shown.data.pods.nodes.map((p) => p.name).sort()).toEqual(nodes.map((p) => p.name).sort());
    await screenshot(page, "explorer-04-query-result");
  });

  it("runs a subscription and shows the change when a Deployment is scaled", async () => {
    type Deployment = {
      clusterName: string;
      namespaceName: string;
      name: string;
      replicas: { desired: number };
      autoscaler: object | null;
    };
    const found = await fixture.query<{ workloads: { nodes: Deployment[] } }>(
      "alice",
      "{ workloads(first: 50, filter: { kinds: [DEPLOYMENT] }) { nodes { clusterName namespaceName name replicas { desired } autoscaler { maxReplicas } } } }",
    );
    // One without an autoscaler, which would set its replicas back.
    const deployment = found.data!.workloads.nodes.find((d) => d.autoscaler === null)!;
    expect(deployment).toBeDefined();
    await runTab(page, "DeploymentChanges");
    // The current Deployments come first, then SYNCED; the pane shows the latest event.
    await expect.poll(() => resultPane(page), { timeout: 20_000 }).toContain('"type": "SYNCED"');
    await screenshot(page, "explorer-05-subscribed");

    const desired = deployment.replicas.desired + 2;
    const scaled = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${deployment.clusterName}`,
      "-n",
      deployment.namespaceName,
      "scale",
      `deployment/${deployment.name}`,
      `--replicas=${desired}`,
    ]);
    expect(scaled.code, scaled.stderr).toBe(0);
    await expect
      .poll(() => resultPane(page), { timeout: 20_000 })
      .toMatch(new RegExp(`"name": "${deployment.name}",\\s*"replicas": \\{\\s*"desired": ${desired}`));
    const event = await resultPane(page);
    expect(event).toContain('"type": "UPDATED"');
    expect(event).toContain(`"cluster": "${deployment.clusterName}"`);
    await screenshot(page, "explorer-06-subscription-event");
    // Stop the subscription (the execute button is a stop button while it runs).
    await page.locator("button.graphiql-execute-button").click();
  });

  it("logs out: the session is revoked, then the provider's, and the explorer is signed out", async () => {
    // The token the page holds, read through the page's own requests.
    const request = page.waitForRequest((r) => r.url().endsWith("/auth/logout"));
    await page.getByRole("button", { name: "Log out" }).click();
    const authorization = (await request).headers().authorization!;
    expect(authorization).toMatch(/^Bearer /);
    // The provider asks to confirm ending its session.
    await page.locator('button[name="logout"]').waitFor({ timeout: 20_000 });
    await screenshot(page, "explorer-07-provider-logout");
    await page.locator('button[name="logout"]').click();
    await page.waitForURL(`${fixture.base}/explorer`, { timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId("session").innerText(), { timeout: 20_000 })
      .toContain("Not signed in");
    await screenshot(page, "explorer-08-signed-out");

    const after = await fetch(`${fixture.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ query: "{ viewer { user } }" }),
    });
    expect(after.status).toBe(401);
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
  });
});
