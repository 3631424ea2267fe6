/**
 * The documents OPA's two entry points must answer, checked strictly: a policy that returns a
 * misspelt key or a namespace list where "*" was meant would otherwise widen or narrow access
 * silently. Anything else is a PolicyUnavailableError("malformed"), and access denies.
 */
import * as z from "zod";
import type { CachedKind } from "../../src/cache/entry.js";
import type { ScopeGrant } from "../../src/cache/scope.js";
import { formatFieldPath } from "../../src/config/errors.js";
import type { PolicyDecision } from "./policy-source.js";
import { PolicyUnavailableError } from "./policy-errors.js";

/**
 * A grant as OPA states it. `kinds` (the namespaced kinds readable in those namespaces) is on its
 * way into ScopeGrant on the access branch; until the merge it rides along in this intersection.
 */
export type PolicyGrant = ScopeGrant & { kinds?: "*" | readonly CachedKind[] };

const names = z.array(z.string().min(1));
const everyOrSome = z.union([z.literal("*"), names]);

const grant = z.strictObject({
  cluster: z.string().min(1),
  namespaces: everyOrSome,
  kinds: everyOrSome.optional(),
  clusterKinds: everyOrSome.optional(),
});

// The alternatives are told apart by their keys before parsing, not by z.union: a union's error
// says only "invalid input", and the message has to point at the field the policy got wrong.
const everything = z.strictObject({ everything: z.literal(true) });
const granted = z.strictObject({ grants: z.array(grant) });
const verdict = z.strictObject({ allowed: z.boolean(), reason: z.string().min(1).optional() });

/** The scope entry point's `result`: `{everything: true}` or `{grants: [...]}`. */
export function readScopeAnswer(policy: string, result: unknown): readonly PolicyGrant[] | "everything" {
  if (isObject(result) && "everything" in result) {
    checked(policy, everything, result);
    return "everything";
  }
  return checked(policy, granted, result).grants.map(withoutAbsentKeys);
}

/** The allow entry point's `result`: `true`, `false` or `{allowed, reason?}`. */
export function readAllowAnswer(policy: string, result: unknown): PolicyDecision {
  const answer = typeof result === "boolean" ? { allowed: result } : checked(policy, verdict, result);
  if (answer.allowed) return { allowed: true };
  return { allowed: false, reason: answer.reason ?? `denied by policy ${policy}` };
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checked<T>(policy: string, schema: z.ZodType<T>, result: unknown): T {
  if (result === undefined) {
    throw new PolicyUnavailableError(
      "undefined",
      policy,
      `policy service has no decision: ${policy} is undefined for this input (is the policy loaded?)`,
    );
  }
  const parsed = schema.safeParse(result);
  if (parsed.success) return parsed.data;
  throw new PolicyUnavailableError(
    "malformed",
    policy,
    `policy service answered a malformed decision at ${policy}: ${describe(parsed.error)}`,
  );
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "unexpected shape";
  const field = formatFieldPath(first.path);
  return field === "" ? first.message : `${field}: ${first.message}`;
}

/** Scope.of treats a present-but-undefined key like an absent one, but tests and logs compare. */
function withoutAbsentKeys(g: z.infer<typeof grant>): PolicyGrant {
  const out: PolicyGrant = { cluster: g.cluster, namespaces: g.namespaces };
  if (g.kinds !== undefined) out.kinds = g.kinds;
  if (g.clusterKinds !== undefined) out.clusterKinds = g.clusterKinds;
  return out;
}
