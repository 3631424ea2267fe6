/**
 * Cursors and ids from any text: random strings, base64url of arbitrary JSON, valid cursors with
 * bytes damaged, and cursors of another list or order. Each is either decoded to exactly what was
 * encoded (only an undamaged cursor of the same list) or refused with BAD_USER_INPUT naming the
 * argument — never another error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/cache/query/cursor.js";
import { QueryInputError } from "../../src/cache/query/errors.js";
import {
  decodeMergedCursor,
  encodeMergedCursor,
  type MergedCursor,
} from "../../src/live-read/merged-cursor.js";
import { decodeResourceCursor, encodeResourceCursor } from "../../src/live-read/resource-cursor.js";
import { streamOrderFor } from "../../src/live-read/stream-order.js";
import { decodeEntryCursor, encodeEntryCursor, type EntryList } from "../../src/logs/cursor.js";
import type { Order, SortKey } from "../../src/logs/store-search.js";
import { decodeGlobalId, objectId } from "../../src/query-service/global-id.js";
import { anyText, BASE64URL_TEXT, encodedJson, mutateAll, mutations } from "./arbitraries.js";
import { fuzzSettings, runParameters } from "./fuzz-settings.js";

const settings = fuzzSettings(2000, 5);
const params = runParameters(settings);

/** The cursor's value, or undefined when it was refused the typed way; any other error escapes. */
function decodedOrRefused<T>(argument: string, decode: () => T): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof QueryInputError)) throw error;
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", argument });
    return undefined;
  }
}

const notACursor = fc.oneof(anyText(300), BASE64URL_TEXT, encodedJson);
const name = fc.string({ maxLength: 40 });
const tie = fc.record({ cluster: name, namespace: name, name, uid: name });

