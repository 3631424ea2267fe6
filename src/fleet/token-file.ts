/**
 * A bearer token kept in a file that is replaced while the gateway runs: projected
 * service-account tokens rotate hourly, so the file is re-read at most a minute after the last
 * read (what client-go does). Shared by cluster connections and the metrics backends.
 */
import { readFile } from "node:fs/promises";

export const TOKEN_FILE_REFRESH_MS = 60_000;

export class RotatingTokenFile {
  private token = "";
  private readAt = Number.NEGATIVE_INFINITY;
  // Concurrent requests at expiry share one read instead of each opening the file.
  private reading: Promise<string> | undefined;

  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
    private readonly refreshMs: number = TOKEN_FILE_REFRESH_MS,
  ) {}

  /** The token, trimmed: most token files end with a newline, which is no valid header byte. */
  read(): Promise<string> {
    if (this.now() - this.readAt <= this.refreshMs) return Promise.resolve(this.token);
    this.reading ??= readFile(this.path, "utf8")
      .then((text) => {
        this.token = text.trim();
        this.readAt = this.now();
        return this.token;
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }
}
