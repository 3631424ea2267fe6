/**
 * Builds the dashboard and serves it (`vite preview`, or `vite` while editing) with a proxy to
 * the gateway, so the browser sees one origin: no CORS, and the login's redirect back to
 * /auth/callback lands on the page that stores the tokens. Start the gateway with
 * `--public-url` set to this server's URL (README.md) so its login sends the browser here.
 *
 * FLEETGRAPH_GATEWAY: the gateway's base URL (default http://localhost:4000).
 * DASHBOARD_PORT: where the dashboard listens (default 5173).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

export function gatewayProxy(gateway: string): Record<string, ProxyOptions> {
  // changeOrigin stays false: the gateway sees the browser's Host, so a subscription socket's
  // Origin (this page) matches it and passes the gateway's cross-site check.
  const target = gateway.replace(/\/+$/, "");
  return {
    "/graphql": { target, ws: true, changeOrigin: false },
    "/auth": { target, changeOrigin: false },
  };
}

const gateway = process.env.FLEETGRAPH_GATEWAY ?? "http://localhost:4000";
const port = Number(process.env.DASHBOARD_PORT ?? 5173);

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  server: { port, strictPort: true, proxy: gatewayProxy(gateway) },
  preview: { port, strictPort: true, proxy: gatewayProxy(gateway) },
});
