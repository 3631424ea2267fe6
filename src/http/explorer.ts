/**
 * The explorer: GraphiQL, bundled at build time (explorer/build.ts -> dist/public/explorer/) and
 * served by the gateway itself — the machines it runs on may be offline, so nothing comes from a
 * CDN. GET /explorer is the page, /explorer/assets/* its script and styles; a browser opening
 * /graphql (Accept: text/html, no query) is given the page too, and GET / sends browsers there
 * (it is where the login's logout returns). The page carries a Content-Security-Policy that
 * allows scripts from this origin only: the bundle is a file, the page has no inline script.
 */
import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";

/** The bundle's folder: beside dist/src when built, dist/public/explorer when run from source. */
export function defaultExplorerAssets(): string {
  const built = fileURLToPath(new URL("../../public/explorer/", import.meta.url));
  const fromSource = fileURLToPath(new URL("../../dist/public/explorer/", import.meta.url));
  return existsSync(built) ? built : fromSource;
}

export const EXPLORER_PATH = "/explorer";

/**
 * 'self' for scripts, connections (fetch and the graphql-ws socket: CSP3 lets 'self' match ws:
 * and wss: on the same host) and fonts; inline style attributes are allowed because GraphiQL's
 * editor and popovers position themselves with them. No framing (clickjacking a token holder).
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** A browser asking for /graphql without an operation: it wants the explorer, not a 400. */
export function wantsExplorer(req: IncomingMessage): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = new URL(req.url ?? "/", "http://gateway.invalid");
  if (url.searchParams.has("query")) return false;
  return (req.headers.accept ?? "").split(",").some((type) => type.trim().startsWith("text/html"));
}

export function explorerRoutes(assets: string = defaultExplorerAssets()): Router {
  const router = Router();
  const page = (_req: express.Request, res: express.Response): void => {
    if (!existsSync(`${assets}/explorer.js`)) {
      res.status(503).type("text").send("The explorer is not built: run `npm run build`.\n");
      return;
    }
    res
      .set({
        "content-security-policy": EXPLORER_CSP,
        "cache-control": "no-cache",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
      })
      .type("html")
      .send(EXPLORER_PAGE);
  };
  router.get(EXPLORER_PATH, page);
  router.get("/graphql", page);
  router.get("/", (req, res, next) => (req.accepts("html") ? res.redirect(303, EXPLORER_PATH) : next()));
  // Hashed names are not used: the page is no-cache and revalidates the assets by ETag.
  router.use(
    `${EXPLORER_PATH}/assets`,
    express.static(assets, { index: false, fallthrough: false, cacheControl: true, maxAge: 0 }),
  );
  return router;
}

const EXPLORER_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleetgraph explorer</title>
<link rel="stylesheet" href="/explorer/assets/explorer.css">
<script type="module" src="/explorer/assets/explorer.js"></script>
</head>
<body>
<div id="explorer"><p>Loading the Fleetgraph explorer…</p></div>
</body>
</html>
`;
