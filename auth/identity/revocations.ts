/**
 * Revocations travel on one channel of the shared store, so every replica drops a revoked
 * session or API token from its caches at once instead of trusting it until it expires.
 */
import type { SharedStore, Unsubscribe } from "../../src/store/shared-store.js";

export const REVOCATION_CHANNEL = "identity:revocations";

export interface Revocation {
  kind: "session" | "api-token";
  /** The session id or API-token id: a Subject's tokenId. */
  id: string;
}

export async function publishRevocation(store: SharedStore, revocation: Revocation): Promise<void> {
  await store.publish(REVOCATION_CHANNEL, JSON.stringify(revocation));
}

/** Calls `onRevoked` for every well-formed revocation; other messages are not ours to act on. */
export function subscribeToRevocations(
  store: SharedStore,
  onRevoked: (revocation: Revocation) => void,
): Promise<Unsubscribe> {
  return store.subscribe(REVOCATION_CHANNEL, (message) => {
    const revocation = parseRevocation(message);
    if (revocation) onRevoked(revocation);
  });
}

function parseRevocation(message: string): Revocation | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<Revocation>;
    if ((parsed.kind === "session" || parsed.kind === "api-token") && typeof parsed.id === "string")
      return { kind: parsed.kind, id: parsed.id };
  } catch {
    // Not JSON: not a revocation.
  }
  return undefined;
}
