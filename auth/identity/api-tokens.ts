/**
 * API tokens for automation: opaque secrets ("fgt_" + 32 random bytes) shown once, stored only
 * as their sha256 in the shared store. A token acts as its owner (the user and groups at
 * creation), optionally narrowed to a few built-in roles.
 */
import type { SharedStore } from "../../src/store/shared-store.js";
import type { RoleRef, Subject } from "../subject.js";
import { AuthenticationError } from "./contracts.js";
import { publishRevocation } from "./revocations.js";
import { randomId, randomSecret, sha256 } from "./secrets.js";

export const API_TOKEN_PREFIX = "fgt_";

/** What is known about a token, never its secret. */
export interface ApiTokenRecord {
  id: string;
  name: string;
  owner: { user: string; groups: readonly string[] };
  /** Seconds since the epoch. */
  createdAt: number;
  expiresAt?: number;
  roles?: readonly RoleRef[];
}

export interface ApiTokenRequest {
  name: string;
  /** Seconds since the epoch; undefined: until revoked. */
  expiresAt?: number;
  /** Narrower grants than the owner's; undefined: the owner's full access. */
  roles?: readonly RoleRef[];
}

export interface CreatedApiToken {
  /** Shown once: the store keeps only its hash. */
  secret: string;
  token: ApiTokenRecord;
}

export class ApiTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiTokenError";
  }
}

/** The same list edited by two replicas at once: retried until one compare-and-set wins. */
const MAX_INDEX_ATTEMPTS = 20;
const byHashKey = (hash: string) => `api-token:${hash}`;
const hashOfIdKey = (id: string) => `api-token-id:${id}`;
const ownerIndexKey = (user: string) => `api-tokens-of:${user}`;

export class ApiTokens {
  constructor(private readonly store: SharedStore) {}

  async create(owner: Subject, request: ApiTokenRequest): Promise<CreatedApiToken> {
    const now = Math.floor(Date.now() / 1000);
    if (request.expiresAt !== undefined && request.expiresAt <= now)
      throw new ApiTokenError(`API token ${request.name}: expiresAt is in the past`);
    const secret = randomSecret(API_TOKEN_PREFIX);
    const token: ApiTokenRecord = {
      id: randomId("tok_"),
      name: request.name,
      owner: { user: owner.user, groups: [...owner.groups] },
      createdAt: now,
      ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
      ...(request.roles ? { roles: request.roles.map((role) => ({ ...role })) } : {}),
    };
    const ttl = ttlMsOf(token);
    const hash = sha256(secret);
    await this.store.set(byHashKey(hash), JSON.stringify(token), ttl);
    await this.store.set(hashOfIdKey(token.id), hash, ttl);
    await this.editIndex(owner.user, (ids) => [...ids, token.id]);
    return { secret, token };
  }

  /** The owner's live tokens, oldest first; expired and revoked ones are dropped from the index. */
  async list(owner: Subject): Promise<ApiTokenRecord[]> {
    const ids = await this.index(owner.user);
    const records = await Promise.all(ids.map((id) => this.find(id)));
    const live = records.filter((record): record is ApiTokenRecord => record !== undefined);
    if (live.length < ids.length) {
      const liveIds = new Set(live.map((record) => record.id));
      await this.editIndex(owner.user, (current) =>
        current.filter((id) => liveIds.has(id) || !ids.includes(id)),
      );
    }
    return live.sort((a, b) => a.createdAt - b.createdAt);
  }

  async find(id: string): Promise<ApiTokenRecord | undefined> {
    const hash = await this.store.get(hashOfIdKey(id));
    const stored = hash === undefined ? undefined : await this.store.get(byHashKey(hash));
    return stored === undefined ? undefined : (JSON.parse(stored) as ApiTokenRecord);
  }

  /** Deletes the token everywhere; the record it was, or undefined for an unknown id. */
  async revoke(id: string): Promise<ApiTokenRecord | undefined> {
    const hash = await this.store.take(hashOfIdKey(id));
    if (hash === undefined) return undefined;
    const stored = await this.store.take(byHashKey(hash));
    await publishRevocation(this.store, { kind: "api-token", id });
    if (stored === undefined) return undefined;
    const token = JSON.parse(stored) as ApiTokenRecord;
    await this.editIndex(token.owner.user, (ids) => ids.filter((other) => other !== id));
    return token;
  }

  async authenticate(secret: string): Promise<Subject> {
    const stored = await this.store.get(byHashKey(sha256(secret)));
    if (stored === undefined)
      throw new AuthenticationError("unknown-token", "unknown, expired or revoked API token");
    const token = JSON.parse(stored) as ApiTokenRecord;
    return {
      user: token.owner.user,
      groups: token.owner.groups,
      source: "api-token",
      tokenId: token.id,
      ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
      ...(token.roles ? { restrictedTo: token.roles } : {}),
    };
  }

  private async index(user: string): Promise<string[]> {
    const stored = await this.store.get(ownerIndexKey(user));
    return stored === undefined ? [] : (JSON.parse(stored) as string[]);
  }

  private async editIndex(user: string, edit: (ids: readonly string[]) => string[]): Promise<void> {
    const key = ownerIndexKey(user);
    for (let attempt = 0; attempt < MAX_INDEX_ATTEMPTS; attempt++) {
      const stored = await this.store.get(key);
      const ids = stored === undefined ? [] : (JSON.parse(stored) as string[]);
      if (await this.store.compareAndSet(key, stored, JSON.stringify(edit(ids)))) return;
    }
    throw new ApiTokenError(`the API-token list of ${user} kept changing; try again`);
  }
}

function ttlMsOf(token: ApiTokenRecord): number | undefined {
  return token.expiresAt === undefined ? undefined : Math.max(1, token.expiresAt * 1000 - Date.now());
}
