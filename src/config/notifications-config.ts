/**
 * The `notifications` section (docs/notifications.md): the Alertmanager webhook receiver's shared
 * secret and cluster label, how deliveries to the workspaces' channels are retried and kept, and
 * the key that seals the channels' secrets at rest.
 */
import * as z from "zod";
import { readSecretFile, SecretFileProblem } from "./auth-settings.js";
import { strict } from "./strict.js";

const nonEmpty = z.string().min(1);

export const DEFAULT_NOTIFICATION_DELIVERY = Object.freeze({
  maxAttempts: 8,
  initialBackoffMs: 1000,
  maxBackoffMs: 300_000,
  timeoutMs: 10_000,
  pollIntervalMs: 1000,
  retentionHours: 168,
});

export const DEFAULT_WEBHOOK = Object.freeze({ clusterLabel: "cluster", maxBodyBytes: 1024 * 1024 });

const oneSecret = strict({
  bearerToken: nonEmpty.optional(),
  bearerTokenFile: nonEmpty.optional(),
}).refine((w) => (w.bearerToken === undefined) !== (w.bearerTokenFile === undefined), {
  message: "needs exactly one of bearerToken or bearerTokenFile",
});

/** A channel secrets key given as base64; undefined unless it is exactly 32 bytes. */
export function decodeSecretsKey(base64: string): Buffer | undefined {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, "base64");
  return key.length === 32 ? key : undefined;
}

export const SECRETS_KEY_FORMAT = "must be base64 of 32 random bytes (openssl rand -base64 32)";

const secretsKey = nonEmpty.refine((k) => decodeSecretsKey(k) !== undefined, { message: SECRETS_KEY_FORMAT });

export const notificationsSchema = strict({
  webhook: strict({
    bearerToken: nonEmpty.optional(),
    bearerTokenFile: nonEmpty.optional(),
    /** Per cluster: a secret good for /alertmanager/webhook/<that cluster> only. */
    clusters: z.record(nonEmpty, oneSecret).optional(),
    // No default here: absent, the alerts' Alertmanager setting applies (one source for both).
    clusterLabel: nonEmpty.optional(),
    maxBodyBytes: z
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(DEFAULT_WEBHOOK.maxBodyBytes),
  })
    .refine(
      (w) =>
        w.bearerToken === undefined || w.bearerTokenFile === undefined
          ? w.bearerToken !== undefined ||
            w.bearerTokenFile !== undefined ||
            Object.keys(w.clusters ?? {}).length > 0
          : false,
      {
        message:
          "needs exactly one of bearerToken or bearerTokenFile (or only per-cluster secrets in clusters)",
      },
    )
    .optional(),
  /** Seals channel targets (URLs, SMTP passwords) in the shared store; at most one of the two. */
  secretsKey: secretsKey.optional(),
  secretsKeyFile: nonEmpty.optional(),
  /** Earlier keys, only to open targets sealed before a rotation. */
  previousSecretsKeys: z.array(secretsKey).max(10).optional(),
  delivery: strict({
    maxAttempts: z.int().min(1).max(100).default(DEFAULT_NOTIFICATION_DELIVERY.maxAttempts),
    initialBackoffMs: z.int().min(1).max(3_600_000).default(DEFAULT_NOTIFICATION_DELIVERY.initialBackoffMs),
    maxBackoffMs: z.int().min(1).max(86_400_000).default(DEFAULT_NOTIFICATION_DELIVERY.maxBackoffMs),
    timeoutMs: z.int().min(1).max(600_000).default(DEFAULT_NOTIFICATION_DELIVERY.timeoutMs),
    pollIntervalMs: z.int().min(10).max(600_000).default(DEFAULT_NOTIFICATION_DELIVERY.pollIntervalMs),
    retentionHours: z
      .int()
      .min(1)
      .max(24 * 365)
      .default(DEFAULT_NOTIFICATION_DELIVERY.retentionHours),
  }).prefault({}),
}).refine((n) => n.secretsKey === undefined || n.secretsKeyFile === undefined, {
  message: "give secretsKey or secretsKeyFile, not both",
  path: ["secretsKeyFile"],
});

