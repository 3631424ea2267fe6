/**
 * A real browser for tests: Debian's Chromium (scripts/test.sh installs it) driven by
 * playwright-core, which ships no browser of its own — the machines are offline, so Playwright's
 * browser download cannot work. Always headless: CI has no display.
 *
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   await page.goto(url);
 *   await screenshot(page, "explorer-opened");       // test-results/screenshots/explorer-opened.png
 *   await signInAtDemoProvider(page, "alice");       // on the demo provider's login form
 *   await browser.close();
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { LOGIN_FIELDS } from "../../src/demo-identity/login-page.js";
import { demoPasswordOf } from "../../src/demo-identity/demo-password.js";

/** Where Debian's `chromium` package puts the browser; $CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The screenshots folder (git-ignored), at the repository's root whatever the test's cwd. */
export const SCREENSHOT_DIR = new URL("../../test-results/screenshots/", import.meta.url).pathname;

export class ChromiumMissingError extends Error {
  constructor(readonly path: string) {
    super(
      `no Chromium at ${path}: install Debian's package (apt-get install -y --no-install-recommends chromium; ` +
        "scripts/test.sh does) or set CHROMIUM_PATH",
    );
    this.name = "ChromiumMissingError";
  }
}

export interface TestBrowser {
  readonly browser: Browser;
  /** A fresh context (cookies, storage) and a page in it: tests never share a session. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError(CHROMIUM_PATH);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Tests run as root in CI, where Chromium's sandbox refuses to start; /dev/shm may be small.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newPage(options) {
      const context = await browser.newContext({
        viewport: options?.viewport ?? { width: 1400, height: 900 },
      });
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}

/** Writes the page as test-results/screenshots/<name>.png and returns the file's path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Signs a demo user in on the demo identity provider's real login form (the page `page` or the
 * popup it is on must already show it); the provider then redirects back to the gateway. The
 * password is the demo's (`<user>-demo`) unless one is given.
 */
export async function signInAtDemoProvider(
  page: Page,
  user: string,
  password: string = demoPasswordOf(user),
): Promise<void> {
  await page.locator(`input[name="${LOGIN_FIELDS.login}"]`).fill(user);
  await page.locator(`input[name="${LOGIN_FIELDS.password}"]`).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
