/**
 * Fault matrix, part 1: one of three clusters down, slow, failing with 5xx, or throttling with
 * 429 + Retry-After. Every path answers HTTP 200 with the healthy clusters' data and typed errors
 * about the faulty one only; a subscription keeps delivering the healthy clusters' changes; once
 * the fault ends, a change made on the faulty cluster during it is visible within 5 s.
 * Figures go to docs/reliability.md (printed at the end of the run).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import {
  createConfigMap,
  expectDegradedNotFailed,
  openSubscription,
  probeAll,
  record,
  recoveryMs,
  matrixSuite,
  type Matrix,
} from "./fault-matrix-fixture.js";

const matrix = matrixSuite("fault-matrix-availability");
let m: Matrix;
beforeEach(() => {
  m = matrix();
});

const UNAVAILABLE = ["CLUSTER_UNAVAILABLE", "CLUSTER_TIMEOUT"];

describe("one cluster of three", () => {
  it("down: every path degrades to the other clusters; a subscription keeps going; fresh after up", async () => {
    const sub = openSubscription(m);
    try {
      await eventually(() => sub.acknowledged(), 5000);
      await m.victim.goDown();
      createConfigMap(m.victim, "made-while-down");
      const outcomes = await probeAll(m);
      for (const o of outcomes) expectDegradedNotFailed(o, UNAVAILABLE);
      // The live reads and the mutation name the dead cluster.
      for (const path of ["pods (STRONG)", "resources", "workloadScale (mutation)"])
        expect(outcomes.find((o) => o.path === path)!.victimCodes, path).toContain("CLUSTER_UNAVAILABLE");

      createConfigMap(m.healthy[0]!, "healthy-while-down");
      await sub.until((events) =>
        events.some((e) => e.data?.objectChanges.object?.name === "healthy-while-down"),
      );
      const ms = await recoveryMs(m, "made-while-down", () => m.victim.comeBack());
      expect(ms).toBeLessThanOrEqual(5000);
      await sub.until((events) =>
        events.some((e) => e.data?.objectChanges.object?.name === "made-while-down"),
      );
      record("down", outcomes, ms);
    } finally {
      await sub.close();
    }
  });

  it(
    "slow (3 s per request, beyond the deadline): typed timeouts, then fresh",
    { timeout: 90_000 },
    async () => {
      m.victim.faults.set({ latencyMs: 3000 });
      createConfigMap(m.victim, "made-while-slow");
      m.victim.dropWatches(); // the reflectors must come back through the slow server
      const outcomes = await probeAll(m);
      for (const o of outcomes) expectDegradedNotFailed(o, UNAVAILABLE);
      expect(outcomes.find((o) => o.path === "pods (STRONG)")!.victimCodes.length).toBeGreaterThan(0);
      const ms = await recoveryMs(m, "made-while-slow", () => Promise.resolve(m.victim.faults.reset()));
      expect(ms).toBeLessThanOrEqual(5000);
      record("slow 3 s", outcomes, ms);
    },
  );

  it("5xx (every request 503): typed CLUSTER_UNAVAILABLE, then fresh", async () => {
    m.victim.faults.set({ errorRate: 1, errorCode: 503 });
    createConfigMap(m.victim, "made-while-503");
    m.victim.dropWatches(); // the reflectors must come back through the failing server
    const outcomes = await probeAll(m);
    for (const o of outcomes) expectDegradedNotFailed(o, UNAVAILABLE);
    expect(outcomes.find((o) => o.path === "pods (STRONG)")!.victimCodes).toEqual(["CLUSTER_UNAVAILABLE"]);
    const ms = await recoveryMs(m, "made-while-503", () => Promise.resolve(m.victim.faults.reset()));
    expect(ms).toBeLessThanOrEqual(5000);
    record("5xx (503)", outcomes, ms);
  });

  it("429 with Retry-After: 2: typed with retryAfterSeconds, the breaker stays closed, the reflectors wait it out", async () => {
    const connection = m.gateway.registry.get(m.victim.name)!;
    m.victim.faults.set({ errorRate: 1, errorCode: 429, retryAfterSeconds: 2 });
    createConfigMap(m.victim, "made-while-429");
    m.victim.dropWatches(); // the reflectors must come back through the throttled server
    const outcomes = await probeAll(m);
    for (const o of outcomes) expectDegradedNotFailed(o, UNAVAILABLE);
    const strong = await import("./server-fixture.js").then(({ graphql }) =>
      graphql(
        m.gateway.url,
        `
          {
            pods(first: 1, consistency: STRONG) {
              edges {
                node {
                  name
                }
              }
            }
          }
        `,
      ),
    );
    const throttled = strong.errors!.find((e) => e.extensions?.cluster === m.victim.name)!;
    // The server's own 429, or the gateway remembering it (the seconds left of the same wait).
    expect(throttled.extensions).toMatchObject({ code: "CLUSTER_UNAVAILABLE" });
    expect([1, 2]).toContain(throttled.extensions?.retryAfterSeconds);
    expect(throttled.message).toMatch(/retry after [12] s/);
    expect(connection.breaker.state).toBe("closed");
    // The retry waits at least Retry-After: in 1.5 s each reflector asks about once (the backoff
    // alone would ask about three times), beside a few health probes and a wait that began
    // before the window.
    const before = m.victim.faults.injected;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(m.victim.faults.injected - before).toBeLessThanOrEqual(Math.ceil(kindsCached(m) * 1.5));
    const ms = await recoveryMs(m, "made-while-429", () => Promise.resolve(m.victim.faults.reset()));
    // Recovery includes the last Retry-After wait (2 s).
    expect(ms).toBeLessThanOrEqual(5000);
    record("429, Retry-After: 2", outcomes, ms);
  });
});

function kindsCached(matrix: Matrix): number {
  return Object.keys(matrix.gateway.fleetCache.status(matrix.victim.name)!.kinds).length;
}
