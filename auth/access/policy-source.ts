/**
 * An extra source of policy beside the built-in roles (OPA, written against this interface):
 * its grants narrow the Scope further, and its single decisions must also allow.
 */
import type { ScopeGrant } from "../../src/cache/scope.js";
import type { Subject } from "../subject.js";

/** One decision's input: who asks to do what, where (the gateway and cluster answers included). */
export interface PolicyInput {
  readonly subject: Subject;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  /** The cached kind's name when the resource is one. */
  readonly kind?: string;
  readonly cluster: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface PolicySource {
  /** What the subject may read by this policy: intersected with the other parts. */
  grants(subject: Subject): Promise<ScopeGrant[] | "everything">;
  allow(input: PolicyInput): Promise<{ allowed: boolean; reason?: string }>;
  /**
   * Changes when the policy's answers may have changed; Scopes are cached until it does.
   * Absent: grants are asked on every scopeFor (the source caches as it sees fit).
   */
  revision?(): string | number;
}
