/**
 * The subscribers' load process: thousands of real graphql-ws clients (the `graphql-ws` package
 * over `ws`, one socket each, as a browser tab would hold one) in one Node process, driven by the
 * harness over a small control API (subscribers-spec.ts). Each subscriber keeps nothing but its
 * client; what arrives is recorded as (cluster, resourceVersion, time received), which the
 * harness joins with the simulator's commit times to get each event's latency.
 *
 *   node dist/bench/load/subscribers.js     (prints "listening <control url>")
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type {
  ReceivedSamples,
  SubscribeAnswer,
  SubscribeRequest,
  SubscriberStats,
} from "./subscribers-spec.js";

/** The clock of sim/store/commit-log.ts: epoch ms with sub-millisecond precision, same machine. */
const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** A server out of file descriptors may never answer: the opening handshake and ack are bounded. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

class BoundedSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
  }
}

interface Subscriber {
  client: Client;
  connected: boolean;
  /** Closed by the harness: its close is not the server's doing. */
  disposed: boolean;
}

interface PodChangeEvent {
  podChanges?: {
    type?: string;
    cluster?: string | null;
    object?: { resourceVersion?: string } | null;
  };
}

const subscribers: Subscriber[] = [];
const totals: Record<string, number> = {};
const closes: Record<string, number> = {};
let operationErrors = 0;

let collection: ReceivedSamples = { clusters: [], samples: [], events: {} };
let clusterIndex = new Map<string, number>();

function newCollection(): ReceivedSamples {
  const done = collection;
  collection = { clusters: [], samples: [], events: {} };
  clusterIndex = new Map();
  return done;
}

function received(value: { data?: unknown }): void {
  const at = wallClockMs();
  const change = (value.data as PodChangeEvent | null | undefined)?.podChanges;
  const type = change?.type ?? "UNKNOWN";
  totals[type] = (totals[type] ?? 0) + 1;
  collection.events[type] = (collection.events[type] ?? 0) + 1;
  const version = change?.object?.resourceVersion;
  if (!change?.cluster || version === undefined || (type !== "ADDED" && type !== "UPDATED")) return;
  let index = clusterIndex.get(change.cluster);
  if (index === undefined) {
    index = collection.clusters.push(change.cluster) - 1;
    clusterIndex.set(change.cluster, index);
  }
  collection.samples.push([index, Number(version), at]);
}

const describe = (error: unknown): string => {
  const e = error as { message?: unknown; code?: unknown; reason?: unknown } | undefined;
  if (typeof e?.code === "number")
    return `closed ${e.code}${typeof e.reason === "string" && e.reason ? ` ${e.reason}` : ""}`;
  if (typeof e?.message === "string" && e.message) return e.message;
  return String(error);
};

/** Resolves with undefined once acknowledged (subscription sent), or with why it failed. */
function open(request: SubscribeRequest, filter: Record<string, unknown>): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (failure: string | undefined): void => {
      if (settled) return;
      settled = true;
      if (failure === undefined) subscribers.push(subscriber);
      resolve(failure);
    };
    const subscriber: Subscriber = {
      client: createClient({
        url: request.url.replace(/^http/, "ws"),
        webSocketImpl: BoundedSocket,
        connectionAckWaitTimeout: HANDSHAKE_TIMEOUT_MS,
        lazy: false,
        retryAttempts: 0,
        ...(request.token ? { connectionParams: { authorization: `Bearer ${request.token}` } } : {}),
        on: {
          connected: () => {
            subscriber.connected = true;
            settle(undefined);
          },
          closed: (event) => {
            const wasUp = subscriber.connected;
            subscriber.connected = false;
            if (wasUp && !subscriber.disposed) {
              const code = String((event as { code?: number }).code ?? "unknown");
              closes[code] = (closes[code] ?? 0) + 1;
            }
            settle(describe(event));
          },
          error: (error) => settle(describe(error)),
        },
      }),
      connected: false,
      disposed: false,
    };
    subscriber.client.subscribe(
      { query: request.query, variables: { filter } },
      {
        next: received,
        // A socket failure reaches here too; only an operation's own error is counted.
        error: (error) => {
          if (Array.isArray(error)) operationErrors++;
        },
        complete: () => undefined,
      },
    );
  });
}

async function subscribe(request: SubscribeRequest): Promise<SubscribeAnswer> {
  const started = performance.now();
  const deadline = started + request.deadlineMs;
  const errors: Record<string, number> = {};
  let next = 0;
  let connected = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < request.filters.length && performance.now() < deadline) {
      const failure = await open(request, request.filters[next++]!);
      if (failure === undefined) connected++;
      else {
        failed++;
        errors[failure] = (errors[failure] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, worker));
  return {
    requested: request.filters.length,
    connected,
    failed,
    skipped: request.filters.length - next,
    ms: Math.round(performance.now() - started),
    errors,
  };
}

async function close(count: number): Promise<number> {
  const closing = subscribers.splice(Math.max(0, subscribers.length - count));
  for (const s of closing) s.disposed = true;
  // In slices: ten thousand closing handshakes at once would only queue up.
  for (let i = 0; i < closing.length; i += 500)
    await Promise.all(closing.slice(i, i + 500).map((s) => Promise.resolve(s.client.dispose())));
  return closing.length;
}

function stats(): SubscriberStats {
  return {
    open: subscribers.length,
    connected: subscribers.filter((s) => s.connected).length,
    events: { ...totals },
    errors: operationErrors,
    closes: { ...closes },
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "POST" && path === "/subscribe")
    return send(res, 200, await subscribe((await readBody(req)) as SubscribeRequest));
  if (req.method === "POST" && path === "/close") {
    const { count } = (await readBody(req)) as { count?: number };
    const closed = await close(count ?? subscribers.length);
    return send(res, 200, { closed, open: subscribers.length });
  }
  if (req.method === "GET" && path === "/stats") return send(res, 200, stats());
  if (req.method === "GET" && path === "/samples") return send(res, 200, newCollection());
  send(res, 404, { error: `no such endpoint ${req.method} ${path}` });
}

const server = createServer((req, res) => {
  route(req, res).catch((error: unknown) => {
    if (!res.headersSent) send(res, 500, { error: describe(error) });
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening http://127.0.0.1:${port}\n`);
});
const stop = (): void => {
  for (const s of subscribers) s.disposed = true;
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
