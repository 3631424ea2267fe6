/**
 * Where an HTTP request came from, for its audit events. The source IP is the TCP peer's
 * address: the gateway has no trusted-proxy setting, so X-Forwarded-For (which any client can
 * send) is not believed. Behind a load balancer that is the balancer's address; see
 * docs/security.md for preserving client addresses (PROXY protocol, externalTrafficPolicy: Local).
 */
import type { IncomingMessage } from "node:http";
import type { AuditOrigin } from "./event.js";

const MAX_HEADER = 512;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export function requestOrigin(req: Pick<IncomingMessage, "socket" | "headers">): AuditOrigin {
  const address = req.socket?.remoteAddress;
  const agent = header(req.headers["user-agent"]);
  const requestId = header(req.headers["x-request-id"]);
  return {
    ...(address !== undefined ? { sourceIP: plainAddress(address) } : {}),
    ...(agent !== undefined && agent !== "" ? { userAgent: agent.slice(0, MAX_HEADER) } : {}),
    ...(requestId !== undefined && REQUEST_ID.test(requestId) ? { requestId } : {}),
  };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
