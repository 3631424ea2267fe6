/**
 * An extra source of policy beside the built-in roles (OPA implements it): its grants narrow the
 * Scope further, and its single decisions must also allow. The input document is the contract
 * docs/security.md publishes for policy authors.
 */
import type { ScopeGrant } from "../../src/cache/scope.js";
import type { Subject } from "../subject.js";

/** One decision's input: who asks to do what, where. */
export interface PolicyInput {
  subject: { user: string; groups: readonly string[] };
  /** The API verb: "get", "list", "create", "patch", "delete", ... */
  action: string;
  resource: {
    cluster?: string;
    workspace?: string;
    namespace?: string;
    group?: string;
    kind?: string;
    name?: string;
  };
  request?: Record<string, unknown>;
}

export interface PolicyDecision {
  allowed: boolean;
  reason?: string;
}

export interface PolicySource {
  /** What the subject may read by this policy: intersected with the other parts. */
  grants(subject: Subject): Promise<readonly ScopeGrant[] | "everything">;
  allow(input: PolicyInput): Promise<PolicyDecision>;
  /**
   * Changes when the policy's answers may have changed; Scopes are cached until it does.
   * Absent: grants are asked on every scopeFor (the source caches as it sees fit).
   */
  revision?(): string | number | undefined;
}
