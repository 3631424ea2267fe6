/**
 * Typed errors of the read services. They carry `extensions` the way GraphQL errors do, so
 * whichever layer turns them into GraphQL errors keeps the code without knowing each class.
 */

/** `consistency: STRONG` was asked for but this gateway has no path to the API servers wired. */
export class ConsistencyUnavailableError extends Error {
  override readonly name = "ConsistencyUnavailableError";
  readonly code = "CONSISTENCY_UNAVAILABLE";
  readonly extensions = { code: this.code };

  constructor(readonly kind: string) {
    super(
      `consistency STRONG is not available for ${kind} lists on this gateway: no API server reader is configured; use consistency CACHED`,
    );
  }
}
