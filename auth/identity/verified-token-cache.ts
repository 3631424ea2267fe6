/**
 * Verified tokens by their sha256, until they expire: verification (signatures, a store read)
 * is paid once per token, not per request. Bounded; the least recently used goes first.
 */
import type { Subject } from "../subject.js";
import type { Revocation } from "./revocations.js";

interface Cached {
  subject: Subject;
  /** Epoch milliseconds. */
  until: number;
}

const SOURCE_OF: Record<Revocation["kind"], Subject["source"]> = {
  session: "session",
  "api-token": "api-token",
};

export class VerifiedTokenCache {
  /** A Map iterates in insertion order: re-inserting on use keeps the least recent first. */
  private readonly entries = new Map<string, Cached>();
  private lastUsed: string | undefined;

  constructor(
    private readonly maxEntries: number,
    /** Caps how long a token without expiry (API tokens) is trusted without a store read. */
    private readonly maxAgeMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(tokenHash: string): Subject | undefined {
    const cached = this.entries.get(tokenHash);
    if (!cached) return undefined;
    if (cached.until <= Date.now()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    // A client repeating its token (the usual case) is already the most recent: no reordering.
    if (tokenHash !== this.lastUsed) {
      this.entries.delete(tokenHash);
      this.entries.set(tokenHash, cached);
      this.lastUsed = tokenHash;
    }
    return cached.subject;
  }

  put(tokenHash: string, subject: Subject): void {
    const expiry = subject.expiresAt === undefined ? Infinity : subject.expiresAt * 1000;
    const until = Math.min(expiry, Date.now() + this.maxAgeMs);
    if (until <= Date.now()) return;
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { subject, until });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Forgets every verdict. */
  clear(): void {
    this.entries.clear();
    this.lastUsed = undefined;
  }

  /** Drops every token of the revoked session or API token. Revocations are rare: a scan is fine. */
  drop(revocation: Revocation): void {
    for (const [hash, cached] of this.entries)
      if (cached.subject.tokenId === revocation.id && cached.subject.source === SOURCE_OF[revocation.kind])
        this.entries.delete(hash);
  }
}
