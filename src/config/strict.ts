import * as z from "zod";

/** A strict object whose unknown-key error lists the keys that are allowed there. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown field (expected one of: ${known})` : undefined,
  });
}
