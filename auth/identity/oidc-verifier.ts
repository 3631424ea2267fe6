/**
 * Verifies access and id tokens of the configured OpenID provider (jose): keys from the
 * provider's JWKS, cached and refetched on an unknown key id; issuer, audience, lifetime and an
 * allow-list of asymmetric algorithms checked on every token. User and groups come from
 * configurable claims, prefixed as kube-apiserver's --oidc-username-prefix/--oidc-groups-prefix.
 */
import { ASYMMETRIC_ALGORITHMS } from "./algorithms.js";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import type { Subject } from "../subject.js";
import { AuthenticationError } from "./contracts.js";

export { ASYMMETRIC_ALGORITHMS };

export interface OidcVerifierOptions {
  /** The provider's issuer URL, exactly as its tokens' `iss`. */
  issuer: string;
  /** The gateway's client id at the provider: the default audience. */
  clientId: string;
  /** Accepted audiences; default [clientId]. */
  audiences?: readonly string[];
  /** Skips discovery when given; otherwise read from {issuer}/.well-known/openid-configuration. */
  jwksUri?: string;
  /** Default ASYMMETRIC_ALGORITHMS; HS* and "none" are refused even when listed. */
  algorithms?: readonly string[];
  /** Leeway for exp and nbf, in seconds; default 30. */
  clockToleranceSeconds?: number;
  /** Default "preferred_username"; `sub` (then `client_id`) when the token lacks it. */
  userClaim?: string;
  /** Default "groups". */
  groupsClaim?: string;
  userPrefix?: string;
  groupsPrefix?: string;
  /** Least time between two JWKS fetches for unknown key ids; default 30 s. */
  jwksCooldownMs?: number;
  /** Deadline of a discovery or JWKS request; default 5 s. */
  requestTimeoutMs?: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export class OidcVerifier {
  private readonly algorithms: string[];
  private readonly audiences: string[];
  private keySet: Promise<KeySet> | undefined;

  constructor(private readonly options: OidcVerifierOptions) {
    this.algorithms = allowedAlgorithms(options.algorithms ?? ASYMMETRIC_ALGORITHMS);
    this.audiences = [...(options.audiences ?? [options.clientId])];
  }

  get issuer(): string {
    return this.options.issuer;
  }

  async verify(token: string): Promise<Subject> {
    const keySet = await this.keys();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: this.options.issuer,
        audience: this.audiences,
        algorithms: this.algorithms,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      throw authenticationErrorOf(error);
    }
    return this.subjectOf(payload);
  }

  private subjectOf(payload: JWTPayload): Subject {
    const user =
      stringClaim(payload, this.options.userClaim ?? "preferred_username") ??
      payload.sub ??
      stringClaim(payload, "client_id");
    if (!user)
      throw new AuthenticationError("malformed", "the token names no user (no user claim, sub or client_id)");
    const groups = groupsClaim(payload, this.options.groupsClaim ?? "groups");
    return {
      user: (this.options.userPrefix ?? "") + user,
      groups: groups.map((group) => (this.options.groupsPrefix ?? "") + group),
      source: "oidc",
      ...(payload.jti ? { tokenId: payload.jti } : {}),
      ...(payload.exp ? { expiresAt: payload.exp } : {}),
    };
  }

  /** The key set, discovering its URL once; a failed discovery is retried by the next token. */
  private keys(): Promise<KeySet> {
    this.keySet ??= this.jwksUri().then((uri) =>
      createRemoteJWKSet(new URL(uri), {
        cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
        timeoutDuration: this.options.requestTimeoutMs ?? 5_000,
      }),
    );
    this.keySet.catch(() => (this.keySet = undefined));
    return this.keySet;
  }

  private async jwksUri(): Promise<string> {
    if (this.options.jwksUri) return this.options.jwksUri;
    const url = `${this.options.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const unavailable = () =>
      new AuthenticationError(
        "provider-unavailable",
        "the identity provider cannot be reached; try again later",
      );
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 5_000),
      });
      if (!response.ok) throw unavailable();
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw error instanceof AuthenticationError ? error : unavailable();
    }
    // A discovery document for another issuer would let its keys vouch for ours (OIDC Discovery 4.3).
    if (document.issuer !== this.options.issuer || typeof document.jwks_uri !== "string") throw unavailable();
    return document.jwks_uri;
  }
}

function allowedAlgorithms(listed: readonly string[]): string[] {
  const allowed = listed.filter((alg) => alg !== "none" && !alg.startsWith("HS"));
  if (allowed.length === 0) throw new RangeError("OIDC verifier: no asymmetric algorithm allowed");
  return allowed;
}

function stringClaim(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function groupsClaim(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === "string") : [];
}

/** jose's failures as the contract's reasons; messages say what to do, never which key or why in detail. */
export function authenticationErrorOf(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  if (error instanceof errors.JWTExpired) return new AuthenticationError("expired", "the token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailure(error.claim, error.reason);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new AuthenticationError("algorithm-not-allowed", "the token's signing algorithm is not accepted");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new AuthenticationError("bad-signature", "the token's signature does not verify");
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new AuthenticationError(
      "unknown-key",
      "the token is signed with a key the provider does not publish",
    );
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return new AuthenticationError("malformed", "the token is not a well-formed JWT");
  return new AuthenticationError(
    "provider-unavailable",
    "the identity provider's keys cannot be fetched; try again later",
  );
}

function claimFailure(claim: string, reason: string): AuthenticationError {
  if (claim === "nbf") return new AuthenticationError("not-yet-valid", "the token is not valid yet");
  if (claim === "iss") return new AuthenticationError("wrong-issuer", "the token is from another issuer");
  if (claim === "aud")
    return new AuthenticationError("wrong-audience", "the token is meant for another audience");
  if (claim === "exp" && reason !== "missing")
    return new AuthenticationError("expired", "the token has expired");
  return new AuthenticationError("malformed", `the token's ${claim} claim is missing or invalid`);
}
