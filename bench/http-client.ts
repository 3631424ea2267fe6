/** Small HTTP helpers of the harness: free ports, JSON and text reads, GraphQL posts, polling. */
import { freeLoopbackPort } from "../src/free-port.js";

export class BenchHttpError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(`${url}: ${message}`);
    this.name = "BenchHttpError";
  }
}

/** A free loopback port (src/free-port.ts), under the name the harness uses. */
export const freePort = freeLoopbackPort;

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new BenchHttpError(url, `answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

/** A text body (Prometheus's exposition, a scrape config). */
export async function getText(url: string): Promise<string> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new BenchHttpError(url, `answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** Posts one operation; rejects when the answer carries any error, so every figure is of a correct answer. */
export async function postGraphQL<T>(
  url: string,
  request: GraphQLRequest,
  headers: Readonly<Record<string, string>> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const text = await res.text();
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new BenchHttpError(
      url,
      `answered ${res.status} with a body that is not JSON: ${text.slice(0, 300)}`,
    );
  }
  if (!res.ok || body.errors?.length || body.data === undefined) {
    const messages = body.errors?.map((e) => e.message).join("; ") ?? text.slice(0, 300);
    throw new BenchHttpError(url, `answered ${res.status} with errors: ${messages}`);
  }
  return body.data;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Stop waiting early when this turns false (the process died). */
  stillAlive?: () => boolean;
  what: string;
}

export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (options.stillAlive && !options.stillAlive()) throw new Error(`${options.what}: the process exited`);
    if (performance.now() > deadline)
      throw new Error(`${options.what}: not ready within ${options.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}
