/**
 * Label and field selectors from any text: a selector either parses into requirements the API
 * server would accept (and formats back to the same requirements) or is refused with the
 * parser's own typed error, which the query layer turns into BAD_USER_INPUT. Matching agrees
 * with a model that reads only the labels an object has.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileFilter } from "../../src/cache/query/filter.js";
import { QueryInputError } from "../../src/cache/query/errors.js";
import { FieldSelectorError, parseFieldSelector } from "../../src/kube/field-selector.js";
import {
  formatLabelSelector,
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  validateLabelKey,
  validateLabelValue,
  type LabelRequirement,
} from "../../src/kube/label-selector.js";
import { anyText, mutateAll, mutations, tokenText } from "./arbitraries.js";
import { fuzzSettings, runParameters } from "./fuzz-settings.js";

const settings = fuzzSettings(2000, 5);
const params = runParameters(settings);

const SELECTOR_TOKENS = [
  "app",
  "tier",
  "x",
  "example.com/",
  "a.b-c/",
  "k8s.io/name",
  "constructor",
  "toString",
  "__proto__",
  "=",
  "==",
  "!=",
  "!",
  " in ",
  " notin ",
  "in",
  "(",
  ")",
  ",",
  " ",
  "web",
  "v1.2",
  "-",
  "_",
  ".",
  "",
];
const selectorText = fc.oneof(anyText(), tokenText(SELECTOR_TOKENS));

function parseOrRefuse(text: string): readonly LabelRequirement[] | undefined {
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof LabelSelectorError) return undefined;
    throw error;
  }
}

const labelName = fc.stringMatching(/^[a-z0-9]([-a-z0-9_.]{0,10}[a-z0-9])?$/);
const labelKey = fc.oneof(
  labelName,
  fc.constantFrom("constructor", "toString", "hasOwnProperty", "valueOf"),
  fc
    .tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\.[a-z0-9]{1,5}){0,2}$/), labelName)
    .map(([prefix, name]) => `${prefix}/${name}`),
);
const labelValue = fc.oneof(fc.constant(""), labelName);
const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("=" as const, "!=" as const),
    values: labelValue.map((v) => [v]),
  }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("in" as const, "notin" as const),
    values: fc.array(labelName, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("exists" as const, "!exists" as const),
    values: fc.constant<string[]>([]),
  }),
);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 4 });

/** What a requirement means, read only from the labels an object has. */
function modelMatches(req: LabelRequirement, have: ReadonlyMap<string, string>): boolean {
  const value = have.get(req.key);
  switch (req.operator) {
    case "=":
      return value === req.values[0];
    case "!=":
      return value !== req.values[0];
    case "in":
      return value !== undefined && req.values.includes(value);
    case "notin":
      return value === undefined || !req.values.includes(value);
    case "exists":
      return value !== undefined;
    case "!exists":
      return value === undefined;
  }
}

describe("label selectors from any text", () => {
  it(
    "parse into valid requirements that format back to themselves, or are refused with LabelSelectorError",
    () => {
      fc.assert(
        fc.property(selectorText, (text) => {
          const parsed = parseOrRefuse(text);
          if (parsed === undefined) return;
          for (const r of parsed) {
            expect(validateLabelKey(r.key)).toBeUndefined();
            for (const v of r.values) expect(validateLabelValue(v)).toBeUndefined();
            if (r.operator === "in" || r.operator === "notin") expect(r.values.length).toBeGreaterThan(0);
          }
          expect(parseLabelSelector(formatLabelSelector(parsed))).toEqual(parsed);
        }),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "valid selectors, damaged, still parse or are refused with LabelSelectorError",
    () => {
      fc.assert(
        fc.property(fc.array(requirement, { minLength: 1, maxLength: 4 }), mutations, (reqs, ms) => {
          const text = formatLabelSelector(reqs);
          expect(parseLabelSelector(text)).toEqual(reqs);
          parseOrRefuse(mutateAll(text, ms));
        }),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "reach the query layer as BAD_USER_INPUT naming the argument",
    () => {
      fc.assert(
        fc.property(selectorText, (text) => {
          try {
            compileFilter({ kind: "Pod", clusterScoped: false }, { labelSelector: text });
          } catch (error) {
            expect(error).toBeInstanceOf(QueryInputError);
            expect((error as QueryInputError).extensions).toEqual({
              code: "BAD_USER_INPUT",
              argument: "labelSelector",
            });
          }
        }),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "match exactly the labels an object has (inherited properties are no labels)",
    () => {
      fc.assert(
        fc.property(fc.array(requirement, { maxLength: 4 }), labels, (reqs, have) => {
          const model = new Map(Object.entries(have));
          expect(matchesLabels(reqs, have)).toBe(reqs.every((r) => modelMatches(r, model)));
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});

describe("field selectors from any text", () => {
  it(
    "parse into = and != requirements or are refused with FieldSelectorError",
    () => {
      const fieldText = fc.oneof(
        anyText(),
        tokenText(["metadata.name", "status.phase", "=", "==", "!=", ",", "\\", "\\,", "x", " "]),
      );
      fc.assert(
        fc.property(fieldText, (text) => {
          try {
            for (const r of parseFieldSelector(text)) {
              expect(["=", "!="]).toContain(r.operator);
              expect(r.field).not.toMatch(/[=!]/);
            }
          } catch (error) {
            if (!(error instanceof FieldSelectorError)) throw error;
          }
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});
