/**
 * Writing responses: JSON bodies, plain text and Status failures, with the headers the real
 * server sends, and the body faults: a slow body (it trickles out in chunks) and a connection
 * cut mid-body (the socket is destroyed after some bytes, as when a proxy or the server dies).
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { StatusError } from "../errors.js";
import type { FaultSettings } from "../faults/fault-state.js";

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
  private readonly slowBodyMs: number;
  private readonly cutAfterBytes: number;
  /** The cut happened: nothing more is written. */
  private severed = false;
  /** Bytes of a streamed body written so far (for the cut-mid-body fault). */
  private streamed = 0;

  constructor(
    readonly res: ServerResponse,
    faults: Pick<FaultSettings, "slowBodyMs" | "cutBodyAfterBytes">,
    /** The client's Audit-ID header: the real server (WithAuditInit) keeps it as the auditID. */
    clientAuditId?: string | string[],
  ) {
    this.slowBodyMs = faults.slowBodyMs;
    this.cutAfterBytes = faults.cutBodyAfterBytes;
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

  /**
   * Writes a piece of a streamed body; false (and the connection destroyed) once the
   * cut-mid-body fault has let its bytes through.
   */
  write(text: string): boolean {
    if (this.res.destroyed || this.severed) return false;
    const data = Buffer.from(text, "utf8");
    if (this.cutAfterBytes > 0 && this.streamed + data.length > this.cutAfterBytes) {
      this.cut(data.subarray(0, this.cutAfterBytes - this.streamed));
      return false;
    }
    this.streamed += data.length;
    this.res.write(data);
    return true;
  }

  /** Writes the bytes the cut lets through, then destroys the connection once they are out. */
  private cut(last: Buffer): void {
    this.severed = true;
    this.res.write(last, () => this.res.destroy());
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
    if (this.cutAfterBytes > 0 && data.length > this.cutAfterBytes) {
      // Content-Length promised more: the client sees the connection end before the body does.
      this.cut(data.subarray(0, this.cutAfterBytes));
      return;
    }
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
