/**
 * The notification channels, persisted in the shared store as one document (channels are few;
 * one document keeps every replica's view whole), changed by compare-and-set as role bindings
 * are (auth/access/persisted-role-bindings.ts). Read from the store each time: a push or a
 * mutation reads it once, and every replica sees a change at once.
 *
 * With a key, targets are sealed here and nowhere else (channel-seal.ts): the document holds
 * `sealedTarget` (with the kind and endpoint in plain, for listing) instead of `target`. Plain
 * targets written before a key was set still read, and are sealed when the document is next
 * written; one that cannot be opened reads as an UnreadableTarget and is written back unchanged.
 */
import type { SharedStore } from "../store/shared-store.js";
import { channelEndpoint, isUnreadable, type ChannelKind, type StoredChannel } from "./channel.js";
import { ChannelSeal, ChannelSealError } from "./channel-seal.js";

const DOCUMENT = "notifications:channels";
const MAX_ATTEMPTS = 20;

export class ChannelConflictError extends Error {
  constructor() {
    super("notification channels are being changed concurrently by other replicas; retry");
    this.name = "ChannelConflictError";
  }
}

/** A channel as the document holds it: its target in plain (no key, or from before) or sealed. */
type PersistedChannel = Omit<StoredChannel, "target"> &
  (
    | Pick<StoredChannel, "target">
    | { target?: undefined; kind: ChannelKind; endpoint: string; sealedTarget: string }
  );

const NO_KEYS = new ChannelSeal({ previous: [] });

export class ChannelStore {
  constructor(
    private readonly store: SharedStore,
    private readonly seal: ChannelSeal = NO_KEYS,
  ) {}

  async all(): Promise<readonly StoredChannel[]> {
    return this.parse(await this.store.get(DOCUMENT));
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
      const { next, result } = change(this.parse(text));
      if (next === undefined) return result;
      const persisted = next.map((c) => this.persisted(c));
      if (await this.store.compareAndSet(DOCUMENT, text, JSON.stringify(persisted))) return result;
    }
    throw new ChannelConflictError();
  }

  private parse(text: string | undefined): readonly StoredChannel[] {
    if (text === undefined) return [];
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as PersistedChannel[]).map((c) => this.opened(c)) : [];
  }

  private opened(c: PersistedChannel): StoredChannel {
    if (c.target !== undefined) return c;
    const { kind, endpoint, sealedTarget, ...rest } = c;
    try {
      return { ...rest, target: this.seal.unseal(c.id, sealedTarget) };
    } catch (error) {
      // One channel that cannot be opened is reported on that channel, never thrown at the others.
      if (!(error instanceof ChannelSealError)) throw error;
      return { ...rest, target: { kind, endpoint, sealed: sealedTarget, unreadable: error.message } };
    }
  }

  private persisted(c: StoredChannel): PersistedChannel {
    const { target, ...rest } = c;
    if (isUnreadable(target))
      return { ...rest, kind: target.kind, endpoint: target.endpoint, sealedTarget: target.sealed };
    if (!this.seal.sealing) return c;
    return {
      ...rest,
      kind: target.kind,
      endpoint: channelEndpoint(target),
      sealedTarget: this.seal.seal(c.id, target),
    };
  }
}
