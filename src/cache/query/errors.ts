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

/**
 * A read the caller's access does not include (a namespace or cluster-scoped kind outside its
 * Scope): FORBIDDEN rather than BAD_USER_INPUT, since the request is well formed. The message
 * names only what the caller asked for, so it reveals nothing of other tenants.
 */
export class QueryAccessError extends Error {
  override readonly name = "QueryAccessError";
  readonly code = "FORBIDDEN";

  constructor(
    /** The argument that reaches outside the caller's access, e.g. "namespace". */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }

  get extensions(): { code: "FORBIDDEN"; argument: string } {
    return { code: this.code, argument: this.field };
  }
}
