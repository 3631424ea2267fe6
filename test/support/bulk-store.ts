/**
 * A stand-in for Elasticsearch 8's document API, just enough for the audit shipper through the
 * real LogStoreClient: `POST /_bulk` with `create` (201, or 409 for an id already stored), the
 * product header the official client checks, and `goDown()` / `comeBack()` (the port refuses
 * connections while down). Used until the simulator's log store (sim/logstore/, branch
 * logstore-sim) is merged; the acceptance test runs against that one when it is there.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface BulkStore {
  readonly url: string;
  /** index -> id -> document */
  readonly indices: Map<string, Map<string, Record<string, unknown>>>;
  readonly ids: () => string[];
  bulkRequests: number;
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBulkStore(): Promise<BulkStore> {
  const indices = new Map<string, Map<string, Record<string, unknown>>>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const send = (status: number, body: object) => {
          res.writeHead(status, { "content-type": "application/json", "x-elastic-product": "Elasticsearch" });
          res.end(JSON.stringify(body));
        };
        if (req.method !== "POST" || !req.url?.startsWith("/_bulk")) return send(404, { error: "not found" });
        store.bulkRequests++;
        const lines = Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean);
        const items = [];
        for (let i = 0; i + 1 < lines.length; i += 2) {
          const action = JSON.parse(lines[i]!) as { create: { _index: string; _id: string } };
          const { _index, _id } = action.create;
          const docs = indices.get(_index) ?? new Map<string, Record<string, unknown>>();
          indices.set(_index, docs);
          if (docs.has(_id)) {
            items.push({
              create: {
                _index,
                _id,
                status: 409,
                error: { type: "version_conflict_engine_exception", reason: "document already exists" },
              },
            });
          } else {
            docs.set(_id, JSON.parse(lines[i + 1]!) as Record<string, unknown>);
            items.push({ create: { _index, _id, status: 201, result: "created" } });
          }
        }
        send(200, { took: 1, errors: items.some((i) => i.create.status !== 201), items });
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };
  const close = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };
  await listen();
  const store: BulkStore = {
    url: `http://127.0.0.1:${port}`,
    indices,
    ids: () => [...indices.values()].flatMap((d) => [...d.keys()]),
    bulkRequests: 0,
    goDown: close,
    comeBack: listen,
    stop: close,
  };
  return store;
}
