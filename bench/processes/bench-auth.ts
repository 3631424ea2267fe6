/**
 * Authentication for the gateway under test, as a deployment of several replicas has it: a
 * shared Redis and configured signing keys. The harness starts a session for the fleet's admin
 * (system:masters on every simulated cluster, platform-admin by binding) the way /auth/callback
 * would, in the same Redis with the same key, so every measured request is authenticated and
 * its Scope computed like any caller's.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { pino } from "pino";
import { GatewaySessions } from "../../auth/identity/session-tokens.js";
import { RedisStore } from "../../src/store/redis-store.js";

const REDIS_URL = process.env.FLEETGRAPH_BENCH_REDIS ?? "redis://127.0.0.1:6379";
/** Longer than any run: the harness logs in once. */
const TOKEN_TTL_SECONDS = 24 * 3600;

export interface BenchAuth {
  /** The gateway config's `auth` section. */
  config: unknown;
  /** An access token for the caller; the session lives in Redis under this run's prefix. */
  token(): Promise<string>;
}

/** Who the harness's requests are made as, and the gateway's role bindings for them. */
export interface BenchCaller {
  user: string;
  groups: string[];
  roleBindings: unknown[];
}

/** The fleet's admin: system:masters on every simulated cluster, platform-admin by binding. */
export const BENCH_ADMIN: BenchCaller = {
  user: "admin",
  groups: ["system:masters"],
  roleBindings: [{ role: "platform-admin", users: ["admin"] }],
};

export function benchAuth(publicUrl: string, caller: BenchCaller = BENCH_ADMIN): BenchAuth {
  const keyPrefix = `fleetgraph-bench:${randomUUID()}:`;
  const signingKey = { id: "bench", secret: randomBytes(32).toString("base64url") };
  return {
    config: {
      publicUrl,
      redis: { url: REDIS_URL, keyPrefix },
      sessions: { signingKeys: [signingKey], accessTokenTtlSeconds: TOKEN_TTL_SECONDS },
      roleBindings: caller.roleBindings,
    },
    async token() {
      const store = new RedisStore({ url: REDIS_URL, keyPrefix });
      try {
        const sessions = new GatewaySessions({
          store,
          issuer: publicUrl,
          signingKeys: [signingKey],
          accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
          sessionTtlSeconds: TOKEN_TTL_SECONDS,
          logger: pino({ level: "silent" }),
        });
        return (await sessions.start({ user: caller.user, groups: caller.groups })).accessToken;
      } finally {
        await store.close();
      }
    },
  };
}
