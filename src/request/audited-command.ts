/**
 * A command answered with an Outcome, recorded in the audit trail before it is answered: the
 * tenancy commands (auth/tenancy-commands.ts) and the notification channels' share it.
 */
import type { AuditAction } from "../audit/event.js";
import type { RequestAudit } from "../audit/recorder.js";
import type { Outcome } from "./tenancy.js";

/**
 * Records a command's outcome: done -> success, FORBIDDEN -> denied, anything else -> failure.
 * A command that throws is recorded as a failure. A record that cannot be kept throws (AUDIT_UNAVAILABLE): the caller is not told "done" unaudited.
 */
export async function audited<T>(
  audit: RequestAudit,
  operation: string,
  resourceOf: (value: T | undefined) => Pick<AuditAction, "resource" | "cluster" | "namespace">,
  run: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  let outcome: Outcome<T>;
  try {
    outcome = await run();
  } catch (error) {
    // Failed outright (the store is down): recorded too, then answered as the error it is.
    await audit.record({
      operation,
      outcome: "failure",
      reason: error instanceof Error ? error.message : String(error),
      ...withoutUndefined(resourceOf(undefined)),
    });
    throw error;
  }
  const value = outcome.ok ? outcome.value : undefined;
  const denied = !outcome.ok && outcome.errors.some((e) => e.code === "FORBIDDEN");
  await audit.record({
    operation,
    outcome: outcome.ok ? "success" : denied ? "denied" : "failure",
    ...(!outcome.ok ? { reason: outcome.errors.map((e) => `${e.code}: ${e.message}`).join("; ") } : {}),
    ...withoutUndefined(resourceOf(value)),
  });
  return outcome;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
