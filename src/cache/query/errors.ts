/**
 * A query argument the caller got wrong (a bad selector, cursor or page size). Resolvers surface
 * it as a GraphQL error with `extensions.code = BAD_USER_INPUT` and the offending argument (graphql-js
 * copies `extensions` from the error a resolver throws).
 */
export class QueryInputError extends Error {
  override readonly name = "QueryInputError";
  readonly code = "BAD_USER_INPUT";

  constructor(
    /** The argument at fault, e.g. "labelSelector", "after", "first". */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }

  /** Read by graphql-js when it wraps the error thrown by a resolver: no mapping layer needed. */
  get extensions(): { code: "BAD_USER_INPUT"; argument: string } {
    return { code: this.code, argument: this.field };
  }
}
