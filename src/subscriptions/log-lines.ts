/**
 * One followed container log as an async iterator of lines, paced by its reader. The upstream
 * body is paused once `maxQueuedLines` lines or `maxQueuedChars` characters wait unread, and
 * resumed when the reader has taken half of them: TCP flow control then holds the API server
 * (and the kubelet behind it) back, so a slow subscriber loses no line and costs bounded memory
 * (the limits, plus the one chunk being split when the bound was reached).
 */
import type { Readable } from "node:stream";

export interface PodLogLine {
  /** The text without its newline (and without the timestamp the API server put before it). */
  readonly line: string;
  /** When the container wrote it, from the API server's prefix; null without `timestamps`. */
  readonly timestamp: Date | null;
  readonly container: string;
  /** The line was longer than the longest line served and continues in the next event. */
  readonly partial: boolean;
}

export interface LogLinesOptions {
  container: string;
  /** The API server prefixes every line with its RFC 3339 time (timestamps=true). */
  timestamps: boolean;
  maxQueuedLines: number;
  maxQueuedChars: number;
  /** Longer lines are served in pieces (`partial`), so one endless line cannot grow a buffer (at least 64). */
  maxLineLength: number;
  /** What the reader is told when the upstream breaks off (it ended without finishing). */
  brokenOff(cause: unknown): Error;
  /** Called once, when the upstream is released: ended, broken off, or closed by the reader. */
  onRelease?(): void;
}

export class LogLines implements AsyncIterableIterator<PodLogLine> {
  private queue: PodLogLine[] = [];
  private head = 0;
  private queuedChars = 0;
  private pending = "";
  /** The timestamp of a line being served in pieces (its later pieces carry no prefix). */
  private continuing: Date | null | undefined;
  private paused = false;
  private upstreamDone = false;
  private released = false;
  private readerDone = false;
  private failure: Error | undefined;
  private waiting: { resolve(r: IteratorResult<PodLogLine>): void; reject(e: Error): void } | undefined;
  private readonly maxLineLength: number;

  constructor(
    private readonly body: Readable,
    private readonly closeUpstream: () => void,
    private readonly options: LogLinesOptions,
  ) {
    // Room for the timestamp prefix in a first piece.
    this.maxLineLength = Math.max(MIN_LINE_LENGTH, options.maxLineLength);
    body.setEncoding("utf8");
    body.on("data", (chunk: string) => this.take(chunk));
    body.on("end", () => this.finish(undefined));
    body.on("error", (error) => this.finish(error));
    body.on("close", () => this.finish(new Error("the stream closed before its end")));
  }

  /** Lines waiting for the reader. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** The upstream is held back because the reader is behind. */
  get isPaused(): boolean {
    return this.paused;
  }

  next(): Promise<IteratorResult<PodLogLine>> {
    if (this.readerDone) return Promise.resolve({ value: undefined, done: true });
    const line = this.shift();
    if (line !== undefined) return Promise.resolve({ value: line, done: false });
    if (this.failure) {
      const error = this.failure;
      this.readerDone = true;
      return Promise.reject(error);
    }
    if (this.upstreamDone) {
      this.readerDone = true;
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The reader stopped (the subscription was closed): the upstream request is ended now. */
  return(): Promise<IteratorResult<PodLogLine>> {
    this.readerDone = true;
    this.queue = [];
    this.head = 0;
    this.queuedChars = 0;
    this.release(true);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<PodLogLine>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PodLogLine> {
    return this;
  }

  private take(chunk: string): void {
    if (this.readerDone) return;
    const text = this.pending + chunk;
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      let line = text.slice(start, newline);
      while (line.length > this.maxLineLength) line = this.piece(line);
      this.complete(line);
      start = newline + 1;
    }
    let rest = text.slice(start);
    while (rest.length > this.maxLineLength) rest = this.piece(rest);
    this.pending = rest;
    if (!this.paused && this.full()) {
      this.paused = true;
      this.body.pause();
    }
  }

  /** A line that ended with its newline (or with the stream). */
  private complete(raw: string): void {
    if (this.continuing !== undefined) {
      this.enqueue({ line: raw, timestamp: this.continuing, partial: false });
      this.continuing = undefined;
      return;
    }
    this.enqueue({ ...this.parse(raw), partial: false });
  }

  /** Serves the first maxLineLength characters of `text` as a piece of a longer line; returns the rest. */
  private piece(text: string): string {
    // Never cut between the two halves of a surrogate pair.
    const max = this.maxLineLength;
    const cut = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
    const raw = text.slice(0, cut);
    if (this.continuing !== undefined) {
      this.enqueue({ line: raw, timestamp: this.continuing, partial: true });
    } else {
      const parsed = this.parse(raw);
      this.continuing = parsed.timestamp;
      this.enqueue({ ...parsed, partial: true });
    }
    return text.slice(cut);
  }

  private parse(raw: string): { line: string; timestamp: Date | null } {
    if (!this.options.timestamps) return { line: raw, timestamp: null };
    const space = raw.indexOf(" ");
    const timestamp = space === -1 ? null : parseTimestamp(raw.slice(0, space));
    return timestamp ? { line: raw.slice(space + 1), timestamp } : { line: raw, timestamp: null };
  }

  private enqueue(parts: Omit<PodLogLine, "container">): void {
    const line: PodLogLine = { ...parts, container: this.options.container };
    const waiting = this.waiting;
    if (waiting && this.queued === 0) {
      this.waiting = undefined;
      waiting.resolve({ value: line, done: false });
      return;
    }
    this.queue.push(line);
    this.queuedChars += line.line.length;
  }

  private shift(): PodLogLine | undefined {
    if (this.head >= this.queue.length) return undefined;
    const line = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as PodLogLine;
    this.queuedChars -= line.line.length;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    if (
      this.paused &&
      this.queued <= this.options.maxQueuedLines / 2 &&
      this.queuedChars <= this.options.maxQueuedChars / 2
    ) {
      this.paused = false;
      this.body.resume();
    }
    return line;
  }

  private full(): boolean {
    return this.queued >= this.options.maxQueuedLines || this.queuedChars >= this.options.maxQueuedChars;
  }

  /** The upstream ended: cleanly (`error` undefined) or not. Later events of the body are ignored. */
  private finish(error: unknown): void {
    if (this.upstreamDone) return;
    this.upstreamDone = true;
    if (error === undefined && this.pending !== "") {
      // The last line of a log need not end with a newline.
      this.complete(this.pending);
      this.pending = "";
    }
    // A body that ended cleanly leaves its connection to the keep-alive pool.
    this.release(error !== undefined);
    if (this.readerDone) return;
    if (error !== undefined) this.failure = this.options.brokenOff(error);
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    this.readerDone = true;
    if (this.failure) waiting.reject(this.failure);
    else waiting.resolve({ value: undefined, done: true });
  }

  private release(closeUpstream: boolean): void {
    if (this.released) return;
    this.released = true;
    if (closeUpstream) this.closeUpstream();
    this.options.onRelease?.();
  }
}

const MIN_LINE_LENGTH = 64;

/** "2024-05-01T10:00:00.123456789Z" (the kubelet's RFC 3339 with nanoseconds), to the millisecond. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(text: string): Date | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const millis = (m[2] ?? "").slice(0, 3).padEnd(3, "0");
  const time = Date.parse(`${m[1]}.${millis}${m[3]}`);
  return Number.isNaN(time) ? null : new Date(time);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
