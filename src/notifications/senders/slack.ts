/**
 * A Slack-compatible incoming webhook's body ({text, blocks}): `text` for notifications and
 * clients without blocks, a header and a mrkdwn section for those with them.
 */
import { alertMessage } from "../alert-message.js";
import type { DeliveryRecord } from "../delivery-record.js";

/** Slack's mrkdwn control characters, escaped as its docs say. */
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackBody(record: DeliveryRecord): { text: string; blocks: unknown[] } {
  const m = alertMessage(record.alert);
  const lines = [
    ...(m.summary ? [`*${escape(m.summary)}*`] : []),
    ...(m.description ? [escape(m.description)] : []),
    `*Where:* ${escape(m.where)}`,
    ...(m.severity ? [`*Severity:* ${escape(m.severity)}`] : []),
    `*Since:* ${m.startsAt}${m.endsAt ? ` *until* ${m.endsAt}` : ""}`,
    ...(m.generatorURL && /^https?:\/\//.test(m.generatorURL) ? [`<${m.generatorURL}|Source>`] : []),
  ];
  return {
    // Slack formats `text` too: unescaped, an annotation's "<!channel>" would ping everyone.
    text: escape(`${m.title}${m.summary ? `: ${m.summary}` : ""}`),
    blocks: [
      { type: "header", text: { type: "plain_text", text: m.title.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 3000) } },
    ],
  };
}