describe("keyset cursors of cached lists", () => {
  // JSON has no -0 (creation times are whole milliseconds anyway): d + 0 makes it 0.
  const position = fc.oneof(
    fc.record({
      field: fc.constant("CREATED"),
      key: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d + 0),
    }),
    fc.record({ field: fc.constantFrom("NAME", "NAMESPACE", "CLUSTER"), key: fc.string({ maxLength: 30 }) }),
    fc.record({ field: fc.constantFrom("RESTARTS"), key: fc.oneof(fc.string(), fc.integer()) }),
  );
  const list = fc.constantFrom("Pod", "Deployment", "Node");

  it(
    "decode to what was encoded; damaged or foreign ones are refused as BAD_USER_INPUT",
    () => {
      fc.assert(
        fc.property(
          list,
          list,
          position,
          tie,
          mutations,
          fc.constantFrom("after", "before"),
          (l1, l2, p, at, ms, arg) => {
            const cursor = encodeCursor(l1, p.field, p.key, at);
            expect(decodeCursor(arg, cursor, l1, p.field)).toEqual({ key: p.key, ...at });
            const foreign = decodedOrRefused(arg, () => decodeCursor(arg, cursor, l2, "NAME"));
            if (l1 !== l2 || p.field !== "NAME") expect(foreign).toBeUndefined();
            decodedOrRefused(arg, () => decodeCursor(arg, mutateAll(cursor, ms), l1, p.field));
          },
        ),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "anything else is refused as BAD_USER_INPUT",
    () => {
      fc.assert(
        fc.property(notACursor, fc.constantFrom("NAME", "CREATED", "RESTARTS"), (text, field) => {
          decodedOrRefused("after", () => decodeCursor("after", text, "Pod", field));
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});

describe("cursors of log, event and audit entries", () => {
  const key: fc.Arbitrary<SortKey> = fc.tuple(fc.integer({ min: 0, max: 2 ** 42 }), name, name, fc.nat());
  const order = fc.constantFrom<Order>("asc", "desc");

  const list = fc.constantFrom<EntryList>("logs", "events", "audit");

  it(
    "decode to what was encoded; damaged, other-order, other-list or random ones are refused as BAD_USER_INPUT",
    () => {
      fc.assert(
        fc.property(key, order, list, list, mutations, notACursor, (k, o, l1, l2, ms, text) => {
          const cursor = encodeEntryCursor(k, o, l1);
          expect(decodeEntryCursor(cursor, o, l1)).toEqual(k);
          const otherOrder = o === "asc" ? "desc" : "asc";
          expect(decodedOrRefused("after", () => decodeEntryCursor(cursor, otherOrder, l1))).toBeUndefined();
          const other = decodedOrRefused("after", () => decodeEntryCursor(cursor, o, l2));
          if (l1 !== l2) expect(other).toBeUndefined();
          decodedOrRefused("after", () => decodeEntryCursor(mutateAll(cursor, ms), o, l1));
          decodedOrRefused("after", () => decodeEntryCursor(text, o, l1));
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});

describe("cursors of STRONG lists", () => {
  const order = fc.constantFrom(
    streamOrderFor({ field: "NAME", direction: "ASC" }),
    streamOrderFor({ field: "CLUSTER", direction: "DESC" }),
    streamOrderFor({ field: "NAMESPACE", direction: "ASC" }),
  );
  const merged: fc.Arbitrary<MergedCursor> = fc.record({
    position: fc.record({ key: name, cluster: name, namespace: name, name, uid: name }),
    streams: fc.array(
      fc.record({
        kind: fc.constantFrom("Pod" as const, "Deployment" as const),
        cluster: name,
        namespace: name,
        token: fc.option(fc.string(), { nil: null }),
      }),
      { maxLength: 4 },
    ),
  });

  it(
    "decode to what was encoded; damaged, other-order, CACHED or random ones are refused as BAD_USER_INPUT",
    () => {
      fc.assert(
        fc.property(order, order, merged, mutations, notACursor, (o1, o2, m, ms, text) => {
          const cursor = encodeMergedCursor(o1, m);
          expect(decodeMergedCursor(cursor, o1)).toEqual(m);
          const other = decodedOrRefused("after", () => decodeMergedCursor(cursor, o2));
          if (o1 !== o2) expect(other).toBeUndefined();
          decodedOrRefused("after", () => decodeMergedCursor(mutateAll(cursor, ms), o1));
          decodedOrRefused("after", () => decodeMergedCursor(text, o1));
          const cached = encodeCursor("Pod", "NAME", "a", {
            cluster: "c",
            namespace: "n",
            name: "a",
            uid: "u",
          });
          expect(decodedOrRefused("after", () => decodeMergedCursor(cached, o1))).toBeUndefined();
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});

describe("cursors of generic resource lists", () => {
  const query = fc.record({
    cluster: name,
    apiVersion: name,
    kind: name,
    namespace: name,
    labelSelector: name,
  });

  it(
    "decode to what was encoded; another query's, damaged or random ones are refused as BAD_USER_INPUT",
    () => {
      fc.assert(
        fc.property(
          query,
          query,
          fc.string(),
          fc.nat({ max: 500 }),
          mutations,
          notACursor,
          (q1, q2, token, skip, ms, text) => {
            const cursor = encodeResourceCursor(q1, { token, skip });
            expect(decodeResourceCursor(cursor, q1, 500)).toEqual({ token, skip });
            const other = decodedOrRefused("after", () => decodeResourceCursor(cursor, q2, 500));
            if (JSON.stringify(q1) !== JSON.stringify(q2)) expect(other).toBeUndefined();
            if (skip > 0)
              expect(
                decodedOrRefused("after", () => decodeResourceCursor(cursor, q1, skip - 1)),
              ).toBeUndefined();
            decodedOrRefused("after", () => decodeResourceCursor(mutateAll(cursor, ms), q1, 500));
            decodedOrRefused("after", () => decodeResourceCursor(text, q1, 500));
          },
        ),
        params,
      );
    },
    settings.timeoutMs,
  );
});

describe("global ids", () => {
  it(
    "decode or are refused as BAD_USER_INPUT, whatever the text or damage",
    () => {
      fc.assert(
        fc.property(
          notACursor,
          mutations,
          fc.constantFrom("Pod", "Deployment", "Node"),
          name,
          name,
          (text, ms, kind, cluster, uid) => {
            decodedOrRefused("id", () => decodeGlobalId(text));
            decodedOrRefused("id", () => decodeGlobalId(mutateAll(objectId(kind, cluster, uid), ms)));
          },
        ),
        params,
      );
    },
    settings.timeoutMs,
  );
});
