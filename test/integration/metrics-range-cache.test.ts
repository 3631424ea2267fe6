/**
 * Range answers are kept: the same `metrics(range:)` request over a past window, asked twice,
 * costs Prometheus nothing the second time and answers the same series; another window is asked
 * again (the cache is keyed by the window, not blind to it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsFleet, type MetricsFleet } from "./metrics-fixture.js";

let fleet: MetricsFleet;

beforeAll(async () => {
  fleet = await startMetricsFleet({ seed: "metrics-range-cache" });
  await fleet.history(6);
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
});

const REQUEST = `query Charts($range: MetricRange!) {
  clusters { nodes { name metrics(names: [CPU_USAGE, MEMORY_UTILISATION], range: $range) { values } } }
  workloads(first: 20) { nodes { name metrics(names: [CPU_USAGE, MEMORY_WORKING_SET], range: $range) { values } } }
}`;

/** The answer's data and the PromQL queries it cost. */
async function charts(range: { start: string; end: string; step: number }) {
  const before = fleet.gateway.metrics.queries();
  const answer = await fleet.query(REQUEST, { range });
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return { data: answer.data, queries: fleet.gateway.metrics.queries() - before };
}

/** A window of `points` steps that ended `ago` seconds before now, aligned to the step. */
function pastWindow(step: number, points: number, ago: number) {
  const end = Math.floor((Date.now() / 1000 - ago) / step) * step;
  return {
    start: new Date((end - (points - 1) * step) * 1000).toISOString(),
    end: new Date(end * 1000).toISOString(),
    step,
  };
}

describe("the range cache", () => {
  it("answers a past window asked again without asking Prometheus, with the same series", async () => {
    const range = pastWindow(1, 5, 3);
    const first = await charts(range);
    expect(first.queries).toBeGreaterThan(0);
    expect(JSON.stringify(first.data)).toMatch(/\d\.\d/); // some points, not only nulls
    // Longer than a step: a window still reaching "now" would have expired; only history stays.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const second = await charts(range);
    expect(second.queries).toBe(0);
    expect(second.data).toEqual(first.data);
    // Another window is another question: asked of Prometheus.
    const other = await charts(pastWindow(2, 3, 3));
    expect(other.queries).toBeGreaterThan(0);
  });
});
