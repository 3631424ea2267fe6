/**
 * The demo provider's two clients: the gateway itself (browser logins, first party, so consent
 * is implied) and an automation client for scripts and CI (client-credentials grant).
 */
import type { ClientMetadata } from "oidc-provider";

export const GATEWAY_CLIENT_ID = "fleetgraph";
export const GATEWAY_CLIENT_SECRET = "fleetgraph-demo-secret";
export const AUTOMATION_CLIENT_ID = "fleetgraph-automation";
export const AUTOMATION_CLIENT_SECRET = "fleetgraph-automation-demo-secret";

/**
 * The gateway as a resource server: client-credentials tokens name it as their audience. RFC 8707
 * wants an absolute URI as the indicator, hence the URN; the audience is the plain name.
 */
export const GATEWAY_RESOURCE = "urn:fleetgraph";
export const GATEWAY_AUDIENCE = "fleetgraph";

export interface DemoClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly grantTypes: readonly string[];
}

export interface GatewayRedirects {
  /** The gateway's /auth/callback. */
  readonly redirectUri: string;
  /** Where the provider may send the browser after logout; the gateway's base URL by default. */
  readonly postLogoutRedirectUris: readonly string[];
}

export const DEMO_CLIENTS: readonly DemoClient[] = [
  {
    clientId: GATEWAY_CLIENT_ID,
    clientSecret: GATEWAY_CLIENT_SECRET,
    grantTypes: ["authorization_code", "refresh_token"],
  },
  {
    clientId: AUTOMATION_CLIENT_ID,
    clientSecret: AUTOMATION_CLIENT_SECRET,
    grantTypes: ["client_credentials"],
  },
];

export function clientMetadata(redirects: GatewayRedirects): ClientMetadata[] {
  return DEMO_CLIENTS.map((client) => {
    const browser = client.grantTypes.includes("authorization_code");
    return {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: [...client.grantTypes],
      response_types: browser ? ["code"] : [],
      redirect_uris: browser ? [redirects.redirectUri] : [],
      ...(browser ? { post_logout_redirect_uris: [...redirects.postLogoutRedirectUris] } : {}),
      token_endpoint_auth_method: "client_secret_basic",
    };
  });
}
