/**
 * The notification channels, persisted in the shared store as one document (channels are few;
 * one document keeps every replica's view whole), changed by compare-and-set as role bindings
 * are (auth/access/persisted-role-bindings.ts). Read from the store each time: a push or a
 * mutation reads it once, and every replica sees a change at once.
 */
import type { SharedStore } from "../store/shared-store.js";
import type { StoredChannel } from "./channel.js";

const DOCUMENT = "notifications:channels";
const MAX_ATTEMPTS = 20;

export class ChannelConflictError extends Error {
  constructor() {
    super("notification channels are being changed concurrently by other replicas; retry");
    this.name = "ChannelConflictError";
  }
}

export class ChannelStore {
  constructor(private readonly store: SharedStore) {}

  async all(): Promise<readonly StoredChannel[]> {
    return parse(await this.store.get(DOCUMENT));
  }

  async get(id: string): Promise<StoredChannel | undefined> {
    return (await this.all()).find((c) => c.id === id);
  }

  /**
   * Applies `change` to the list until its write wins; `change` answers the next list (undefined:
   * nothing to write) and what to return.
   */
  async edit<T>(
    change: (list: readonly StoredChannel[]) => { next?: readonly StoredChannel[]; result: T },
  ): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const text = await this.store.get(DOCUMENT);
      const { next, result } = change(parse(text));
      if (next === undefined) return result;
      if (await this.store.compareAndSet(DOCUMENT, text, JSON.stringify(next))) return result;
    }
    throw new ChannelConflictError();
  }
}

function parse(text: string | undefined): readonly StoredChannel[] {
  if (text === undefined) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as StoredChannel[]) : [];
}
