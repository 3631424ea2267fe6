/** The request-level fault switches, applied before authentication as a failing server would. */
import { setTimeout as sleep } from "node:timers/promises";
import { type StatusError, statusErrors } from "../errors.js";
import type { FaultState } from "../faults/fault-state.js";

/** Waits out the injected latency, then returns the injected failure for this request, if any. */
export async function injectedFailure(faults: FaultState): Promise<StatusError | undefined> {
  const { latencyMs, errorCode, retryAfterSeconds } = faults.settings;
  if (latencyMs > 0) await sleep(latencyMs);
  if (!faults.shouldFail()) return undefined;
  switch (errorCode) {
    case 429:
      return statusErrors.tooManyRequests(retryAfterSeconds);
    case 503:
      return statusErrors.serviceUnavailable("the server is currently unable to handle the request");
    default:
      return statusErrors.internal("injected fault: the server failed to handle the request");
  }
}
