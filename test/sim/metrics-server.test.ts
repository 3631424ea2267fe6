import { afterEach, describe, expect, it } from "vitest";
import { EXPOSITION_CONTENT_TYPE } from "../../sim/metrics/exposition.js";
import { MetricsServer } from "../../sim/metrics/metrics-server.js";

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(scrape: () => string): Promise<MetricsServer> {
  server = new MetricsServer({ scrape });
  await server.listen();
  return server;
}

describe("a cluster's metrics endpoint", () => {
  it("answers GET /metrics with the exposition and its content type", async () => {
    const s = await serve(() => "# HELP up h\n# TYPE up gauge\nup 1\n");
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(s.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(EXPOSITION_CONTENT_TYPE);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toBe("# HELP up h\n# TYPE up gauge\nup 1\n");
  });

  it("scrapes anew on every request", async () => {
    let n = 0;
    const s = await serve(() => `n ${++n}\n`);
    expect(await (await fetch(s.url)).text()).toBe("n 1\n");
    expect(await (await fetch(s.url)).text()).toBe("n 2\n");
  });

  it("answers HEAD without a body, other paths 404 and other methods 405", async () => {
    const s = await serve(() => "up 1\n");
    const head = await fetch(s.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("5");
    expect((await fetch(s.url.replace("/metrics", "/other"))).status).toBe(404);
    const post = await fetch(s.url, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers 500 when a scrape fails, and keeps serving", async () => {
    let fail = true;
    const s = await serve(() => {
      if (fail) throw new Error("store gone");
      return "up 1\n";
    });
    const res = await fetch(s.url);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("store gone");
    fail = false;
    expect((await fetch(s.url)).status).toBe(200);
  });
});
