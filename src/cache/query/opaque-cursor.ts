/**
 * The envelope every cursor of this API shares: base64url of a JSON body. What is inside is each
 * list's business (keyset tuples, merged continue tokens, resource pages); refusing what is not
 * a cursor we handed out, and bounding the work of decoding it, is done here once.
 */
import { QueryInputError } from "./errors.js";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeOpaqueCursor(body: unknown): string {
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

/** The JSON body of a cursor; throws QueryInputError naming `argument` when `text` is not one. */
export function decodeOpaqueCursor(argument: string, text: string, maxLength: number): unknown {
  if (text.length > 0 && text.length <= maxLength && BASE64URL.test(text)) {
    try {
      return JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    } catch {
      // falls through to the error below
    }
  }
  throw new QueryInputError(argument, `invalid cursor in "${argument}": not a cursor returned by this API`);
}
