/**
 * The notifications (docs/notifications.md): channels per workspace, the alert sinks the
 * Alertmanager webhook pushes to, and the durable, retried deliveries. One per gateway, made in
 * src/server/notifications.ts; requests reach it through `ctx.notifications`.
 */
import type { Logger } from "pino";
import type { NotificationDeliverySettings } from "../config/index.js";
import { QueryAccessError, QueryInputError } from "../cache/query/errors.js";
import type { SharedStore } from "../store/shared-store.js";
import type { WorkspaceOf } from "./alert-routing.js";
import { AlertSinks } from "./alert-sink.js";
import { ChannelCommands, type ChannelCaller } from "./channel-commands.js";
import { ChannelSeal, type SealKeys } from "./channel-seal.js";
import { ChannelStore } from "./channel-store.js";
import { CHANNEL_LOG_LENGTH, DeliveryQueue } from "./delivery-queue.js";
import type { DeliveryRecord } from "./delivery-record.js";
import { DeliveryWorker, type Send } from "./delivery-worker.js";
import { Notifier } from "./notifier.js";

export type { AlertPush, AlertSink, PushedAlert } from "./alert-sink.js";
export type { ChannelInfo, ChannelKind } from "./channel.js";
export { ChannelSealError, type SealKeys } from "./channel-seal.js";
export type { ChannelCaller, ChannelChange, NewChannel } from "./channel-commands.js";
export type { DeliveryRecord, DeliveryState } from "./delivery-record.js";
export { parseAlertmanagerPayload, PayloadProblem, type AlertmanagerAlert } from "./alertmanager-payload.js";
export { AlertSinks, ChannelCommands };
export { alertStreamSink, type AlertReports } from "./alert-stream-sink.js";

export interface NotificationServicesOptions {
  store: SharedStore;
  workspaceOf: WorkspaceOf;
  /** Read per pass: a reload changes them (retention is read once, at start). */
  delivery: () => NotificationDeliverySettings;
  logger: Logger;
  /** Seal channel targets at rest with these; absent: targets are stored in plain text. */
  secretsKeys?: SealKeys;
  /** Tests replace the senders; default by the channel's kind. */
  send?: Send;
}

export class NotificationServices {
  readonly channels: ChannelStore;
  readonly queue: DeliveryQueue;
  /** Where Alertmanager's pushes go: the notifier, and whoever else adds itself. */
  readonly sinks = new AlertSinks();
  private readonly worker: DeliveryWorker;

  constructor(options: NotificationServicesOptions) {
    this.channels = new ChannelStore(options.store, new ChannelSeal(options.secretsKeys ?? { previous: [] }));
    this.queue = new DeliveryQueue(options.store, options.delivery().retentionHours * 3_600_000);
    this.worker = new DeliveryWorker({
      queue: this.queue,
      channels: this.channels,
      settings: options.delivery,
      logger: options.logger,
      ...(options.send ? { send: options.send } : {}),
    });
    this.sinks.add(new Notifier(this.channels, this.queue, options.workspaceOf, () => this.worker.kick()));
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  commands(caller: ChannelCaller): ChannelCommands {
    return new ChannelCommands(this.channels, caller);
  }

  /** A channel's delivery records, newest first; FORBIDDEN unless the caller manages the channel. */
  async deliveries(caller: ChannelCaller, channelId: string, first: number): Promise<DeliveryRecord[]> {
    if (!Number.isInteger(first) || first < 1 || first > CHANNEL_LOG_LENGTH)
      throw new QueryInputError("first", `first must be 1 to ${CHANNEL_LOG_LENGTH}`);
    if (!(await this.commands(caller).managed(channelId)))
      throw new QueryAccessError("channel", `no notification channel ${channelId} that you manage`);
    return this.queue.ofChannel(channelId, first);
  }
}

/** What the request context adds for notifications (the composition root fills it in). */
export interface NotificationContext {
  /** Absent where the server serves no notifications. */
  notifications?: NotificationServices;
}
