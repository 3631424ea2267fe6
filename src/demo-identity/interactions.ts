/**
 * The demo provider's own interactions (oidc-provider's devInteractions stay off): a login form
 * checked against the demo accounts, and consent granted without asking for the gateway, which
 * is first party. Any other client asking for consent is refused: the demo has no consent page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { Interaction } from "oidc-provider";
import { checkPassword, type DemoAccount } from "./accounts.js";
import { GATEWAY_CLIENT_ID } from "./clients.js";
import { LOGIN_FIELDS, renderLoginPage } from "./login-page.js";

export const INTERACTION_PATH = "/interaction/";
const MAX_FORM_BYTES = 4096;

/** Handles /interaction/:uid and /interaction/:uid/login; false for any other path. */
export function interactionHandler(provider: Provider, accounts: readonly DemoAccount[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? "/", "http://provider").pathname;
    if (!path.startsWith(INTERACTION_PATH)) return false;
    const [uid, action] = path.slice(INTERACTION_PATH.length).split("/");
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      answer(res, 400, "text/plain", "this sign-in attempt has expired; start again");
    } else if (req.method === "POST" && action === "login") {
      await submitLogin(provider, accounts, details, req, res);
    } else if (req.method === "GET" && action === undefined) {
      await showPrompt(provider, details, req, res);
    } else {
      answer(res, 405, "text/plain", "method not allowed");
    }
    return true;
  };
}

async function showPrompt(
  provider: Provider,
  details: Interaction,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (details.prompt.name === "login") {
    answer(res, 200, "text/html", renderLoginPage(pageOf(details)));
  } else if (details.prompt.name === "consent" && details.params.client_id === GATEWAY_CLIENT_ID) {
    const grantId = await grantConsent(provider, details);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } else {
    await provider.interactionFinished(req, res, {
      error: "access_denied",
      error_description: "the demo identity provider grants consent only to the gateway",
    });
  }
}

async function submitLogin(
  provider: Provider,
  accounts: readonly DemoAccount[],
  details: Interaction,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const login = form.get(LOGIN_FIELDS.login) ?? "";
  const account = checkPassword(accounts, login, form.get(LOGIN_FIELDS.password) ?? "");
  if (!account) {
    // 401 with the form again: nothing is issued and the same interaction can be retried.
    const page = renderLoginPage({ ...pageOf(details), login, error: "Wrong user name or password." });
    answer(res, 401, "text/html", page);
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.username } },
    { mergeWithLastSubmission: false },
  );
}

/** Grants what the gateway asked for: the OpenID scopes and claims, and any resource scopes. */
async function grantConsent(provider: Provider, details: Interaction): Promise<string> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error(`grant ${details.grantId} of interaction ${details.uid} is gone`);
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope);
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes);
  }
  return grant.save();
}

function pageOf(details: Interaction) {
  return {
    action: `${INTERACTION_PATH}${details.uid}/login`,
    clientName:
      details.params.client_id === GATEWAY_CLIENT_ID ? "Fleetgraph" : String(details.params.client_id),
  };
}

function answer(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    "cache-control": "no-store",
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new RangeError(`login form over ${MAX_FORM_BYTES} bytes`);
  }
  return body;
}
