/**
 * Peer `backstage`: Backstage's Kubernetes backend answering "the objects of one entity across every
 * cluster" the way its Kubernetes tab asks (POST /services/:serviceId with the entity in the body),
 * with the plugin's own code: its KubernetesInitializer composes the cluster supplier (config
 * clusters, service-account tokens, CA data), the multi-tenant service locator, the
 * KubernetesClientBasedFetcher over its KubernetesConnection and the KubernetesFanOutHandler, as the
 * plugin does at start. Only the express route around it is replaced: its permission check, catalog
 * look-up of the entity and audit event are left out (they would only add to Backstage's time).
 *
 * Plain JavaScript run from this folder, so that its imports resolve in its own node_modules
 * (installed on demand from package-lock.json by bench/processes/backstage.ts), never the gateway's.
 *
 * argv[2]: the port (0: any free one); argv[3]: a JSON file with the Backstage config's
 * `kubernetes` section. Prints "listening <url>" once it serves.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { ConfigReader } = require("@backstage/config");
// Not exported from the package's index: the plugin's own composition of its services.
const {
  KubernetesInitializer,
} = require("@backstage/plugin-kubernetes-backend/dist/service/KubernetesInitializer.cjs.js");
const { version } = require("@backstage/plugin-kubernetes-backend/package.json");

/** Warnings and errors only: the fan-out logs one info line per request, which a benchmark need not pay for. */
const logger = {
  error: (message, meta) => process.stderr.write(`error: ${message}${meta ? ` ${String(meta)}` : ""}\n`),
  warn: (message) => process.stderr.write(`warn: ${message}\n`),
  info: () => undefined,
  debug: () => undefined,
  child: () => logger,
};

/** As the router's httpAuth would hand them on: the locator and the config clusters ignore them. */
const CREDENTIALS = { $$type: "@backstage/BackstageCredentials", principal: { type: "none" } };

const port = Number(process.argv[2] ?? 0);
const kubernetes = JSON.parse(readFileSync(process.argv[3], "utf8"));
const config = new ConfigReader({ kubernetes });
const { objectsProvider } = await KubernetesInitializer.create({ logger, config }).init();

function memory(collect) {
  const collected = collect && typeof globalThis.gc === "function";
  if (collected) globalThis.gc();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external, arrayBuffers, collected };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(text);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://peer");
  if (req.method === "GET" && url.pathname === "/debug/memory")
    return send(res, 200, memory(url.searchParams.get("gc") === "1"));
  if (req.method === "GET" && url.pathname === "/version")
    return send(res, 200, { "@backstage/plugin-kubernetes-backend": version });
  if (req.method !== "POST" || !url.pathname.startsWith("/api/kubernetes/services/"))
    return send(res, 404, {
      error: { name: "NotFoundError", message: `no route ${req.method} ${url.pathname}` },
    });
  readJson(req)
    .then((body) =>
      objectsProvider.getKubernetesObjectsByEntity(
        { entity: body.entity, auth: body.auth ?? {} },
        { credentials: CREDENTIALS },
      ),
    )
    .then(
      (answer) => send(res, 200, answer),
      (error) => send(res, 500, { error: { name: error.name, message: error.message } }),
    );
});

server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}/api/kubernetes\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close(() => process.exit(0)));
