/**
 * A raw PromQL query (`promQuery`) that its Prometheus refused or could not answer, as the caller
 * reads it: a query Prometheus refused is the caller's input to fix (BAD_USER_INPUT, with
 * Prometheus's own words); a Prometheus down or too slow keeps its code, and names the cluster and
 * the source, as a failing cluster does in any other answer.
 */
import type { PrometheusError } from "../backends/prometheus/errors.js";

export class RawQueryError extends Error {
  override readonly name = "RawQueryError";

  constructor(
    readonly cluster: string,
    readonly failure: PrometheusError,
  ) {
    super(failure.message, { cause: failure });
  }

  /** Read by graphql-js when the resolver throws it. */
  get extensions(): Record<string, unknown> {
    if (this.failure.code === "PROMETHEUS_BAD_QUERY") return { code: "BAD_USER_INPUT", argument: "query" };
    return {
      code: this.failure.code,
      cluster: this.cluster,
      retryable: this.failure.retryable,
      source: "PROMETHEUS",
    };
  }
}
