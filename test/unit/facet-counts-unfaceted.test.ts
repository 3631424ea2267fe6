/**
 * Counts of a kind without facets (ConfigMaps): a label set of one namespace is counted from the
 * store's own entries, one spread over namespaces per namespace. Checked against a count of every
 * entry while entries move between label sets and namespaces.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CachedKindSpec } from "../../src/cache/kind-spec.js";
import { IndexedStore } from "../../src/cache/indexed-store.js";
import { internRecord } from "../../src/cache/intern.js";
import { CONFIG_MAP } from "../../src/kinds/index.js";
import { entry } from "./query-fixtures.js";

const LABEL_SETS = (
  [{}, { app: "web" }, { app: "web", tier: "fe" }, { app: "db" }] as Record<string, string>[]
).map(internRecord);
const NAMESPACES = ["a", "b", "c"];
const NAMES = ["x", "y", "z", "w", "v", "u"];

const write = fc.record({
  remove: fc.boolean(),
  name: fc.constantFrom(...NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  labels: fc.constantFrom(...LABEL_SETS),
});

const namespaceChoices = fc.oneof(
  fc.constant("*" as const),
  fc.subarray(NAMESPACES).map((list) => new Set(list)),
);

describe("facet counts of a kind without facets", () => {
  it("equal a count of every entry, through moves between label sets and namespaces", () => {
    fc.assert(
      fc.property(
        fc.array(write, { minLength: 1, maxLength: 60 }),
        namespaceChoices,
        fc.option(fc.constantFrom("web", "db"), { nil: undefined }),
        (writes, namespaces, app) => {
          const store = new IndexedStore("c1", CONFIG_MAP as unknown as CachedKindSpec);
          for (const w of writes) {
            // One uid per name (names stay unique per namespace); an upsert may move it anywhere.
            const uid = w.name;
            if (w.remove) store.remove(uid);
            else
              store.upsert(
                entry({ uid, name: w.name, namespace: w.namespace, labels: w.labels, kind: "ConfigMap" }),
              );
          }
          const labels =
            app === undefined ? undefined : (set: Readonly<Record<string, string>>) => set.app === app;
          const expected = [...store.all()].filter(
            (e) =>
              (namespaces === "*" || namespaces.has(e.namespace)) &&
              (labels === undefined || labels(e.labels)),
          ).length;
          const counted = store.countMatching({ namespaces, sets: undefined, labels, condition: undefined });
          expect(counted).toBe(expected);
        },
      ),
      { seed: 15, numRuns: 300 },
    );
  });
});
