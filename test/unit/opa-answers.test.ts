/**
 * The two entry points' answers read strictly, the policy path normalised, and the answer cache's
 * expiry, sharing and bound under a controlled clock.
 */
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../auth/access/answer-cache.js";
import { readAllowAnswer, readScopeAnswer } from "../../auth/access/opa-answers.js";
import { policyPath } from "../../auth/access/opa-policy.js";
import { PolicyUnavailableError } from "../../auth/access/policy-errors.js";

const P = "fleetgraph/scope";

function failureOf(read: () => unknown): PolicyUnavailableError {
  try {
    read();
  } catch (error) {
    if (error instanceof PolicyUnavailableError) return error;
    throw error;
  }
  throw new Error("expected a PolicyUnavailableError");
}

describe("readScopeAnswer", () => {
  it("reads grants, keeping only the keys OPA gave", () => {
    expect(
      readScopeAnswer(P, {
        grants: [
          { cluster: "prod-eu", namespaces: ["payments"] },
          { cluster: "*", namespaces: "*", kinds: ["Pod"], clusterKinds: "*" },
        ],
      }),
    ).toEqual([
      { cluster: "prod-eu", namespaces: ["payments"] },
      { cluster: "*", namespaces: "*", kinds: ["Pod"], clusterKinds: "*" },
    ]);
    expect(
      Object.keys((readScopeAnswer(P, { grants: [{ cluster: "a", namespaces: [] }] }) as object[])[0]!),
    ).toEqual(["cluster", "namespaces"]);
  });

  it("reads `{everything: true}`", () => {
    expect(readScopeAnswer(P, { everything: true })).toBe("everything");
  });

  it.each([
    [{ grants: [{ cluster: "a", namespaces: "all" }] }, "grants[0].namespaces"],
    [{ grants: [{ cluster: "", namespaces: "*" }] }, "grants[0].cluster"],
    [{ grants: [{ cluster: "a", namespaces: "*", kind: ["Pod"] }] }, "grants[0]"],
    [{ grants: [{ cluster: "a", namespaces: "*", kinds: [3] }] }, "grants[0].kinds"],
    [{ grants: {} }, "grants"],
    [{ everything: "yes" }, "everything"],
    [{ everything: true, grants: [] }, ""],
    [["prod-eu"], ""],
  ])("refuses %j as malformed, pointing at %s", (result, field) => {
    const error = failureOf(() => readScopeAnswer(P, result));
    expect(error.failure).toBe("malformed");
    expect(error.message.startsWith(`policy service answered a malformed decision at ${P}: ${field}`)).toBe(
      true,
    );
  });

  it("refuses an undefined decision", () => {
    expect(failureOf(() => readScopeAnswer(P, undefined)).failure).toBe("undefined");
  });
});

describe("readAllowAnswer", () => {
  const A = "fleetgraph/allow";

  it("reads booleans and {allowed, reason}", () => {
    expect(readAllowAnswer(A, true)).toEqual({ allowed: true });
    expect(readAllowAnswer(A, false)).toEqual({
      allowed: false,
      reason: "denied by policy fleetgraph/allow",
    });
    expect(readAllowAnswer(A, { allowed: false, reason: "protected" })).toEqual({
      allowed: false,
      reason: "protected",
    });
    expect(readAllowAnswer(A, { allowed: false })).toEqual({
      allowed: false,
      reason: "denied by policy fleetgraph/allow",
    });
    // A reason given with an allow is not a denial's reason: it is dropped.
    expect(readAllowAnswer(A, { allowed: true, reason: "admin" })).toEqual({ allowed: true });
  });

  it.each([["true"], [1], [null], [{ allow: true }], [{ allowed: "true" }], [{ allowed: true, why: "x" }]])(
    "refuses %j as malformed",
    (result) => {
      expect(failureOf(() => readAllowAnswer(A, result)).failure).toBe("malformed");
    },
  );
});

describe("policyPath", () => {
  it("drops stray slashes and refuses an empty path", () => {
    expect(policyPath("/acme/fleet/scope/")).toBe("acme/fleet/scope");
    expect(policyPath("fleetgraph/allow")).toBe("fleetgraph/allow");
    expect(() => policyPath("//")).toThrow(TypeError);
  });
});

describe("AnswerCache", () => {
  function counting() {
    const asked: string[] = [];
    return { asked, ask: (answer: string) => () => (asked.push(answer), Promise.resolve(answer)) };
  }

  it("reuses an answer until its time to live has passed", async () => {
    let now = 1000;
    const cache = new AnswerCache<string>({ ttlMs: 500, now: () => now });
    const { asked, ask } = counting();
    expect(await cache.get("k", ask("one"))).toBe("one");
    now += 499;
    expect(await cache.get("k", ask("two"))).toBe("one");
    now += 1;
    expect(await cache.get("k", ask("three"))).toBe("three");
    expect(asked).toEqual(["one", "three"]);
  });

  it("keeps at most maxEntries keys, dropping expired ones first, then the oldest", async () => {
    let now = 0;
    const cache = new AnswerCache<string>({ ttlMs: 100, maxEntries: 2, now: () => now });
    const { asked, ask } = counting();
    await cache.get("a", ask("a1"));
    now = 150;
    await cache.get("b", ask("b1"));
    await cache.get("c", ask("c1")); // "a" has expired: it goes
    expect(cache.size).toBe(2);
    await cache.get("d", ask("d1")); // nothing expired: the oldest ("b") goes
    expect(cache.size).toBe(2);
    await cache.get("c", ask("c2"));
    await cache.get("b", ask("b2"));
    expect(asked).toEqual(["a1", "b1", "c1", "d1", "b2"]);
  });
});
