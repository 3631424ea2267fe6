/** The subscription settings in force: the config file's, over these defaults. */
import type { SubscriptionSettings } from "../config/index.js";

export interface ResolvedSubscriptionSettings {
  historyPerCluster: number;
  maxQueuedEvents: number;
  allowedOrigins: readonly string[];
}

export const DEFAULT_SUBSCRIPTION_SETTINGS: Readonly<ResolvedSubscriptionSettings> = Object.freeze({
  // About 100 B per change plus the previous object's entry it keeps alive: 50 clusters hold at
  // most 50,000 changes.
  historyPerCluster: 1000,
  maxQueuedEvents: 1000,
  allowedOrigins: [],
});

export function resolveSubscriptionSettings(
  settings: SubscriptionSettings | undefined,
): ResolvedSubscriptionSettings {
  return { ...DEFAULT_SUBSCRIPTION_SETTINGS, ...settings };
}
