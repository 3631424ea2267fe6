/**
 * Traces, only when configured: an OTLP/HTTP endpoint in the config (telemetry.tracing) or in
 * OTEL_EXPORTER_OTLP_ENDPOINT. Without one there is no tracer at all and the request path does
 * no span work. The tracer provider is the gateway's own, not registered globally (tests run
 * several gateways in one process); the AsyncLocalStorage context manager is global, as the
 * OpenTelemetry API wants it, so a backend call's span finds the operation's span as its parent.
 */
import { context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TelemetrySettings } from "../config/index.js";

export interface Tracing {
  readonly tracer: Tracer;
  /** Flushes the spans not yet exported, then stops. */
  stop(): Promise<void>;
}

export interface TracingOptions {
  settings: TelemetrySettings["tracing"];
  env?: NodeJS.ProcessEnv;
  /** Tests: spans go here, each as it ends, whatever the config says. */
  exporter?: SpanExporter;
}

/** Undefined when no exporter is configured. */
export function startTracing(options: TracingOptions): Tracing | undefined {
  const settings = options.settings ?? {};
  const env = options.env ?? process.env;
  const endpoint = settings.otlpEndpoint ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (options.exporter === undefined && endpoint === undefined) return undefined;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint!) }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName ?? "fleetgraph" }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio ?? 1) }),
    spanProcessors: [processor],
  });
  useAsyncContext();
  return { tracer: provider.getTracer("fleetgraph"), stop: () => provider.shutdown() };
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/** Once per process: later gateways share it (setGlobalContextManager refuses a second). */
function useAsyncContext(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

/** OTLP/HTTP's signal path, as the SDK adds it to OTEL_EXPORTER_OTLP_ENDPOINT. */
function tracesUrl(endpoint: string): string {
  return endpoint.endsWith("/v1/traces") ? endpoint : `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
