/**
 * The Authenticator: a bearer token to a Subject. The token's form picks its verifier (API
 * tokens and refresh tokens by prefix, the gateway's JWTs by their issuer, anything else the
 * OpenID provider's); each verifier has its own fixed algorithms, so a forged header or claim
 * can choose a verifier but never weaken one. Verified tokens are cached until they expire and
 * dropped when any replica publishes their revocation.
 */
import { StoreUnavailableError, type SharedStore, type Unsubscribe } from "../../src/store/shared-store.js";
import type { Subject } from "../subject.js";
import type { ApiTokens } from "./api-tokens.js";
import { API_TOKEN_PREFIX } from "./api-tokens.js";
import { AuthenticationError, type Authenticator } from "./contracts.js";
import type { OidcVerifier } from "./oidc-verifier.js";
import { subscribeToRevocations } from "./revocations.js";
import { sha256 } from "./secrets.js";
import { REFRESH_TOKEN_PREFIX, type GatewaySessions } from "./session-tokens.js";
import { VerifiedTokenCache } from "./verified-token-cache.js";

export interface TokenAuthenticatorOptions {
  /** Where revocations are heard: the store the sessions and API tokens live in. */
  store: SharedStore;
  sessions: GatewaySessions;
  apiTokens: ApiTokens;
  /** Undefined: no OpenID provider; only the gateway's own tokens are accepted. */
  oidc?: OidcVerifier;
  /** Default 10 000 tokens. */
  cacheSize?: number;
  /** Longest a verified token is served from the cache, in ms; default 5 minutes. */
  cacheMaxAgeMs?: number;
}

const RECENT_HASHES = 256;

export class TokenAuthenticator implements Authenticator {
  private readonly cache: VerifiedTokenCache;
  /** Token -> its hash, for the tokens seen last (in memory only, like the requests carrying them). */
  private readonly recentHashes = new Map<string, string>();
  private unsubscribe: Unsubscribe | undefined;
  /** The store's subscription epoch the cache was filled under. */
  private epoch: number | undefined;

  private constructor(private readonly options: TokenAuthenticatorOptions) {
    this.cache = new VerifiedTokenCache(options.cacheSize ?? 10_000, options.cacheMaxAgeMs ?? 300_000);
  }

  /** Resolves once subscribed to revocations, so none published afterwards is missed. */
  static async start(options: TokenAuthenticatorOptions): Promise<TokenAuthenticator> {
    const authenticator = new TokenAuthenticator(options);
    authenticator.unsubscribe = await subscribeToRevocations(options.store, (revocation) =>
      authenticator.cache.drop(revocation),
    );
    authenticator.epoch = options.store.subscriptionEpoch;
    return authenticator;
  }

  /** Tokens currently cached (for metrics and tests). */
  get cachedTokens(): number {
    return this.cache.size;
  }

  /** The Subject of a token verified before and still cached; undefined otherwise. No I/O. */
  cached(bearerToken: string | undefined): Subject | undefined {
    const token = bearerToken?.trim();
    return token && this.cacheTrusted() ? this.cache.get(this.hashOf(token)) : undefined;
  }

  /**
   * Revocations fail closed: while the revocation channel may miss messages (the shared store
   * is unreachable), no cached verdict is trusted, so every token is checked against the store
   * again (and refused when it cannot be). When the channel is back, what was cached before it
   * was lost is dropped: a revocation may have been published in between.
   */
  private cacheTrusted(): boolean {
    const epoch = this.options.store.subscriptionEpoch;
    if (epoch === this.epoch) return epoch !== undefined;
    this.cache.clear();
    this.epoch = epoch;
    return epoch !== undefined;
  }

  /**
   * The token's sha256, remembered for the last few tokens seen: a client sends the same token
   * with every request, and hashing it was 1.5 % of the gateway's CPU under load (measured).
   * Only the hash keys the verified cache, so a revocation still takes effect at once.
   */
  private hashOf(token: string): string {
    let hash = this.recentHashes.get(token);
    if (hash === undefined) {
      hash = sha256(token);
      if (this.recentHashes.size >= RECENT_HASHES) this.recentHashes.clear();
      this.recentHashes.set(token, hash);
    }
    return hash;
  }

  async authenticate(bearerToken: string | undefined): Promise<Subject> {
    const token = bearerToken?.trim();
    if (!token)
      throw new AuthenticationError("missing", "no bearer token: send Authorization: Bearer <token>");
    const hash = this.hashOf(token);
    const trusted = this.cacheTrusted();
    const cached = trusted ? this.cache.get(hash) : undefined;
    if (cached) return cached;
    const subject = await this.verify(token).catch(asAuthenticationError);
    if (trusted) this.cache.put(hash, subject);
    return subject;
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private async verify(token: string): Promise<Subject> {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.options.apiTokens.authenticate(token);
    if (token.startsWith(REFRESH_TOKEN_PREFIX))
      throw new AuthenticationError("wrong-token-type", "a refresh token cannot be used as an access token");
    const issuer = unverifiedIssuer(token);
    if (issuer === this.options.sessions.issuer) return this.options.sessions.verifyAccessToken(token);
    if (!this.options.oidc)
      throw new AuthenticationError("wrong-issuer", "the token is not from this gateway");
    return this.options.oidc.verify(token);
  }
}

/**
 * The store failing (Redis down) is no verdict on the token: the caller is told to retry, and
 * the cause stays on the error for the logs.
 */
function asAuthenticationError(error: unknown): never {
  if (error instanceof AuthenticationError) throw error;
  const unavailable = new AuthenticationError(
    "provider-unavailable",
    error instanceof StoreUnavailableError
      ? "the session store cannot be reached, so whether this token was revoked cannot be checked; try again later"
      : "authentication is unavailable right now; try again later",
  );
  throw Object.assign(unavailable, { cause: error });
}

/** The `iss` claim before any verification: only to pick the verifier that then checks it. */
function unverifiedIssuer(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 3)
    throw new AuthenticationError("malformed", "the token is neither a JWT nor an API token");
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { iss?: unknown };
    return typeof payload.iss === "string" ? payload.iss : undefined;
  } catch {
    throw new AuthenticationError("malformed", "the token is not a well-formed JWT");
  }
}
