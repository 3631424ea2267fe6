/**
 * Fault matrix, part 5: Redis cut off from a running gateway with authentication on. Its watch
 * caches keep serving (synced, not stale, following the clusters), a gateway session token is
 * refused with a code that says why (its revocation cannot be checked), and the same token works
 * again once Redis is back, seeing what changed meanwhile. An API token revoked by another replica
 * while this one could not hear it closes this replica's sockets once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiTokens } from "../../auth/identity/api-tokens.js";
import { CLOSE_TOKEN_EXPIRED } from "../../src/http/subscription-server.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { eventually } from "../support/eventually.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { subscribe } from "../support/subscription-client.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { createConfigMap } from "./fault-matrix-fixture.js";

const prefix = uniqueRedisPrefix("fault-matrix-redis");
let proxy: TcpProxy;
let fx: AuthGateway;

beforeAll(async () => {
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(REDIS_URL).port) }, "redis");
  fx = await startAuthGateway({
    seed: "fault-matrix-redis",
    fleet: { clusters: 2, nodes: 2, pods: 20 },
    users: ["admin"],
    redis: { url: proxy.url, keyPrefix: prefix },
  });
});

afterAll(async () => {
  await proxy?.restore();
  await fx?.stop();
  await proxy?.close();
  await deleteRedisKeys(prefix);
});

const CONFIG_MAPS = `query ($n: String) { configMaps(first: 10, filter: { nameContains: $n }) { nodes { name clusterName } } }`;

describe("Redis down under a running gateway", () => {
  it("keeps the caches serving, refuses gateway tokens with provider-unavailable, and takes them again after", async () => {
    const before = await fx.query("admin", CONFIG_MAPS, { n: "kube-root-ca" });
    expect(before.status).toBe(200);

    await proxy.cut();
    const cluster = fx.sim.clusters[0]!;
    createConfigMap(cluster, "made-without-redis");

    const refused = await eventually(async () => {
      const r = await fx.query("admin", CONFIG_MAPS, { n: "made-without-redis" });
      return r.status === 401 ? r : undefined;
    }, 10_000);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "provider-unavailable",
    });
    expect(refused.errors?.[0]?.message).toContain("whether this token was revoked cannot be checked");

    // The caches do not depend on Redis: synced, current, and following the change.
    for (const c of fx.sim.clusters) {
      const status = fx.gateway.fleetCache.status(c.name)!;
      expect(status.synced, c.name).toBe(true);
      expect(status.staleSince, c.name).toBeNull();
    }

    await proxy.restore();
    const after = await eventually(async () => {
      const r = await fx.query<{ configMaps: { nodes: { name: string; clusterName: string }[] } }>(
        "admin",
        CONFIG_MAPS,
        { n: "made-without-redis" },
      );
      return r.status === 200 ? r : undefined;
    }, 10_000);
    expect(after.data!.configMaps.nodes).toEqual([{ name: "made-without-redis", clusterName: cluster.name }]);
  });
});

describe("a revocation published while a replica's Redis was away", () => {
  const createToken = async (name: string): Promise<{ id: string; secret: string }> => {
    const r = await fx.query<{ apiTokenCreate: { token: string; apiToken: { id: string } } }>(
      "admin",
      `mutation ($input: ApiTokenCreateInput!) { apiTokenCreate(input: $input) { token apiToken { id } } }`,
      { input: { name } },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return { id: r.data.apiTokenCreate.apiToken.id, secret: r.data.apiTokenCreate.token };
  };

  it("closes that token's sockets once Redis is back, and keeps the others open", async () => {
    const revoked = await createToken("revoked while away");
    const kept = await createToken("kept");
    const url = fx.base.replace(/^http/, "ws") + "/graphql";
    const query = "subscription { podChanges { type } }";
    const doomed = subscribe({ url, query, token: revoked.secret });
    const alive = subscribe({ url, query, token: kept.secret });
    await eventually(() => (doomed.acknowledged() && alive.acknowledged() ? true : undefined), 10_000);
    // Replica B: its own connection to the same Redis, not through the proxy this replica uses.
    const replicaB = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
    try {
      await proxy.cut();
      // This replica's revocation channel is down before B publishes: the message is lost to it.
      await eventually(async () => {
        const r = await fx.query("admin", CONFIG_MAPS, { n: "x" });
        return r.status === 401 ? true : undefined;
      }, 10_000);
      expect(await new ApiTokens(replicaB).revoke(revoked.id)).toMatchObject({ id: revoked.id });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(doomed.closed()).toBeUndefined();
      await proxy.restore();
      const closed = await doomed.whenClosed(15_000);
      expect(closed.code).toBe(CLOSE_TOKEN_EXPIRED);
      expect(closed.reason).toContain("revoked");
      // The unrevoked token was checked as well, and kept.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(alive.closed()).toBeUndefined();
    } finally {
      await doomed.close();
      await alive.close();
      await replicaB.close();
    }
  });
});
