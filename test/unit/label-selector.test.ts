import { describe, expect, it } from "vitest";
import {
  LabelSelectorError,
  formatLabelSelector,
  fromLabelSelectorObject,
  matchesLabels,
  parseLabelSelector,
} from "../../src/kube/label-selector.js";
import { FieldSelectorError, matchesFields, parseFieldSelector } from "../../src/kube/field-selector.js";

const labels = { app: "web", tier: "frontend", "app.kubernetes.io/name": "shop" };

describe("label selectors", () => {
  it.each([
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app=db", false],
    ["app in (web,db)", true],
    ["app notin (web)", false],
    ["app notin (db)", true],
    ["missing notin (db)", true],
    ["tier", true],
    ["!tier", false],
    ["!missing", true],
    ["app.kubernetes.io/name=shop,tier=frontend", true],
    ["app.kubernetes.io/name=shop, tier=backend", false],
    ["app in (web), !missing, tier", true],
    ["missing!=x", true],
  ])("%s matches: %s", (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    ["app=", { app: "" }, true],
    ["app=", { app: "x" }, false],
  ])("empty value %s", (selector, l, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), l)).toBe(expected);
  });

  it.each([
    "app in ()",
    "app in (a",
    "app=web=",
    "=web",
    "app in a",
    "Bad Key=1",
    "app=-bad-",
    "a/b/c=1",
    "UPPER.example.com/x=1",
    "app=" + "x".repeat(64),
    "app,",
  ])("rejects %s with a clear message", (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(/unable to parse requirement/);
  });

  it("round-trips through the formatter", () => {
    const text = "app=web,tier!=db,env in (a,b),x notin (c),y,!z";
    expect(formatLabelSelector(parseLabelSelector(text))).toBe(text);
  });

  it("converts metav1.LabelSelector objects", () => {
    const selector = fromLabelSelectorObject({
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["frontend", "edge"] }],
    });
    expect(matchesLabels(selector, labels)).toBe(true);
    expect(matchesLabels(selector, { app: "web", tier: "db" })).toBe(false);
    expect(() => fromLabelSelectorObject({ matchExpressions: [{ key: "a", operator: "Gt" }] })).toThrow(
      LabelSelectorError,
    );
    for (const operator of ["constructor", "toString"])
      expect(() => fromLabelSelectorObject({ matchExpressions: [{ key: "a", operator }] }), operator).toThrow(
        LabelSelectorError,
      );
  });

  it("reads only the labels an object has, not what every object inherits (found by fuzzing)", () => {
    for (const key of ["constructor", "toString", "hasOwnProperty"]) {
      expect(matchesLabels(parseLabelSelector(key), {}), key).toBe(false);
      expect(matchesLabels(parseLabelSelector(`!${key}`), {}), key).toBe(true);
      expect(matchesLabels(parseLabelSelector(`${key} notin (x)`), {}), key).toBe(true);
      expect(matchesLabels(parseLabelSelector(key), { [key]: "v" }), key).toBe(true);
    }
  });
});

describe("field selectors", () => {
  const fields: Record<string, string> = { "metadata.name": "web-1", "status.phase": "Running" };
  const get = (f: string) => fields[f];

  it("parses =, == and != and matches", () => {
    expect(matchesFields(parseFieldSelector("metadata.name=web-1"), get)).toBe(true);
    expect(matchesFields(parseFieldSelector("metadata.name==web-1,status.phase!=Pending"), get)).toBe(true);
    expect(matchesFields(parseFieldSelector("status.phase!=Running"), get)).toBe(false);
    expect(matchesFields(parseFieldSelector(""), get)).toBe(true);
  });

  it("treats a missing field as the empty string, like the API server", () => {
    expect(matchesFields(parseFieldSelector("spec.nodeName="), get)).toBe(true);
    expect(matchesFields(parseFieldSelector("spec.nodeName!="), get)).toBe(false);
  });

  it("unescapes values and rejects garbage", () => {
    expect(parseFieldSelector("a=x\\,y")).toEqual([{ field: "a", operator: "=", value: "x,y" }]);
    expect(() => parseFieldSelector("justtext")).toThrow(FieldSelectorError);
  });
});
