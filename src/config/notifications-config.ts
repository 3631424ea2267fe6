/**
 * The `notifications` section (docs/notifications.md): the Alertmanager webhook receiver's shared
 * secret and cluster label, and how deliveries to the workspaces' channels are retried and kept.
 */
import * as z from "zod";
import { readSecretFile } from "./auth-settings.js";
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
    delivery: { ...entry.delivery },
  };
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
