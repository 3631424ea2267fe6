/**
 * A generic webhook's body: the delivery's id (also its Idempotency-Key), the channel, and the
 * alert as Alertmanager told it plus its message — one alert per request, so a receiver
 * acknowledges each once.
 */
import { alertMessage } from "../alert-message.js";
import type { StoredChannel } from "../channel.js";
import type { DeliveryRecord } from "../delivery-record.js";

export function webhookBody(channel: StoredChannel, record: DeliveryRecord): unknown {
  return {
    version: "1",
    id: record.id,
    channel: { id: channel.id, name: channel.name },
    workspace: record.workspace,
    alert: record.alert,
    message: alertMessage(record.alert),
  };
}
