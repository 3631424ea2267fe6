/**
 * Validation of the fault settings the admin endpoint receives, with messages that say which
 * field is wrong and what it accepts.
 */
import type { FaultSettings } from "./fault-state.js";

export class AdminRequestError extends Error {
  override readonly name = "AdminRequestError";
  constructor(
    readonly status: number,
    message: string,
    /** For 405: the methods the path accepts (the Allow header). */
    readonly allow?: string,
  ) {
    super(message);
  }
}

const MAX_DELAY_MS = 10 * 60 * 1000;
const ERROR_CODES = [500, 503, 429] as const;

function delay(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new AdminRequestError(
      400,
      `${field} must be a number of milliseconds between 0 and ${MAX_DELAY_MS}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

const FAULT_FIELDS = [
  "latencyMs",
  "errorRate",
  "errorCode",
  "slowBodyMs",
  "retryAfterSeconds",
  "expiredWatches",
  "cutBodyAfterBytes",
];

function wholeNumber(field: string, value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    throw new AdminRequestError(
      400,
      `${field} must be a whole number between 0 and ${max}, got ${JSON.stringify(value)}`,
    );
  return value;
}

/** Parses a fault body; every field is optional, unknown fields are refused. */
export function parseFaultSettings(body: unknown): Partial<FaultSettings> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AdminRequestError(
      400,
      'the request body must be a JSON object such as {"latencyMs": 200, "errorRate": 0.1}',
    );
  }
  const out: Partial<FaultSettings> = {};
  for (const [field, value] of Object.entries(body)) {
    switch (field) {
      case "latencyMs":
        out.latencyMs = delay(field, value);
        break;
      case "slowBodyMs":
        out.slowBodyMs = delay(field, value);
        break;
      case "errorRate":
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
          throw new AdminRequestError(
            400,
            `errorRate must be a number between 0 and 1, got ${JSON.stringify(value)}`,
          );
        }
        out.errorRate = value;
        break;
      case "errorCode":
        if (!ERROR_CODES.includes(value as (typeof ERROR_CODES)[number])) {
          throw new AdminRequestError(
            400,
            `errorCode must be one of ${ERROR_CODES.join(", ")}, got ${JSON.stringify(value)}`,
          );
        }
        out.errorCode = value as FaultSettings["errorCode"];
        break;
      case "retryAfterSeconds":
        out.retryAfterSeconds = wholeNumber(field, value, 3600);
        break;
      case "cutBodyAfterBytes":
        out.cutBodyAfterBytes = wholeNumber(field, value, 1 << 30);
        break;
      case "expiredWatches":
        if (typeof value !== "boolean")
          throw new AdminRequestError(
            400,
            `expiredWatches must be true or false, got ${JSON.stringify(value)}`,
          );
        out.expiredWatches = value;
        break;
      default:
        throw new AdminRequestError(
          400,
          `unknown fault field "${field}": expected ${FAULT_FIELDS.join(", ")}`,
        );
    }
  }
  return out;
}

/** Parses the churn body `{"rate": R}`. */
export function parseChurnRate(body: unknown): number {
  const rate = typeof body === "object" && body !== null ? (body as { rate?: unknown }).rate : undefined;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0 || rate > 10_000) {
    throw new AdminRequestError(
      400,
      `the body must be {"rate": R} with R changes per second between 0 and 10000, got ${JSON.stringify(body)}`,
    );
  }
  return rate;
}

/** Parses the rotate-certificate body: none, or `{"ca": true}` to rotate the CA as well. */
export function parseRotation(body: unknown): boolean {
  if (body === undefined) return false;
  const ca = typeof body === "object" && body !== null ? (body as { ca?: unknown }).ca : undefined;
  if (typeof ca !== "boolean" || Object.keys(body as object).length !== 1)
    throw new AdminRequestError(
      400,
      `the body must be empty or {"ca": true|false}, got ${JSON.stringify(body)}`,
    );
  return ca;
}
