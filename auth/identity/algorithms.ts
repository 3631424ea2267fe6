/**
 * The asymmetric algorithms: a public key can verify but never sign. HS* is absent (a public key
 * used as an HMAC secret would let anyone sign), and "none" can never be allowed.
 */
export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;
