/** How long a failed delivery waits before its next attempt: doubling from the first wait, capped. */
export interface BackoffPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * The wait after the `attempts`-th failed attempt (1 = the first): the doubled wait, of which
 * the second half is random so replicas retrying one receiver do not retry in step.
 */
export function backoffAfter(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const doubled = policy.initialBackoffMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30);
  const capped = Math.min(doubled, policy.maxBackoffMs);
  return Math.round(capped / 2 + (random() * capped) / 2);
}
