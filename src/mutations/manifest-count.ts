/**
 * How many YAML documents a manifest holds, counted as the `yaml` package's parser delimits them
 * (`---` starts one and `...` ends one: "1\n...\n2\n" is two), which is exactly how many
 * parseAllDocuments would return. Counting stops once past `limit`: the rest of the text is
 * never read, so 1 MiB of tiny documents costs as little as 51 of them. Shared by the query cost
 * (src/limits/cost.ts) and manifestApply's parsing (manifest.ts), so the price and the refusal
 * agree on what a document is.
 */
import { Parser } from "yaml";

/** The manifest's documents, up to `limit + 1` (anything above `limit` reads as `limit + 1`). */
export function countDocuments(text: string, limit: number): number {
  let count = 0;
  // The parser is lazy: each "document" token is yielded as its document ends, and leaving the
  // loop leaves the rest of the text unlexed.
  for (const token of new Parser().parse(text)) {
    if (token.type === "document" && ++count > limit) break;
  }
  return count;
}
