/**
 * A subscriber's Scope as it is now, asked again per change so a narrowed Scope applies
 * mid-stream: taken at once when the answer is at hand (a cached Scope), else when it arrives —
 * the change at hand is judged by the last one known; a failed ask keeps it.
 */
import type { Scope } from "../cache/scope.js";

export function refreshScope(ask: () => Scope | Promise<Scope>, update: (scope: Scope) => void): void {
  const now = ask();
  if (now instanceof Promise) now.then(update, () => undefined);
  else update(now);
}
