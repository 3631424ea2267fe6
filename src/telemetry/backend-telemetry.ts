/**
 * The BackendCallObserver the gateway hands its clients: each call into the backend metrics
 * (duration histogram, errors by code) and, when tracing and under an operation's span, a client
 * span as its child.
 */
import { SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from "@opentelemetry/semantic-conventions";
import type { BackendCallObserver } from "./backend-call.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

export const ATTR_K8S_CLUSTER_NAME = "k8s.cluster.name";
export const ATTR_BACKEND = "fleetgraph.backend";

export function backendTelemetry(metrics: GatewayMetrics, tracer: Tracer | undefined): BackendCallObserver {
  return {
    start(call) {
      const startedAt = performance.now();
      // Only under an operation: the caches' watches and the health probes would otherwise be a
      // root span each, a steady stream of one-span traces nobody asked for.
      const span =
        tracer && trace.getActiveSpan()
          ? tracer.startSpan(`${call.backend} ${call.route}`, {
              kind: SpanKind.CLIENT,
              attributes: {
                [ATTR_BACKEND]: call.backend,
                [ATTR_HTTP_REQUEST_METHOD]: call.method,
                [ATTR_HTTP_ROUTE]: call.route,
                ...(call.cluster !== undefined ? { [ATTR_K8S_CLUSTER_NAME]: call.cluster } : {}),
              },
            })
          : undefined;
      return (end) => {
        const labels = { backend: call.backend, cluster: call.cluster ?? "" };
        metrics.backendDuration.observe(labels, (performance.now() - startedAt) / 1000);
        if (end.error !== undefined) metrics.backendErrors.inc({ ...labels, code: end.error });
        if (!span) return;
        if (end.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, end.status);
        if (end.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: end.error });
        span.end();
      };
    },
  };
}
