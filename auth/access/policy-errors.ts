/**
 * Why the policy service gave no usable decision. Access fails closed on every one of them: the
 * request is answered FORBIDDEN with the error's message as the reason, so an operator reading
 * the response learns that the policy service, not the caller's rights, is what failed.
 */

export type PolicyFailure =
  /** No answer within the deadline. */
  | "timeout"
  /** Connection refused, reset or the name did not resolve. */
  | "unreachable"
  /** OPA answered, but with an error status (400, 401, 500, ...). */
  | "error-status"
  /** OPA answered 200 without a `result`: the policy at that path is not defined for the input. */
  | "undefined"
  /** The `result` does not have the shape the entry point promises. */
  | "malformed";

export class PolicyUnavailableError extends Error {
  override readonly name = "PolicyUnavailableError";
  readonly code = "FORBIDDEN";
  readonly extensions: { code: "FORBIDDEN"; failure: PolicyFailure; policy: string };

  constructor(
    readonly failure: PolicyFailure,
    /** The decision's path under /v1/data, e.g. `fleetgraph/scope`. */
    readonly policy: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.extensions = { code: this.code, failure, policy };
  }
}
