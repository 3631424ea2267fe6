/**
 * A gateway with authentication on, over a simulated fleet, logging in against the demo identity
 * provider: every demo user logs in once through the real browser flow (headlessLogin), and
 * `query(user, ...)` sends GraphQL with that user's bearer token.
 */
import { headlessLogin } from "../../auth/identity/headless-login.js";
import type { GatewayConfig, RoleBindingSettings, SubscriptionSettings } from "../../src/config/index.js";
import { demoPasswordOf, startDemoIdentity, type DemoIdentity } from "../../src/demo-identity/index.js";
import { startGateway, type Gateway, type GatewayOptions } from "../../src/server/gateway.js";
import { demoSettings } from "../../src/server/identity.js";
import type { FleetOptions, SimFleet } from "../../sim/fleet.js";
import { freePort } from "../../bench/http-client.js";
import { fleetConfig, quiet, startSimFleet, type GraphQLResponse } from "./server-fixture.js";

export const DEMO_USERS = ["admin", "alice", "bob", "carol", "mallory"] as const;

export interface AuthGatewayOptions {
  seed: string;
  fleet?: Partial<FleetOptions>;
  /** Bindings beyond the demo's own (demoRoleBindings). */
  extraRoleBindings?: RoleBindingSettings[];
  /** The config's `subscriptions` section (allowed origins, queue bound). */
  subscriptions?: SubscriptionSettings;
  /** Who logs in; every demo user by default. */
  users?: readonly string[];
  gateway?: Partial<GatewayOptions>;
  /** More of the gateway's config, made once the fleet runs (a Prometheus scraping it, say). */
  configFor?: (sim: SimFleet) => Promise<Partial<GatewayConfig>>;
  /** The gateway's port; default a free one. */
  port?: number;
  /** Share sessions, API tokens and revocations through this Redis (default: in memory). */
  redis?: { url: string; keyPrefix: string };
  /**
   * Where browsers reach the gateway when a proxy fronts it (the example dashboard's server):
   * the login's callback goes there, and so do the fixture's own logins. Default `base`.
   */
  publicUrl?: string;
}

export interface AuthGateway {
  readonly sim: SimFleet;
  readonly gateway: Gateway;
  readonly idp: DemoIdentity;
  /** http://127.0.0.1:<port>, the gateway's public URL. */
  readonly base: string;
  /** Each logged-in user's access token. */
  readonly tokens: ReadonlyMap<string, string>;
  query<D = Record<string, unknown>>(
    user: string,
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<D>>;
  stop(): Promise<void>;
}

/** Thrown when a user the fixture did not log in is asked to query. */
export class NotLoggedInError extends Error {
  constructor(readonly user: string) {
    super(`${user} is not logged in to the test gateway`);
    this.name = "NotLoggedInError";
  }
}

export async function startAuthGateway(options: AuthGatewayOptions): Promise<AuthGateway> {
  const sim = await startSimFleet(options.seed, options.fleet);
  // The provider needs the gateway's callback before the gateway listens: pick its port first.
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? base;
  const idp = await startDemoIdentity({ redirectUri: `${publicUrl}/auth/callback` });
  let gateway: Gateway | undefined;
  try {
    const settings = await demoSettings(idp);
    const more = options.configFor ? await options.configFor(sim) : {};
    gateway = await startGateway({
      config: {
        ...fleetConfig(sim),
        ...more,
        auth: {
          ...settings,
          publicUrl,
          roleBindings: [...settings.roleBindings, ...(options.extraRoleBindings ?? [])],
          ...(options.redis ? { redis: options.redis } : {}),
        },
        ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
      },
      logger: quiet,
      listen: { port, host: "127.0.0.1" },
      fleet: { health: { intervalMs: 500, unreachableIntervalMs: 200 } },
      watchConfig: false,
      authentication: true,
      ...options.gateway,
    });
    const synced = await gateway.fleetCache.whenSynced(30_000);
    if (!synced.complete) throw new Error(`the gateway's caches did not sync: ${synced.pending.join(", ")}`);
    const tokens = new Map<string, string>();
    for (const user of options.users ?? DEMO_USERS) {
      tokens.set(user, (await headlessLogin(publicUrl, user, demoPasswordOf(user))).accessToken);
    }
    const started = gateway;
    return {
      sim,
      gateway: started,
      idp,
      base,
      tokens,
      query: (user, document, variables) => {
        const token = tokens.get(user);
        if (token === undefined) throw new NotLoggedInError(user);
        return postGraphQL(`${base}/graphql`, token, document, variables);
      },
      async stop() {
        await started.stop();
        await idp.stop();
        await sim.stop();
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => {});
    await idp.stop().catch(() => {});
    await sim.stop().catch(() => {});
    throw error;
  }
}

async function postGraphQL<D>(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<D>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<D>, "status">;
  return { status: response.status, ...body };
}
