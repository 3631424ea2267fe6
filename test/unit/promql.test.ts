/**
 * Values reaching PromQL: checked against the Kubernetes grammar of what they name, then quoted so
 * that no value can close its string or widen its regex. Parsed back with promtool-free checks:
 * the quoting is JSON's, which PromQL's Go unquoting reads back to the same string.
 */
import { describe, expect, it } from "vitest";
import {
  checkName,
  escapeRegex,
  labelMatcher,
  PromQLValueError,
  stringLiteral,
} from "../../src/backends/prometheus/promql.js";
import { seriesQuery } from "../../src/backends/prometheus/series.js";

describe("checkName", () => {
  it("accepts Kubernetes names and refuses anything else with BAD_USER_INPUT", () => {
    expect(checkName("namespace", "team-a")).toBe("team-a");
    expect(checkName("pod", "web-7d9f8-abcde")).toBe("web-7d9f8-abcde");
    expect(checkName("node", "ip-10-0-1-2.ec2.internal")).toBe("ip-10-0-1-2.ec2.internal");
    for (const hostile of ['a"}', "a|.*", "a.*", "", "A", 'x",namespace=~".*', "a\nb", "a-"]) {
      expect(() => checkName("namespace", hostile)).toThrow(PromQLValueError);
    }
    expect(() => checkName("pod", "x".repeat(254))).toThrow(PromQLValueError);
    try {
      checkName("namespace", "a|b");
    } catch (e) {
      expect((e as PromQLValueError).extensions).toEqual({ code: "BAD_USER_INPUT", argument: "namespace" });
    }
  });
});

describe("quoting", () => {
  it("round-trips any string through the literal", () => {
    for (const value of ['a"b', "a\\b", "a\nb", "\u0000", 'x"} or vector(1) #'])
      expect(JSON.parse(stringLiteral(value))).toBe(value);
  });

  it("escapes every regex metacharacter", () => {
    const hostile = ".*|a+b?(c)[d]{e}^$\\";
    const pattern = new RegExp(`^(?:${escapeRegex(hostile)})$`);
    expect(pattern.test(hostile)).toBe(true);
    expect(pattern.test("anything")).toBe(false);
  });

  it("writes one exact value as =, several as an anchored alternation, prefixes as name-.+", () => {
    expect(labelMatcher("pod", [{ exact: "web-1" }])).toBe('pod="web-1"');
    expect(labelMatcher("pod", [{ exact: "b.c" }, { exact: "a" }])).toBe('pod=~"a|b\\\\.c"');
    expect(labelMatcher("pod", [{ prefix: "web" }])).toBe('pod=~"web-.+"');
    expect(() => labelMatcher("__name__", [{ exact: "x" }])).toThrow();
    expect(() => labelMatcher("pod", [])).toThrow();
  });
});

describe("seriesQuery", () => {
  it("aggregates by the level's labels and places the request's matchers after the template's", () => {
    expect(seriesQuery("cpu_usage", "pod", ['cluster="east"', 'namespace="a"'])).toBe(
      'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",cluster="east",namespace="a"}[5m]))',
    );
    expect(seriesQuery("pod_count", "cluster", [])).toBe("count by () (kube_pod_info{})");
    expect(seriesQuery("replicas_available", "statefulset", [])).toBe(
      "sum by (namespace, statefulset) (kube_statefulset_status_replicas_ready{})",
    );
    expect(() => seriesQuery("node_load1", "pod", [])).toThrow(/no pod level/);
  });
});
