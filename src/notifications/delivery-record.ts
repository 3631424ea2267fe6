/**
 * One alert's delivery to one channel, and its stable id: the same (channel, cluster, alert
 * fingerprint, status, startsAt) is the same delivery however often Alertmanager repeats it, on
 * whichever replica — which is what makes it happen once — and receivers get that id as their
 * Idempotency-Key (an e-mail as its Message-ID).
 */
import { createHash } from "node:crypto";
import type { PushedAlert } from "./alert-sink.js";

export type DeliveryState = "pending" | "delivered" | "failed";

export interface DeliveryRecord {
  id: string;
  channelId: string;
  /** The workspace the alert was routed to; null: a fleet channel's cluster-level alert. */
  workspace: string | null;
  alert: PushedAlert;
  state: DeliveryState;
  attempts: number;
  /** Why the last attempt failed: status and host, never a URL's path or a password. */
  lastError?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastAttemptAt?: number;
  nextAttemptAt: number;
  deliveredAt?: number;
  /** Set while a replica attempts it (DeliveryQueue.claim); nextAttemptAt is then the claim's end. */
  claim?: string;
}

export function deliveryId(channelId: string, alert: PushedAlert): string {
  return createHash("sha256")
    .update([channelId, alert.cluster, alert.fingerprint, alert.status, alert.startsAt].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}
