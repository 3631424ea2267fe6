/**
 * Channel targets (webhook and Slack URLs, whose path is the secret; SMTP passwords) sealed at
 * rest in the shared store: AES-256-GCM with a fresh 12-byte IV per seal and the channel id as
 * additional authenticated data, so a sealed target moved to another channel does not open.
 * Stored as `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url); keyId tells which key sealed it,
 * so a target sealed with an older key (previousSecretsKeys) is opened with that one.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { ChannelTarget } from "./channel.js";

const VERSION = "v1";
const IV_BYTES = 12;
const KEY_BYTES = 32;
const KEY_ID_BYTES = 6;
const TAG_BYTES = 16;

/** The option a message about keys names, so an operator knows what to set. */
const KEY_OPTION = "notifications.secretsKey (or secretsKeyFile, or FLEETGRAPH_NOTIFICATIONS_KEY)";

/** A sealed target this gateway cannot open: that channel cannot deliver; others are unaffected. */
export class ChannelSealError extends Error {
  readonly code = "CHANNEL_TARGET_SEALED";
  constructor(message: string) {
    super(message);
    this.name = "ChannelSealError";
  }
}

export interface SealKeys {
  /** Seals every target written; absent: targets are written in plain text (as before). */
  current?: Buffer;
  /** Only open targets sealed before a rotation. */
  previous: readonly Buffer[];
}

export const keyIdOf = (key: Buffer): string =>
  createHash("sha256").update(key).digest().subarray(0, KEY_ID_BYTES).toString("base64url");

export class ChannelSeal {
  private readonly byId = new Map<string, Buffer>();

  constructor(private readonly keys: SealKeys) {
    for (const key of [...keys.previous, ...(keys.current ? [keys.current] : [])]) {
      if (key.length !== KEY_BYTES) throw new RangeError(`a channel secrets key is ${KEY_BYTES} bytes`);
      this.byId.set(keyIdOf(key), key);
    }
  }

  /** Whether targets are sealed when written. */
  get sealing(): boolean {
    return this.keys.current !== undefined;
  }

  seal(channelId: string, target: ChannelTarget): string {
    const key = this.keys.current;
    if (!key) throw new ChannelSealError(`no key to seal channel targets with: set ${KEY_OPTION}`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(channelId, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(target), "utf8"), cipher.final()]);
    return [VERSION, keyIdOf(key), iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  /** The target sealed for `channelId`; ChannelSealError when it cannot be opened here. */
  unseal(channelId: string, sealed: string): ChannelTarget {
    const parts = sealed.split(".");
    if (parts.length !== 5 || parts[0] !== VERSION)
      throw new ChannelSealError(
        `the target of channel ${channelId} is not a sealed target this gateway reads`,
      );
    const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
    const key = this.byId.get(keyId);
    if (!key)
      throw new ChannelSealError(
        this.byId.size === 0
          ? `the target of channel ${channelId} is sealed and this gateway has no key: set ${KEY_OPTION}`
          : `the target of channel ${channelId} is sealed with key ${keyId}, which is neither ` +
              `notifications.secretsKey nor one of notifications.previousSecretsKeys`,
      );
    try {
      // A full-length tag only: GCM would accept a truncated one, which is easier to forge.
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(channelId, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const text = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
      return JSON.parse(text) as ChannelTarget;
    } catch {
      // GCM says only that it does not authenticate: altered, or sealed for another channel.
      throw new ChannelSealError(
        `the target of channel ${channelId} does not open with key ${keyId}: it was altered or ` +
          `belongs to another channel; give the channel its url or email settings anew`,
      );
    }
  }
}