export type NotificationsEntry = z.output<typeof notificationsSchema>;

export interface AlertmanagerWebhookSettings {
  /**
   * The bearer credentials Alertmanager's `http_config.authorization` sends, good for every
   * cluster; absent: only per-cluster secrets are accepted.
   */
  bearerToken?: string;
  /** Per cluster, credentials good only for `/alertmanager/webhook/<cluster>`. */
  clusterBearerTokens?: Readonly<Record<string, string>>;
  /**
   * The alert label naming the cluster when the URL names none, when set here; otherwise
   * `alerts.alertmanager.clusterLabel`, else "cluster" (server/notifications.ts).
   */
  clusterLabel?: string;
  maxBodyBytes: number;
}

export interface NotificationDeliverySettings {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** One attempt's deadline (connect to answer). */
  timeoutMs: number;
  /** How often a replica looks for deliveries that are due. */
  pollIntervalMs: number;
  /** How long delivery records (and so deduplication) are kept. */
  retentionHours: number;
}

export interface NotificationSettings {
  /** Absent: no /alertmanager/webhook route. */
  webhook?: AlertmanagerWebhookSettings;
  delivery: NotificationDeliverySettings;
  /** Base64 of 32 bytes (from secretsKey or secretsKeyFile); absent: FLEETGRAPH_NOTIFICATIONS_KEY, else plain text. */
  secretsKey?: string;
  previousSecretsKeys?: readonly string[];
}

/** The section with the secret file read; SecretFileProblem names the field that cannot be used. */
export function notificationSettings(entry: NotificationsEntry, baseDir: string): NotificationSettings {
  const { webhook } = entry;
  return {
    ...(webhook
      ? {
          webhook: {
            ...secretOf(webhook, ["notifications", "webhook"], baseDir),
            ...(webhook.clusters
              ? {
                  clusterBearerTokens: Object.fromEntries(
                    Object.entries(webhook.clusters).map(([cluster, secret]) => [
                      cluster,
                      secretOf(secret, ["notifications", "webhook", "clusters", cluster], baseDir)
                        .bearerToken!,
                    ]),
                  ),
                }
              : {}),
            ...(webhook.clusterLabel !== undefined ? { clusterLabel: webhook.clusterLabel } : {}),
            maxBodyBytes: webhook.maxBodyBytes,
          },
        }
      : {}),
    ...secretsKeyOf(entry, baseDir),
    ...(entry.previousSecretsKeys ? { previousSecretsKeys: [...entry.previousSecretsKeys] } : {}),
    delivery: { ...entry.delivery },
  };
}

function secretsKeyOf(entry: NotificationsEntry, baseDir: string): { secretsKey?: string } {
  if (entry.secretsKey !== undefined) return { secretsKey: entry.secretsKey };
  if (entry.secretsKeyFile === undefined) return {};
  const field = ["notifications", "secretsKeyFile"];
  const key = readSecretFile(entry.secretsKeyFile, baseDir, field);
  if (decodeSecretsKey(key) === undefined)
    throw new SecretFileProblem(field, `${entry.secretsKeyFile}: the key ${SECRETS_KEY_FORMAT}`);
  return { secretsKey: key };
}

/** Every default, for a gateway whose config has no `notifications` section. */
export const DEFAULT_NOTIFICATIONS: NotificationSettings = Object.freeze({
  delivery: { ...DEFAULT_NOTIFICATION_DELIVERY },
});

/** `{bearerToken}` from the value or the file, or nothing when neither is given. */
function secretOf(
  given: { bearerToken?: string | undefined; bearerTokenFile?: string | undefined },
  field: PropertyKey[],
  baseDir: string,
): { bearerToken?: string } {
  if (given.bearerToken !== undefined) return { bearerToken: given.bearerToken };
  if (given.bearerTokenFile === undefined) return {};
  return { bearerToken: readSecretFile(given.bearerTokenFile, baseDir, [...field, "bearerTokenFile"]) };
}
