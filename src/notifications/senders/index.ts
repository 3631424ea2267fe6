/** Sends one delivery to its channel, by the channel's kind. */
import type { DeliverableChannel } from "../channel.js";
import type { DeliveryRecord } from "../delivery-record.js";
import { sendEmail } from "./email.js";
import { postJson } from "./http-post.js";
import { slackBody } from "./slack.js";
import { webhookBody } from "./webhook.js";

export { DeliveryError } from "./delivery-error.js";

export async function sendDelivery(
  channel: DeliverableChannel,
  record: DeliveryRecord,
  signal: AbortSignal,
): Promise<void> {
  const target = channel.target;
  switch (target.kind) {
    case "webhook":
      return postJson(target.url, webhookBody(channel, record), record.id, signal);
    case "slack":
      return postJson(target.url, slackBody(record), record.id, signal);
    case "email":
      return sendEmail(target, record, signal);
  }
}
