/**
 * The default alert sink: routes each pushed alert to its channels and queues the deliveries
 * durably before the push is acknowledged, then wakes the delivery loop.
 */
import type { AlertPush, AlertSink } from "./alert-sink.js";
import { routeAlerts, type WorkspaceOf } from "./alert-routing.js";
import type { ChannelStore } from "./channel-store.js";
import type { DeliveryQueue } from "./delivery-queue.js";

export class Notifier implements AlertSink {
  constructor(
    private readonly channels: ChannelStore,
    private readonly queue: DeliveryQueue,
    private readonly workspaceOf: WorkspaceOf,
    /** Called once deliveries were queued. */
    private readonly queued: () => void,
  ) {}

  async accept(push: AlertPush): Promise<void> {
    const routed = routeAlerts(push.alerts, await this.channels.all(), this.workspaceOf);
    if (routed.length === 0) return;
    await this.queue.enqueue(routed);
    this.queued();
  }
}
