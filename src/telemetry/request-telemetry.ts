/**
 * Every HTTP request the gateway serves: its id (X-Request-Id, echoed in the answer), the
 * request scope the layers below read it from, and, when tracing, the server span a GraphQL
 * operation's backend calls nest under (operation-telemetry.ts names it once the operation is
 * known).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ROOT_CONTEXT, SpanKind, context, trace, type Tracer } from "@opentelemetry/api";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE } from "@opentelemetry/semantic-conventions";
import type { Logger } from "pino";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id.js";
import { withinRequest, type RequestScope } from "./request-scope.js";

export const ATTR_REQUEST_ID = "fleetgraph.request_id";

export type Serve = (req: IncomingMessage, res: ServerResponse) => void;

export interface RequestTelemetryOptions {
  logger: Logger;
  tracer: Tracer | undefined;
  /** Requests that carry a GraphQL operation get a span. */
  isOperation: (url: string | undefined) => boolean;
}

export function requestTelemetry(options: RequestTelemetryOptions): (serve: Serve) => Serve {
  const { logger, tracer, isOperation } = options;
  return (serve) => (req, res) => {
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    res.setHeader("X-Request-Id", requestId);
    const scope = requestScope(requestId, logger);
    if (!tracer || !isOperation(req.url)) {
      withinRequest(scope, () => serve(req, res));
      return;
    }
    // A new trace per request: a caller's traceparent is not trusted to pick our sampling.
    const span = tracer.startSpan(
      "graphql",
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_REQUEST_ID]: requestId,
          [ATTR_HTTP_REQUEST_METHOD]: req.method ?? "GET",
          [ATTR_HTTP_ROUTE]: "/graphql",
        },
      },
      ROOT_CONTEXT,
    );
    res.once("close", () => span.end());
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => withinRequest(scope, () => serve(req, res)));
  };
}

/** The request's logger is made on first use: most requests log nothing. */
function requestScope(requestId: string, base: Logger): RequestScope {
  let logger: Logger | undefined;
  return {
    requestId,
    get logger() {
      return (logger ??= base.child({ requestId }));
    },
  };
}
