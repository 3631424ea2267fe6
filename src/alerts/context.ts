/**
 * What the request context carries for alerts (the composition root fills it in), and the
 * request's AlertReads and SilenceReads, made when a resolver first asks and kept for the request.
 */
import type { RequestContext } from "../request/context.js";
import type { AlertFeed } from "./alert-feed.js";
import { AlertReads } from "./alert-reads.js";
import { NO_SILENCE_SOURCES, type SilenceSources } from "./silence.js";
import { SilenceReads } from "./silence-reads.js";
import { NO_ALERT_SOURCES, type AlertSources } from "./sources.js";

export interface AlertsSetup {
  sources: AlertSources;
  /** Each cluster's Alertmanager for its silences; absent: none configured. */
  silences?: SilenceSources;
  /** THE change stream; `feed.report` is the AlertUpdates entry point (the webhook receiver's). */
  feed: AlertFeed;
  /** The bound of each alertChanges subscriber's queue (subscriptions.maxQueuedEvents). */
  maxQueued(): number;
}

export interface AlertContext {
  alerts?: AlertsSetup;
}

type AlertRequest = RequestContext & AlertContext;

/** `make` once per request context, kept as long as the context is. */
function perRequest<T>(make: (ctx: AlertRequest) => T): (ctx: AlertRequest) => T {
  const made = new WeakMap<object, T>();
  return (ctx) => {
    let value = made.get(ctx);
    if (value === undefined) {
      value = make(ctx);
      made.set(ctx, value);
    }
    return value;
  };
}

export const alertReadsOf = perRequest(
  (ctx) =>
    new AlertReads({
      services: ctx.services,
      scope: ctx.scope,
      outcomes: ctx.outcomes,
      sources: ctx.alerts?.sources ?? NO_ALERT_SOURCES,
    }),
);

/** The request's silence reads, made when a resolver first asks and kept for the request. */
export const silenceReadsOf = perRequest(
  (ctx) =>
    new SilenceReads({
      services: ctx.services,
      scope: ctx.scope,
      outcomes: ctx.outcomes,
      sources: silenceSourcesOf(ctx),
    }),
);

export function silenceSourcesOf(ctx: AlertContext): SilenceSources {
  return ctx.alerts?.silences ?? NO_SILENCE_SOURCES;
}
