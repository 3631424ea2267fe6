/** When a failed list settles a cluster's initial sync: at once, after attempts, or after a time. */
import { describe, expect, it } from "vitest";
import {
  settlesSync,
  THROTTLED_SYNC_FAILS_AFTER_MS,
  type SyncFailure,
} from "../../src/cache/sync-failure.js";

const failure = (reason: SyncFailure["reason"], attempts: number, since = 0): SyncFailure => ({
  reason,
  message: "m",
  attempts,
  since,
});

describe("settlesSync", () => {
  it("settles a refusal or a TLS failure at once", () => {
    for (const reason of ["forbidden", "not-served", "tls"] as const)
      expect(settlesSync(failure(reason, 1), 3, 0)).toBe(true);
  });

  it("settles an unreachable or slow server after the configured attempts in a row", () => {
    expect(settlesSync(failure("unreachable", 2), 3, 0)).toBe(false);
    expect(settlesSync(failure("timeout", 3), 3, 0)).toBe(true);
  });

  it("keeps a throttling server syncing however many attempts, until it has throttled for five minutes", () => {
    const since = 1_000_000;
    expect(settlesSync(failure("throttled", 50, since), 3, since + THROTTLED_SYNC_FAILS_AFTER_MS - 1)).toBe(
      false,
    );
    expect(settlesSync(failure("throttled", 50, since), 3, since + THROTTLED_SYNC_FAILS_AFTER_MS)).toBe(true);
  });
});
