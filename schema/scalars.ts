/**
 * The custom scalars: RFC 3339 date-times and free-form JSON (labels, selectors), from
 * graphql-scalars so that parsing and serialisation follow its well-tested rules.
 */
export { DateTimeResolver as DateTime, JSONResolver as JSON } from "graphql-scalars";
