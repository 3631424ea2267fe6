/**
 * The bearer token a backend of the Prometheus kind is asked with: the configured `token`, or the
 * `tokenFile` re-read as it rotates (RotatingTokenFile). A file that cannot be read is the
 * client's typed error, made by the client from the reason given here.
 */
import type { ClusterAuth } from "../config/index.js";
import { RotatingTokenFile } from "../fleet/token-file.js";

export class BearerAuth {
  private readonly tokenFile: RotatingTokenFile | undefined;

  constructor(
    private readonly auth: ClusterAuth,
    now: () => number,
  ) {
    this.tokenFile = auth.tokenFile === undefined ? undefined : new RotatingTokenFile(auth.tokenFile, now);
  }

  /** The Authorization header to send (none without a token); `unreadable(why)` is thrown when the file fails. */
  async headers(unreadable: (why: string) => Error): Promise<Record<string, string>> {
    if (this.auth.token !== undefined) return { Authorization: `Bearer ${this.auth.token}` };
    if (this.tokenFile === undefined) return {};
    try {
      return { Authorization: `Bearer ${await this.tokenFile.read()}` };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw unreadable(`cannot read the token file ${this.tokenFile.path} (${code})`);
    }
  }
}
