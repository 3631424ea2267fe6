/** The harness's debug routes: subscription figures when the server has them, 404 when not. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { debugRoutes, type DebugCacheSource, type DebugSubscriptions } from "../../src/http/debug-routes.js";

const STATS: DebugSubscriptions = {
  subscriptions: 3,
  queued: 2,
  largestQueue: 2,
  coalescing: 0,
  maxQueued: 1000,
  connections: 2,
};

const noCache: DebugCacheSource = {
  clusters: () => [],
  progress: () => ({ clustersTotal: 0, clustersSynced: 0, clustersGaveUp: 0, objects: 0 }),
  status: () => undefined,
};

let server: Server | undefined;

async function serve(source: DebugCacheSource): Promise<string> {
  const app = express();
  app.use(debugRoutes(source));
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe("GET /debug/subscriptions", () => {
  it("answers the gateway's subscription stats", async () => {
    const base = await serve({ ...noCache, subscriptions: () => STATS });
    const res = await fetch(`${base}/debug/subscriptions`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(STATS);
  });

  it("is 404 where no subscriptions are served", async () => {
    const base = await serve(noCache);
    expect((await fetch(`${base}/debug/subscriptions`)).status).toBe(404);
  });
});
