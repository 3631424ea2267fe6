/**
 * OPA's Data API (`POST /v1/data/{path}` with `{"input": ...}`) through the official SDK, with a
 * deadline per query and every way of failing turned into a PolicyUnavailableError that says
 * plainly what happened. The SDK fits: `evaluate` is exactly that request, it gives an undefined
 * decision back as `undefined` rather than an error, and its typed errors carry OPA's own
 * `{code, message}`. It is built with retries off: the deadline is the caller's latency budget.
 */
import { OPAClient } from "@open-policy-agent/opa";
import {
  ClientError,
  ConnectionError,
  RequestTimeoutError,
  SDKError,
  SDKValidationError,
  ServerError,
} from "@open-policy-agent/opa/sdk/models/errors";
import type { BackendCallObserver } from "../../src/telemetry/backend-call.js";
import { PolicyUnavailableError } from "./policy-errors.js";

export interface OpaDataApiOptions {
  /** OPA's base URL, e.g. `http://opa.policy.svc:8181`. */
  url: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer <token>` (OPA run with `--authentication=token`). */
  token?: string;
  /** Told of every query (the gateway's telemetry). */
  observer?: BackendCallObserver;
}

export class OpaDataApi {
  private readonly client: OPAClient;

  constructor(private readonly options: OpaDataApiOptions) {
    this.client = new OPAClient(options.url, {
      sdk: {
        retryConfig: { strategy: "none" },
        ...(options.token === undefined ? {} : { bearerAuth: options.token }),
      },
    });
  }

  /** The decision's `result`, or `undefined` when OPA answered that it is undefined. */
  async query(policy: string, input: object): Promise<unknown> {
    // The route is the decision's path: a handful, named in the config.
    const ended = this.options.observer?.start({ backend: "opa", method: "POST", route: policy });
    try {
      const result = await this.client.evaluate<object, unknown>(policy, input, {
        fetchOptions: { signal: AbortSignal.timeout(this.options.timeoutMs) },
      });
      ended?.({ status: 200 });
      return result;
    } catch (error) {
      const failure = this.failure(policy, error);
      ended?.({ error: `OPA_${failure.failure.toUpperCase().replaceAll("-", "_")}` });
      throw failure;
    }
  }

  private failure(policy: string, error: unknown): PolicyUnavailableError {
    const fail = (failure: PolicyUnavailableError["failure"], message: string) =>
      new PolicyUnavailableError(failure, policy, message, { cause: error });
    if (error instanceof RequestTimeoutError) {
      return fail("timeout", `policy service unavailable: timed out after ${this.options.timeoutMs} ms`);
    }
    if (error instanceof ConnectionError) {
      return fail("unreachable", `policy service unavailable: cannot connect to ${this.options.url}`);
    }
    if (error instanceof ServerError || error instanceof ClientError) {
      const status = error instanceof ServerError ? "server error" : "bad request";
      return fail(
        "error-status",
        `policy service failed (${status}) at ${policy}: ${error.code}: ${error.message}`,
      );
    }
    if (error instanceof SDKError) {
      const status = error.httpMeta.response.status;
      return status === 200
        ? fail("malformed", `policy service answered ${policy} with a body that is not OPA's JSON`)
        : fail("error-status", `policy service failed at ${policy}: HTTP ${status}`);
    }
    if (error instanceof SDKValidationError) {
      return fail("malformed", `policy service answered ${policy} with a body that is not OPA's JSON`);
    }
    return fail("unreachable", `policy service unavailable: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
