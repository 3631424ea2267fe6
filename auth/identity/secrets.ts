/** Random secrets and the hashes they are stored under: the store never holds a usable token. */
import { hash, randomBytes } from "node:crypto";

/** `prefix` + 32 random bytes, base64url: 256 bits, beyond guessing. */
export function randomSecret(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** A shorter random id, for names that are shown and logged (session and API-token ids). */
export function randomId(prefix: string): string {
  return prefix + randomBytes(12).toString("base64url");
}

/** One-shot: crypto.hash allocates no Hash object, and this runs on every request's token. */
export function sha256(text: string): string {
  return hash("sha256", text, "base64url");
}
