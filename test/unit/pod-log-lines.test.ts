/**
 * LogLines over ClusterConnection.openStream against a plain node:http server: how lines are cut
 * and stamped, how a stream ends or breaks off, and the backpressure bound — a reader that stops
 * reading stops the server's writes (TCP flow control) while the backlog stays at its limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterConfig } from "../../src/config/index.js";
import { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import {
  LogLines,
  parseTimestamp,
  type LogLinesOptions,
  type PodLogLine,
} from "../../src/subscriptions/log-lines.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let handler: Handler;
let connection: ClusterConnection;

beforeEach(async () => {
  handler = (_req, res) => res.end();
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const config: ClusterConfig = {
    name: "east",
    displayName: "East",
    labels: {},
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tls: { insecureSkipVerify: false },
    auth: { token: "secret-token" },
    requestTimeoutMs: 2000,
    maxConcurrentRequests: 4,
    source: "config",
  };
  connection = new ClusterConnection(config);
});

afterEach(async () => {
  connection.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function open(options: Partial<LogLinesOptions> = {}): Promise<LogLines> {
  const opened = await connection.openStream("/api/v1/namespaces/shop/pods/web/log?follow=true");
  return new LogLines(opened.body, opened.close, {
    container: "app",
    timestamps: false,
    maxQueuedLines: 100,
    maxQueuedChars: 1 << 20,
    maxLineLength: 1 << 16,
    brokenOff: (cause) => new Error(`broke off: ${String(cause)}`),
    ...options,
  });
}

async function readAll(lines: AsyncIterable<PodLogLine>): Promise<PodLogLine[]> {
  const out: PodLogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe("LogLines", () => {
  it("cuts lines across chunks, keeps empty ones and a last line without its newline", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("first li");
      setTimeout(() => res.write("ne\n\nthird, ünïcödé\nla"), 10);
      setTimeout(() => res.end("st"), 20);
    };
    const got = await readAll(await open());
    expect(got.map((l) => l.line)).toEqual(["first line", "", "third, ünïcödé", "last"]);
    expect(got.every((l) => l.container === "app" && l.timestamp === null && !l.partial)).toBe(true);
  });

  it("parses the API server's timestamp off each line; a line without one keeps its text", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.end(
        "2026-01-01T10:00:00.123456789Z GET /healthz 200\n" +
          "2026-01-01T11:00:00+01:00 offset\n" +
          "no stamp here\n",
      );
    };
    const got = await readAll(await open({ timestamps: true }));
    expect(got.map((l) => [l.timestamp?.toISOString() ?? null, l.line])).toEqual([
      ["2026-01-01T10:00:00.123Z", "GET /healthz 200"],
      ["2026-01-01T10:00:00.000Z", "offset"],
      [null, "no stamp here"],
    ]);
    expect(parseTimestamp("2026-01-01T10:00:00.5Z")?.toISOString()).toBe("2026-01-01T10:00:00.500Z");
    expect(parseTimestamp("yesterday")).toBeNull();
  });

  it("serves a line longer than the limit in pieces that carry its timestamp", async () => {
    const long = "x".repeat(150);
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(`2026-01-01T10:00:00Z ${long.slice(0, 30)}`);
      setTimeout(() => res.end(`${long.slice(30)}\nshort\n2026-01-01T10:00:00Z ${long}\n`), 10);
    };
    const got = await readAll(await open({ timestamps: true, maxLineLength: 64 }));
    // Cut from a pending line (across chunks), then from a whole line within one chunk.
    for (const pieces of [got.slice(0, 3), got.slice(4)]) {
      expect(pieces.map((l) => l.line.length)).toEqual([64 - 21, 64, 150 - 43 - 64]);
      expect(pieces.map((l) => l.partial)).toEqual([true, true, false]);
      expect(pieces.map((l) => l.line).join("")).toBe(long);
      expect(pieces.every((l) => l.timestamp?.toISOString() === "2026-01-01T10:00:00.000Z")).toBe(true);
    }
    expect(got[3]).toMatchObject({ line: "short", partial: false });
    expect(got[3]!.timestamp).toBeNull();
  });

  it("tells the reader when the stream breaks off, after the lines it got", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write("one\ntwo\n");
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const lines = await open();
    expect((await lines.next()).value).toMatchObject({ line: "one" });
    expect((await lines.next()).value).toMatchObject({ line: "two" });
    await expect(lines.next()).rejects.toThrow(/broke off/);
  });

  it("return() ends the upstream request", async () => {
    let closed: Promise<void> = Promise.resolve();
    handler = (req, res) => {
      res.writeHead(200);
      res.write("hello\n");
      closed = new Promise((resolve) => req.socket.once("close", () => resolve()));
    };
    const lines = await open();
    expect((await lines.next()).value).toMatchObject({ line: "hello" });
    const pending = lines.next();
    await lines.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    await closed;
  });

  it("holds a reader that stops reading to its bound, stalls the server, and loses nothing", async () => {
    const total = 200_000;
    let written = 0;
    let stalled = 0;
    handler = (_req, res) => {
      res.writeHead(200);
      const pump = (): void => {
        while (written < total) {
          const ok = res.write(`line ${written++} ${"-".repeat(80)}\n`);
          if (!ok) {
            stalled++;
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    const lines = await open({ maxQueuedLines: 500, maxQueuedChars: 1 << 20 });
    const first = await lines.next();
    expect(first.value).toMatchObject({ line: `line 0 ${"-".repeat(80)}` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const writtenWhileStopped = written;
    // Held: 500 lines plus the rest of the chunk being cut (at most 64 KiB, ~740 lines).
    expect(lines.isPaused).toBe(true);
    expect(lines.queued).toBeLessThanOrEqual(500 + 800);
    // The server could write only what the socket buffers take: far from everything.
    expect(writtenWhileStopped).toBeLessThan(total / 2);
    expect(stalled).toBeGreaterThan(0);
    console.log(
      `LogLines: reader stopped -> ${lines.queued} lines queued, server stalled after ${writtenWhileStopped} of ${total} lines`,
    );

    const started = performance.now();
    let count = 1;
    let maxQueued = 0;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      expect(next.value.line.startsWith(`line ${count} `)).toBe(true);
      count++;
      maxQueued = Math.max(maxQueued, lines.queued);
    }
    const ms = performance.now() - started;
    expect(count).toBe(total);
    expect(maxQueued).toBeLessThanOrEqual(500 + 800);
    console.log(
      `LogLines: ${total} lines (${Math.round((total * 88) / 1e6)} MB) read in ${Math.round(ms)} ms ` +
        `(${Math.round(total / (ms / 1000))} lines/s), largest backlog ${maxQueued} lines`,
    );
  });
});
