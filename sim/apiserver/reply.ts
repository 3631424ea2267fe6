/**
 * Writing responses: JSON bodies, plain text and Status failures, with the headers the real
 * server sends, and the slow-body fault (the body trickles out in chunks).
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { StatusError } from "../errors.js";

/** How many pieces a body is cut into when the slow-body fault is on. */
const SLOW_BODY_CHUNKS = 4;

/** The client's Audit-ID when it sent one (the first of repeated headers), else a new UUID. */
function auditIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && value.trim() !== "" ? value.trim() : randomUUID();
}

export class Reply {
  /** The Status this reply last answered with (for the audit log). */
  failure: StatusError | undefined;

  constructor(
    readonly res: ServerResponse,
    private readonly slowBodyMs: number,
    /** The client's Audit-ID header: the real server (WithAuditInit) keeps it as the auditID. */
    clientAuditId?: string | string[],
  ) {
    res.setHeader("Audit-Id", auditIdOf(clientAuditId));
    res.setHeader("Cache-Control", "no-cache, private");
  }

  get started(): boolean {
    return this.res.headersSent;
  }

  json(code: number, body: string, headers: Record<string, string> = {}): Promise<void> {
    return this.send(code, "application/json", body, headers);
  }

  text(code: number, body: string): Promise<void> {
    return this.send(code, "text/plain; charset=utf-8", body, {});
  }

  status(error: StatusError): Promise<void> {
    this.failure = error;
    const headers: Record<string, string> = {};
    const retryAfter = error.details?.retryAfterSeconds;
    if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    return this.json(error.code, JSON.stringify(error.toStatus()), headers);
  }

  /** Starts a streamed response (watch, log follow): headers go out now, chunks follow. */
  startStream(contentType: string): void {
    this.res.writeHead(200, { "Content-Type": contentType, "Transfer-Encoding": "chunked" });
    this.res.flushHeaders();
  }

  private async send(
    code: number,
    contentType: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<void> {
    const data = Buffer.from(body, "utf8");
    this.res.writeHead(code, {
      ...headers,
      "Content-Type": contentType,
      "Content-Length": String(data.length),
    });
    if (this.slowBodyMs <= 0 || data.length < SLOW_BODY_CHUNKS) {
      this.res.end(data);
      return;
    }
    const size = Math.ceil(data.length / SLOW_BODY_CHUNKS);
    for (let offset = 0; offset < data.length; offset += size) {
      if (this.res.destroyed) return;
      if (offset > 0) await sleep(this.slowBodyMs);
      this.res.write(data.subarray(offset, offset + size));
    }
    this.res.end();
  }
}
