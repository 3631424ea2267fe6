/**
 * The demo provider's oidc-provider configuration: who can log in (the demo accounts), which
 * claims they carry, the two clients, PKCE always, RS256 keys made at start, and client-credentials
 * tokens as JWTs for the gateway's resource indicator.
 */
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { errors, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { DemoAccount } from "./accounts.js";
import { clientMetadata, GATEWAY_AUDIENCE, GATEWAY_RESOURCE, type GatewayRedirects } from "./clients.js";
import { escapeHtml } from "./login-page.js";
import { INTERACTION_PATH } from "./interactions.js";

export interface ProviderSettings {
  accounts: readonly DemoAccount[];
  redirects: GatewayRedirects;
  /** Signs the provider's own cookies (interaction and session). */
  cookieKey: string;
  /** Private JWKs to sign tokens with; default one RS256 key made at start. */
  signingKeys?: readonly JWK[];
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export async function providerConfiguration(settings: ProviderSettings): Promise<Configuration> {
  return {
    clients: clientMetadata(settings.redirects),
    jwks: { keys: settings.signingKeys ? [...settings.signingKeys] : [await signingKey()] },
    cookies: { keys: [settings.cookieKey] },
    findAccount: (_ctx, id) => {
      const account = settings.accounts.find((a) => a.username === id);
      if (!account) return undefined;
      return {
        accountId: account.username,
        claims: () => ({
          sub: account.username,
          preferred_username: account.username,
          name: account.name,
          groups: [...account.groups],
        }),
      };
    },
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
    scopes: ["openid", "offline_access", "profile", "groups"],
    // The gateway maps the ID token's claims to a user; it never calls userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        // A client-credentials token is only good for the gateway, so it names it by default.
        defaultResource: (_ctx, client, oneOf) =>
          oneOf ?? (client?.grantTypes?.includes("client_credentials") ? GATEWAY_RESOURCE : undefined),
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== GATEWAY_RESOURCE) throw new errors.InvalidTarget();
          return {
            audience: GATEWAY_AUDIENCE,
            scope: "fleetgraph",
            accessTokenFormat: "jwt",
            accessTokenTTL: HOUR,
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    ttl: {
      AccessToken: HOUR,
      ClientCredentials: HOUR,
      IdToken: HOUR,
      RefreshToken: 8 * HOUR,
      Interaction: 10 * MINUTE,
      Session: 8 * HOUR,
      Grant: 8 * HOUR,
    },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Sign-in error", `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>`);
    },
  };
}

async function signingKey() {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: "RS256", use: "sig", kid: `demo-${Date.now().toString(36)}` };
}

function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  ctx.body = page(
    "Sign out",
    `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out of the demo provider</button>`,
  );
}

function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  ctx.body = page("Signed out", "<p>You are signed out of the demo identity provider.</p>");
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}</body></html>
`;
}
