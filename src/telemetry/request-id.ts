/**
 * An HTTP request's id: the one a client or proxy sent in X-Request-Id when it is sane (it goes
 * into log lines, spans and the member clusters' audit logs as Audit-ID, so it must be short
 * and harmless in a header), else a new UUID.
 */
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

const SANE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE.test(value) ? value : randomUUID();
}
