/** Notification services over a real Redis, with fast retries, and alerts to push through them. */
import { createHash } from "node:crypto";
import { pino } from "pino";
import { ANONYMOUS } from "../../../auth/subject.js";
import type { NotificationDeliverySettings } from "../../../src/config/index.js";
import {
  NotificationServices,
  type AlertPush,
  type ChannelCaller,
  type PushedAlert,
  type SealKeys,
} from "../../../src/notifications/index.js";
import { OPEN_ACCESS } from "../../../src/request/context.js";
import { NO_REQUEST_AUDIT } from "../../../src/audit/recorder.js";
import { RedisStore } from "../../../src/store/redis-store.js";
import { REDIS_URL } from "../../support/redis.js";

export const FAST_DELIVERY: NotificationDeliverySettings = {
  maxAttempts: 5,
  initialBackoffMs: 40,
  maxBackoffMs: 160,
  timeoutMs: 3000,
  pollIntervalMs: 50,
  retentionHours: 1,
};

/** payments and shop belong to retail in c1; search to analytics; nothing owns "kube-system". */
export const WORKSPACES: Record<string, string> = {
  "c1/payments": "retail",
  "c1/shop": "retail",
  "c1/search": "analytics",
};

/** Authentication off: every command allowed. */
export const OPEN_CALLER: ChannelCaller = {
  subject: ANONYMOUS,
  access: OPEN_ACCESS,
  audit: NO_REQUEST_AUDIT,
};

export interface Replica {
  readonly store: RedisStore;
  readonly services: NotificationServices;
  stop(): Promise<void>;
}

/** One gateway replica's notifications over the shared Redis under `prefix`. */
export function startReplica(
  prefix: string,
  delivery: Partial<NotificationDeliverySettings> = {},
  secretsKeys?: SealKeys,
): Replica {
  const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
  const services = new NotificationServices({
    store,
    ...(secretsKeys ? { secretsKeys } : {}),
    workspaceOf: (cluster, namespace) => WORKSPACES[`${cluster}/${namespace}`],
    delivery: () => ({ ...FAST_DELIVERY, ...delivery }),
    logger: pino({ level: "silent" }),
  });
  services.start();
  return {
    store,
    services,
    async stop() {
      await services.stop();
      await store.close();
    },
  };
}

export function alert(
  name: string,
  labels: Record<string, string>,
  more: Partial<PushedAlert> = {},
): PushedAlert {
  return {
    cluster: "c1",
    status: "firing",
    fingerprint: createHash("sha256")
      .update(`${name}/${JSON.stringify(labels)}`)
      .digest("hex")
      .slice(0, 16),
    labels: { alertname: name, severity: "warning", ...labels },
    annotations: { summary: `${name} is firing`, description: "a long description" },
    startsAt: "2026-12-06T09:00:00.000Z",
    ...more,
  };
}

export function push(...alerts: PushedAlert[]): AlertPush {
  return {
    receiver: "fleetgraph",
    status: alerts.every((a) => a.status === "resolved") ? "resolved" : "firing",
    groupKey: "{}:{alertname}",
    externalURL: "http://alertmanager.example:9093",
    truncatedAlerts: 0,
    groupLabels: {},
    alerts,
  };
}

/** Alertmanager's documented webhook payload (version 4) with one firing KubeNodeNotReady alert. */
export function nodeNotReadyPayload(node: string, fingerprint: string): Record<string, unknown> {
  return {
    version: "4",
    groupKey: "{}:{}",
    truncatedAlerts: 0,
    status: "firing",
    receiver: "fleetgraph",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "http://am",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "KubeNodeNotReady", node },
        annotations: { summary: `${node} is not ready` },
        startsAt: "2026-12-06T08:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "",
        fingerprint,
      },
    ],
  };
}
