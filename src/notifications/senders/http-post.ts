/**
 * POSTs one JSON body to a channel's URL: the connection's addresses checked (guardedLookup), one
 * deadline (the caller's signal) for the whole exchange, the delivery's id as Idempotency-Key. Failures are told by
 * the URL's origin only — a Slack URL's path is its secret.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { guardedLookup } from "../target-address.js";
import { DeliveryError } from "./delivery-error.js";

const MAX_ERROR_BODY = 200;

export async function postJson(
  url: string,
  body: unknown,
  idempotencyKey: string,
  /** Aborts the whole exchange, the name lookup included (the attempt's deadline). */
  signal: AbortSignal,
): Promise<void> {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        lookup: guardedLookup,
        headers: {
          "content-type": "application/json",
          "content-length": payload.length,
          "idempotency-key": idempotencyKey,
          "user-agent": "fleetgraph-notifications",
        },
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const said = Buffer.concat(chunks)
            .toString("utf8")
            .slice(0, MAX_ERROR_BODY)
            .replace(/\s+/g, " ")
            .trim();
          reject(
            new DeliveryError(
              `${target.origin} answered HTTP ${status}${said ? `: ${said}` : ""}`,
              // A refusal of this request will not change by itself; an overloaded or failing receiver may.
              !(status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429),
            ),
          );
        });
        res.on("error", (e) => reject(DeliveryError.of(e, target.origin)));
      },
    );
    req.on("error", (e) => reject(DeliveryError.of(e, target.origin)));
    req.end(payload);
  });
}
