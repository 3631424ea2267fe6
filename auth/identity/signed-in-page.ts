/**
 * The pages a browser lands on after /auth/callback. The plain one keeps the gateway's tokens in the tab's
 * sessionStorage (key "fleetgraph.tokens") for the GraphQL client, then moves on to the page the
 * login started from. The opener handoff (a login started with ?handoff=opener, in a popup of the
 * explorer) stores nothing: it posts the tokens to the page that opened it — only if that page is
 * on the gateway's own origin, which postMessage's target origin enforces — and closes, so the
 * tokens live in that page's memory only. No-store and no-referrer: the tokens must not be cached
 * or leak onward.
 */
import { createHash } from "node:crypto";
import type { Response } from "express";

export interface SignedIn {
  tokenType: "Bearer";
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
  user: string;
  groups: readonly string[];
  /** The same-origin path the login was started for. */
  redirect?: string;
}

export function sendSignedInPage(res: Response, signedIn: SignedIn): void {
  // "<" escaped so nothing inside the JSON can close the script element.
  const json = JSON.stringify(signedIn).replace(/</g, "\\u003c");
  const user = signedIn.user.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.status(200).set({ "cache-control": "no-store", "referrer-policy": "no-referrer" }).type("html")
    .send(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Signed in to Fleetgraph</title></head>
<body><h1>Signed in as ${user}</h1>
<script type="application/json" id="fleetgraph-tokens">${json}</script>
<script>
const tokens = JSON.parse(document.getElementById("fleetgraph-tokens").textContent);
sessionStorage.setItem("fleetgraph.tokens", JSON.stringify(tokens));
if (tokens.redirect) location.replace(tokens.redirect);
</script>
</body></html>
`);
}

/** The message the explorer listens for (explorer/session.ts). */
export const SIGNED_IN_MESSAGE = "fleetgraph.signed-in";

// Its hash is the page's only script permission (CSP): nothing injected into the page can run.
const HANDOFF_SCRIPT = `
const tokens = JSON.parse(document.getElementById("fleetgraph-tokens").textContent);
const origin = document.documentElement.dataset.origin;
if (window.opener) {
  window.opener.postMessage({ type: "${SIGNED_IN_MESSAGE}", tokens }, origin);
  window.close();
} else {
  document.getElementById("status").textContent = "The page that started this login is gone: log in again from it.";
}
`;
const HANDOFF_SCRIPT_HASH = createHash("sha256").update(HANDOFF_SCRIPT).digest("base64");

export function sendOpenerHandoffPage(res: Response, signedIn: SignedIn, gatewayOrigin: string): void {
  const json = JSON.stringify(signedIn).replace(/</g, "\\u003c");
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res
    .status(200)
    .set({
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "content-security-policy": `default-src 'none'; script-src 'sha256-${HANDOFF_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    })
    .type("html").send(`<!DOCTYPE html>
<html lang="en" data-origin="${escape(gatewayOrigin)}"><head><meta charset="utf-8"><title>Signed in to Fleetgraph</title></head>
<body><h1>Signed in as ${escape(signedIn.user)}</h1><p id="status">Returning to the explorer…</p>
<script type="application/json" id="fleetgraph-tokens">${json}</script>
<script>${HANDOFF_SCRIPT}</script>
</body></html>
`);
}
