/** Random secrets and the hashes they are stored under: the store never holds a usable token. */
import { createHash, randomBytes } from "node:crypto";

/** `prefix` + 32 random bytes, base64url: 256 bits, beyond guessing. */
export function randomSecret(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** A shorter random id, for names that are shown and logged (session and API-token ids). */
export function randomId(prefix: string): string {
  return prefix + randomBytes(12).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}
