import { describe, expect, it } from "vitest";
import { errorFromResponse, parseRetryAfter } from "../../src/fleet/errors.js";

describe("Retry-After", () => {
  it("reads whole seconds and HTTP dates, caps them, and ignores what it cannot read", () => {
    expect(parseRetryAfter("1")).toBe(1);
    expect(parseRetryAfter(["7", "9"])).toBe(7);
    expect(parseRetryAfter("86400")).toBe(60);
    const now = Date.parse("2026-12-06T07:00:00Z");
    expect(parseRetryAfter("Sun, 06 Dec 2026 07:00:05 GMT", now)).toBe(5);
    expect(parseRetryAfter("Sun, 06 Dec 2026 06:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-3")).toBeUndefined();
  });

  it("rides on a 429's typed error (throttled, retryable, saying when), and only on a 429", () => {
    const throttled = errorFromResponse("c1", 429, { kind: "Status", message: "Too many requests" }, 2);
    expect(throttled).toMatchObject({ code: "CLUSTER_UNAVAILABLE", retryable: true, retryAfterSeconds: 2 });
    expect(throttled.throttled).toBe(true);
    expect(throttled.message).toBe("cluster c1: Too many requests (retry after 2 s)");
    const unavailable = errorFromResponse("c1", 503, undefined, 2);
    expect(unavailable.retryAfterSeconds).toBeUndefined();
    expect(unavailable.throttled).toBe(false);
  });
});
