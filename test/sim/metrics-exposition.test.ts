import { describe, expect, it } from "vitest";
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  labelNameFromKey,
  labelsFromKeys,
  MetricFamily,
  renderFamilies,
} from "../../sim/metrics/exposition.js";
import { parseScrape } from "./metrics-scrape.js";

describe("text exposition format 0.0.4", () => {
  it("writes HELP and TYPE once, then every sample of the family", () => {
    const family = new MetricFamily("kube_pod_info", "gauge", "Information about pod.")
      .add({ namespace: "shop", pod: "a" }, 1)
      .add({ namespace: "shop", pod: "b" }, 1);
    expect(family.render()).toBe(
      [
        "# HELP kube_pod_info Information about pod.",
        "# TYPE kube_pod_info gauge",
        'kube_pod_info{namespace="shop",pod="a"} 1',
        'kube_pod_info{namespace="shop",pod="b"} 1',
        "",
      ].join("\n"),
    );
  });

  it("escapes backslash, double quote and newline in label values", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = new MetricFamily("x", "gauge", "h").add({ v: 'say "hi"\\\n' }, 2).render();
    expect(text).toContain('x{v="say \\"hi\\"\\\\\\n"} 2');
    // and a parser reading it back gets the original value
    expect(parseScrape(text).samples[0]!.labels.v).toBe('say "hi"\\\n');
  });

  it("escapes only backslash and newline in HELP text", () => {
    expect(escapeHelp('a "quoted"\\ line\nnext')).toBe('a "quoted"\\\\ line\\nnext');
  });

  it("formats special values as Prometheus reads them", () => {
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(Infinity)).toBe("+Inf");
    expect(formatValue(-Infinity)).toBe("-Inf");
    expect(formatValue(0.25)).toBe("0.25");
    expect(formatValue(1e21)).toBe("1e+21");
  });

  it("writes a sample without labels without braces", () => {
    expect(new MetricFamily("up", "gauge", "h").add({}, 1).render()).toContain("\nup 1\n");
  });

  it("refuses invalid metric and label names", () => {
    expect(() => new MetricFamily("kube-pod", "gauge", "h")).toThrow(/invalid metric name/);
    expect(() => new MetricFamily("x", "gauge", "h").add({ "app.kubernetes.io/name": "a" }, 1)).toThrow(
      /invalid label name/,
    );
    expect(() => new MetricFamily("x", "gauge", "h").add({ __name__: "a" }, 1)).toThrow(/invalid label name/);
  });

  it("turns Kubernetes label keys into label names as kube-state-metrics does", () => {
    expect(labelNameFromKey("kubesphere.io/workspace")).toBe("label_kubesphere_io_workspace");
    expect(labelNameFromKey("app.kubernetes.io/part-of")).toBe("label_app_kubernetes_io_part_of");
  });

  it("numbers label keys that sanitise to the same name, so the scrape stays valid", () => {
    expect(labelsFromKeys({ "a.b": "1", "a-b": "2", c: "3" })).toEqual({
      label_a_b_conflict1: "2",
      label_a_b_conflict2: "1",
      label_c: "3",
    });
  });

  it("leaves out families without samples", () => {
    const empty = new MetricFamily("a", "counter", "h");
    const full = new MetricFamily("b", "counter", "h").add({}, 3);
    expect(renderFamilies([empty, full])).toBe("# HELP b h\n# TYPE b counter\nb 3\n");
  });
});
