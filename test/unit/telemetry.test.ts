/** The small rules of the gateway's telemetry: bounded operation names, request ids, when to trace. */
import { describe, expect, it } from "vitest";
import { ANONYMOUS, BoundedNames, OTHER } from "../../src/telemetry/bounded-names.js";
import { requestIdOf } from "../../src/telemetry/request-id.js";
import { startTracing } from "../../src/telemetry/tracing.js";
import { parseConfig } from "../../src/config/index.js";

describe("operation names as label values", () => {
  it("are 'anonymous' without a name and 'other' past the cap", () => {
    const names = new BoundedNames(2);
    expect(names.label(undefined)).toBe(ANONYMOUS);
    expect(names.label("")).toBe(ANONYMOUS);
    expect(names.label("A")).toBe("A");
    expect(names.label("B")).toBe("B");
    expect(names.label("C")).toBe(OTHER);
    expect(names.label("A")).toBe("A");
  });
});

describe("request ids", () => {
  it("keep a sane client id and replace anything else", () => {
    expect(requestIdOf("req-1.2:3")).toBe("req-1.2:3");
    expect(requestIdOf(["first", "second"])).toBe("first");
    for (const bad of [undefined, "", "has space", "x".repeat(129), "new\nline", 'quote"'])
      expect(requestIdOf(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe("tracing", () => {
  it("is off without an OTLP endpoint, on with one in the config or the environment", async () => {
    expect(startTracing({ settings: undefined, env: {} })).toBeUndefined();
    expect(startTracing({ settings: {}, env: { OTEL_EXPORTER_OTLP_ENDPOINT: " " } })).toBeUndefined();
    for (const tracing of [
      startTracing({ settings: { otlpEndpoint: "http://127.0.0.1:4318" }, env: {} }),
      startTracing({ settings: {}, env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" } }),
    ]) {
      expect(tracing).toBeDefined();
      await tracing!.stop();
    }
  });

  it("reads telemetry settings from the config file", () => {
    const config = parseConfig(
      "telemetry:\n  metrics: false\n  tracing:\n    otlpEndpoint: http://collector:4318\n    sampleRatio: 0.25\n",
      "/tmp/fleetgraph.yaml",
    );
    expect(config.telemetry).toEqual({
      metrics: false,
      tracing: { otlpEndpoint: "http://collector:4318", sampleRatio: 0.25 },
    });
    expect(() => parseConfig("telemetry:\n  tracing:\n    sampleRatio: 2\n", "/tmp/f.yaml")).toThrow(
      /sampleRatio/,
    );
  });
});
