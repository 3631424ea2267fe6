/**
 * E-mail through the channel's SMTP server (nodemailer): one message per alert, its Message-ID
 * made of the delivery's id so a message sent again is recognisably the same one. A refused
 * recipient or a rejected message is not retried; a connection failure or a 4xx reply is.
 */
import { connect, isIP, type Socket } from "node:net";
import { createTransport } from "nodemailer";
import { alertMessage } from "../alert-message.js";
import type { ChannelTarget } from "../channel.js";
import type { DeliveryRecord } from "../delivery-record.js";
import { resolveGuarded } from "../target-address.js";
import { DeliveryError } from "./delivery-error.js";

type EmailTarget = Extract<ChannelTarget, { kind: "email" }>;

export async function sendEmail(
  target: EmailTarget,
  record: DeliveryRecord,
  /** The attempt's deadline: nodemailer's own timeouts restart at every SMTP command. */
  signal: AbortSignal,
): Promise<void> {
  const { smtp } = target;
  const where = `smtp://${smtp.host}:${smtp.port}`;
  let socket: Socket | undefined;
  const transport = createTransport({
    host: smtp.host,
    // The connection is opened here: to the address the guard allowed (nodemailer would resolve
    // the name unchecked), and with the signal, so the deadline cuts it whatever step it is at.
    getSocket: (_options, callback) => {
      resolveGuarded(smtp.host).then(
        (address) => {
          const connection = connect({ host: address, port: smtp.port, signal });
          socket = connection;
          const failed = (error: Error) => callback(error);
          connection.once("error", failed);
          // From here on nodemailer listens for the socket's errors itself.
          connection.once("connect", () => {
            connection.off("error", failed);
            callback(null, { connection });
          });
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
    // The certificate is checked against the name, not the address connected to.
    ...(isIP(smtp.host) === 0 ? { tls: { servername: smtp.host } } : {}),
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.username !== undefined ? { auth: { user: smtp.username, pass: smtp.password ?? "" } } : {}),
    logger: false,
  });
  const m = alertMessage(record.alert);
  const text = [
    m.title,
    "",
    ...(m.summary ? [m.summary] : []),
    ...(m.description ? [m.description, ""] : []),
    `Where: ${m.where}`,
    ...(m.severity ? [`Severity: ${m.severity}`] : []),
    `Since: ${m.startsAt}${m.endsAt ? ` until ${m.endsAt}` : ""}`,
    ...(m.generatorURL ? [`Source: ${m.generatorURL}`] : []),
  ].join("\n");
  try {
    await transport.sendMail({
      from: target.from,
      to: [...target.to],
      subject: m.title,
      text,
      messageId: `<${record.id}@fleetgraph.notifications>`,
      headers: { "Idempotency-Key": record.id },
    });
  } catch (error) {
    const e = error as { responseCode?: number; code?: string; message?: string };
    if (e.responseCode !== undefined)
      throw new DeliveryError(`${where} answered ${e.responseCode}`, e.responseCode < 500);
    throw DeliveryError.of(error, where);
  } finally {
    socket?.destroy();
    transport.close();
  }
}
