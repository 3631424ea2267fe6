/**
 * The dashboard as a person uses it, through Chromium: sign in at the demo provider's form, read
 * the cluster cards and the workload table, filter, pick a pod. Screenshots go to
 * test-results/screenshots/.
 */
import type { Page } from "playwright-core";
import { screenshot, signInAtDemoProvider, type TestBrowser } from "../support/browser.js";

export interface ClusterCard {
  name: string;
  status: string;
  workloads: number;
}

export class DashboardPage {
  private constructor(readonly page: Page) {}

  /** A fresh browser context (its own sessionStorage), signed in as `user` through the real flow. */
  static async signIn(browser: TestBrowser, url: string, user: string): Promise<DashboardPage> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The provider's own login form, on the provider's origin; it redirects to /auth/callback.
    await signInAtDemoProvider(page, user);
    await page.getByTestId("viewer").filter({ hasText: user }).waitFor();
    await page.getByTestId("workload-table").waitFor();
    return new DashboardPage(page);
  }

  async clusterCards(): Promise<ClusterCard[]> {
    const cards = await this.page.getByTestId("cluster-card").all();
    return Promise.all(
      cards.map(async (card) => ({
        name: (await card.getAttribute("data-cluster")) ?? "",
        status: (await card.getByTestId("cluster-status").textContent()) ?? "",
        workloads: Number(await card.getByTestId("cluster-workloads").textContent()),
      })),
    );
  }

  /** The cluster of each row in the table, in order. */
  async rowClusters(): Promise<string[]> {
    const rows = await this.page.getByTestId("workload-row").all();
    return Promise.all(rows.map(async (r) => (await r.getAttribute("data-workload"))?.split("/")[0] ?? ""));
  }

  async workloadTotal(): Promise<number> {
    return Number(await this.page.getByTestId("workload-total").textContent());
  }

  row(cluster: string, namespace: string, name: string) {
    return this.page.locator(`[data-testid="workload-row"][data-workload="${cluster}/${namespace}/${name}"]`);
  }

  async filter(values: { cluster?: string; kind?: string; nameContains?: string }): Promise<void> {
    const form = this.page.locator("form.filters");
    if (values.cluster !== undefined) await form.locator('[name="cluster"]').selectOption(values.cluster);
    if (values.kind !== undefined) await form.locator('[name="kind"]').selectOption(values.kind);
    if (values.nameContains !== undefined)
      await form.locator('[name="nameContains"]').fill(values.nameContains);
  }

  screenshot(name: string): Promise<string> {
    return screenshot(this.page, `dashboard-${name}`);
  }

  close(): Promise<void> {
    return this.page.context().close();
  }
}
