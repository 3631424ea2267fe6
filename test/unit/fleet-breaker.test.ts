import { describe, expect, it } from "vitest";
import { Backoff } from "../../src/fleet/backoff.js";
import { CircuitBreaker, type BreakerState } from "../../src/fleet/circuit-breaker.js";

function clockedBreaker(threshold: number, cooldownMs: number) {
  let now = 1_000;
  const transitions: string[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: threshold,
    cooldownMs,
    now: () => now,
    onStateChange: (state: BreakerState, previous: BreakerState) => transitions.push(`${previous}->${state}`),
  });
  return { breaker, transitions, advance: (ms: number) => (now += ms) };
}

describe("CircuitBreaker", () => {
  it("opens after N consecutive failures, not after N scattered ones", () => {
    const { breaker } = clockedBreaker(3, 1000);
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe("closed");
    expect(breaker.admit()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe("open");
    expect(breaker.admit()).toBe(false);
  });

  it("lets exactly one probe through after the cool-down and closes when it succeeds", () => {
    const { breaker, transitions, advance } = clockedBreaker(1, 1000);
    breaker.failure();
    advance(999);
    expect(breaker.admit()).toBe(false);
    advance(1);
    expect(breaker.admit()).toBe(true);
    expect(breaker.state).toBe("half-open");
    expect(breaker.admit()).toBe(false); // the probe is in flight
    breaker.success();
    expect(breaker.state).toBe("closed");
    expect(breaker.admit()).toBe(true);
    expect(transitions).toEqual(["closed->open", "open->half-open", "half-open->closed"]);
  });

  it("re-opens for a full cool-down when the probe fails", () => {
    const { breaker, advance } = clockedBreaker(2, 500);
    breaker.failure();
    breaker.failure();
    advance(500);
    expect(breaker.admit()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe("open");
    advance(499);
    expect(breaker.admit()).toBe(false);
    advance(1);
    expect(breaker.admit()).toBe(true);
  });

  it("stays open when a request let through before it opened answers late", () => {
    const { breaker, transitions, advance } = clockedBreaker(2, 1000);
    expect(breaker.admit()).toBe(true); // a slow request goes out
    breaker.failure();
    breaker.failure();
    breaker.success(); // ... and answers after the circuit opened
    expect(breaker.state).toBe("open");
    expect(breaker.admit()).toBe(false);
    advance(1000);
    expect(breaker.admit()).toBe(true);
    breaker.success();
    expect(transitions).toEqual(["closed->open", "open->half-open", "half-open->closed"]);
  });

  it("frees the probe slot when the probe is cancelled", () => {
    const { breaker, advance } = clockedBreaker(1, 100);
    breaker.failure();
    advance(100);
    expect(breaker.admit()).toBe(true);
    breaker.release();
    expect(breaker.admit()).toBe(true);
  });
});

describe("Backoff", () => {
  it("grows exponentially to the cap, with jitter below each step, and resets", () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 1 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      50, 100, 200, 400, 500,
    ]);
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });

  it("never exceeds the cap and spreads delays", () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
    const delays = Array.from({ length: 40 }, () => backoff.next()).slice(10);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(500);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});
