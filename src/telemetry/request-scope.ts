/**
 * What the gateway knows, anywhere below the HTTP handler, about the request it is serving: its
 * id (sent to the member clusters as Audit-ID) and the logger whose lines carry it. Ambient, via
 * AsyncLocalStorage, because the calls made for a request pass layers (query services, live
 * reads, mutations) that should not carry telemetry arguments; the caches' own watches and lists
 * run outside any request and so carry none. A leaf module.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

export interface RequestScope {
  readonly requestId: string;
  /** The gateway's logger bound to the request id. */
  readonly logger: Logger;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `serve` (and everything it starts) within `scope`. */
export function withinRequest<T>(scope: RequestScope, serve: () => T): T {
  return scopes.run(scope, serve);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return scopes.getStore()?.requestId;
}

/** The request's logger when serving one, else `fallback`. */
export function requestLogger(fallback: Logger): Logger {
  return scopes.getStore()?.logger ?? fallback;
}
