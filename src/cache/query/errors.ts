/**
 * A query argument the caller got wrong (a bad selector, cursor or page size). Resolvers surface
 * it as a GraphQL error with `extensions.code = BAD_USER_INPUT` and the offending argument.
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
}
