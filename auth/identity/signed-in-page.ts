/**
 * The page a browser lands on after /auth/callback: it keeps the gateway's tokens in the tab's
 * sessionStorage (key "fleetgraph.tokens") for the GraphQL client, then moves on to the page the
 * login started from. No-store and no-referrer: the tokens must not be cached or leak onward.
 */
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
