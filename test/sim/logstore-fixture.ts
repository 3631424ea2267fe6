/** A log store server and an official Elasticsearch 8 client pointed at it. */
import { Client } from "@elastic/elasticsearch";
import { LogStoreServer, type LogStoreServerOptions } from "../../sim/logstore/server.js";

export interface StoreFixture {
  server: LogStoreServer;
  client: Client;
  close(): Promise<void>;
}

export async function startStore(options: LogStoreServerOptions = {}): Promise<StoreFixture> {
  const server = new LogStoreServer(options);
  await server.listen();
  const client = new Client({
    node: server.url,
    ...(options.username ? { auth: { username: options.username, password: options.password ?? "" } } : {}),
  });
  return {
    server,
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

export interface EsErrorJson {
  type: string;
  reason: string;
  caused_by?: EsErrorJson;
  root_cause: EsErrorJson[];
  failed_shards?: { index: string; shard: number; reason: EsErrorJson }[];
  [key: string]: unknown;
}

export interface ErrorBody {
  error: EsErrorJson;
  status: number;
  found?: boolean;
}

/** The error body of a failed client call (ResponseError.meta.body). */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; body: ErrorBody }> {
  try {
    await promise;
  } catch (error) {
    const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
    if (meta?.statusCode !== undefined) return { status: meta.statusCode, body: meta.body as ErrorBody };
    throw error;
  }
  throw new Error("expected the request to fail");
}
