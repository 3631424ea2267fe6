/**
 * The example dashboard as `npm run dashboard` serves it — vite build, then vite preview with the
 * proxy of examples/dashboard/vite.config.ts — but built into a temporary directory and proxying
 * to the test's gateway.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { gatewayProxy } from "../../examples/dashboard/vite.config.js";

const CONFIG_FILE = fileURLToPath(new URL("../../examples/dashboard/vite.config.ts", import.meta.url));

export interface DashboardServer {
  /** http://127.0.0.1:<port>, the page's origin (and the gateway's public URL). */
  readonly url: string;
  stop(): Promise<void>;
}

export async function serveDashboard(options: { port: number; gateway: string }): Promise<DashboardServer> {
  const outDir = await mkdtemp(join(tmpdir(), "fleetgraph-dashboard-"));
  const inline = { configFile: CONFIG_FILE, logLevel: "warn" as const, build: { outDir } };
  await build(inline);
  const server = await preview({
    ...inline,
    preview: {
      host: "127.0.0.1",
      port: options.port,
      strictPort: true,
      proxy: gatewayProxy(options.gateway),
    },
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    async stop() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
