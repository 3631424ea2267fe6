/**
 * A browser login without a browser, for `fleetgraph login` and the tests: a real HTTP client
 * with a cookie jar follows the redirects from the gateway's /auth/login to the provider, fills
 * in the provider's login form (the demo provider's field names), and reads the gateway's tokens
 * from /auth/callback as JSON.
 */
import { CookieJar } from "tough-cookie";
import type { SignedIn } from "./signed-in-page.js";

export class HeadlessLoginError extends Error {
  constructor(
    message: string,
    /** The URL that answered unexpectedly. */
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "HeadlessLoginError";
  }
}

/** fetch with a cookie jar and redirects left to the caller, remembering every URL it asked. */
export class HeadlessBrowser {
  readonly jar = new CookieJar();
  readonly visited: URL[] = [];

  async request(url: URL, init: { method?: string; form?: URLSearchParams; accept?: string } = {}) {
    this.visited.push(url);
    const cookie = await this.jar.getCookieString(url.href);
    const response = await fetch(url, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: {
        accept: init.accept ?? "text/html",
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(init.form ? { body: init.form } : {}),
    });
    for (const set of response.headers.getSetCookie()) await this.jar.setCookie(set, url.href);
    return response;
  }
}

const MAX_HOPS = 20;

/**
 * Follows the login from the gateway through the provider's form, and stops at the redirect back
 * to the gateway's /auth/callback: returns that URL, not yet visited.
 */
export async function signInAtProvider(
  browser: HeadlessBrowser,
  gateway: string,
  user: string,
  password: string,
  /** The same-origin path the gateway should send the browser to afterwards. */
  redirect?: string,
): Promise<URL> {
  const callback = new URL("auth/callback", withSlash(gateway));
  let url = new URL("auth/login", withSlash(gateway));
  if (redirect !== undefined) url.searchParams.set("redirect", redirect);
  let response = await browser.request(url);
  let submitted = false;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.origin === callback.origin && url.pathname === callback.pathname) return url;
      response = await browser.request(url);
      continue;
    }
    const page = await response.text();
    const form = loginFormOf(page);
    if (!form) throw unexpected(url, response.status, page);
    if (submitted)
      throw new HeadlessLoginError(`login as ${user} refused: ${errorOf(page)}`, url.href, response.status);
    submitted = true;
    url = new URL(form.action, url);
    response = await browser.request(url, {
      method: "POST",
      form: new URLSearchParams({ login: user, password }),
    });
  }
  throw new HeadlessLoginError(`more than ${MAX_HOPS} redirects`, url.href);
}

/** The whole login: the gateway's tokens for this user. */
export async function headlessLogin(gateway: string, user: string, password: string): Promise<SignedIn> {
  const browser = new HeadlessBrowser();
  const callback = await signInAtProvider(browser, gateway, user, password);
  const response = await browser.request(callback, { accept: "application/json" });
  const body = await response.text();
  if (response.status !== 200) throw unexpected(callback, response.status, body);
  return JSON.parse(body) as SignedIn;
}

function loginFormOf(page: string): { action: string } | undefined {
  if (!/<input[^>]+name="password"/i.test(page)) return undefined;
  const action = /<form[^>]+action="([^"]+)"/i.exec(page)?.[1];
  return action === undefined ? undefined : { action: unescapeHtml(action) };
}

function errorOf(page: string): string {
  return unescapeHtml(/role="alert">([^<]*)</.exec(page)?.[1] ?? "the login form came back");
}

function unexpected(url: URL, status: number, body: string): HeadlessLoginError {
  let message = body.slice(0, 300);
  try {
    message = (JSON.parse(body) as { error: { message: string } }).error.message;
  } catch {
    // Not the gateway's JSON error: show the start of whatever came back.
  }
  return new HeadlessLoginError(
    `unexpected answer ${status} from ${url.origin}${url.pathname}: ${message}`,
    url.href,
    status,
  );
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function withSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
