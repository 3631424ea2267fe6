/**
 * The gateway as a client of the OpenID provider (openid-client): discovery once, retried after a
 * failure, and the provider's failures turned into LoginErrors (unreachable: 502; refused: 400).
 */
import * as oidc from "openid-client";
import { LoginError } from "./login-errors.js";

export interface ProviderClientOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lets openid-client talk to an http:// issuer (the demo provider); never for real providers. */
  allowInsecureRequests?: boolean;
}

/** Resolves the provider's configuration on first use; a failed discovery is retried next time. */
export function providerConfiguration(options: ProviderClientOptions): () => Promise<oidc.Configuration> {
  let discovered: Promise<oidc.Configuration> | undefined;
  return () => {
    discovered ??= oidc
      .discovery(
        new URL(options.issuer),
        options.clientId,
        undefined,
        oidc.ClientSecretBasic(options.clientSecret),
        options.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw new LoginError(
          "PROVIDER_UNAVAILABLE",
          `the identity provider ${options.issuer} is unreachable or its discovery document is unusable`,
          { cause: error },
        );
      });
    return discovered;
  };
}

/** openid-client's codes for an answer that is no OAuth answer at all (a proxy's 502 page). */
const UNUSABLE_ANSWERS = new Set(["OAUTH_RESPONSE_IS_NOT_CONFORM", "OAUTH_RESPONSE_IS_NOT_JSON"]);

/** What went wrong talking to the provider, as the caller should see it. */
export function providerFailure(error: unknown, issuer: string): LoginError {
  if (error instanceof LoginError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new LoginError("LOGIN_REFUSED", `the identity provider refused the login: ${error.error}`, {
      cause: error,
    });
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new LoginError("LOGIN_REFUSED", `the identity provider refused the request: ${error.error}`, {
      cause: error,
    });
  }
  if (error instanceof oidc.ClientError && !UNUSABLE_ANSWERS.has(String(error.code))) {
    return new LoginError(
      "LOGIN_REFUSED",
      `the identity provider's answer failed a check: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  return new LoginError("PROVIDER_UNAVAILABLE", `the identity provider ${issuer} is unreachable`, {
    cause: error,
  });
}
