/**
 * The dependency audit's verdict (scripts/npm-audit.ts) on reports in npm 7+'s `npm audit --json`
 * shape: high and critical advisories fail unless an unexpired allow-list entry names them; an
 * advisory service that did not answer is told apart from a clean report.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { judge, parseAllowlist, type AllowedAdvisory } from "../../scripts/npm-audit.js";

/** A report as npm writes it: the advisory sits in `via` of the package it is about. */
function report(advisories: { name: string; severity: string; ghsa: string }[]): unknown {
  const vulnerabilities: Record<string, unknown> = {};
  for (const a of advisories)
    vulnerabilities[a.name] = {
      name: a.name,
      severity: a.severity,
      isDirect: false,
      via: [
        {
          source: 1_000_000 + advisories.indexOf(a),
          name: a.name,
          dependency: a.name,
          title: `${a.name} is vulnerable`,
          url: `https://github.com/advisories/${a.ghsa}`,
          severity: a.severity,
          range: "<1.2.3",
        },
      ],
      effects: ["parent"],
      range: "<1.2.3",
      fixAvailable: true,
    };
  // A package vulnerable only through another names it by string.
  vulnerabilities.parent = {
    name: "parent",
    severity: "high",
    via: advisories.map((a) => a.name),
    effects: [],
  };
  return { auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: {} } };
}

const HIGH = { name: "left-pad", severity: "high", ghsa: "GHSA-aaaa-bbbb-cccc" };
const CRITICAL = { name: "right-pad", severity: "critical", ghsa: "GHSA-dddd-eeee-ffff" };
const MODERATE = { name: "mid-pad", severity: "moderate", ghsa: "GHSA-gggg-hhhh-iiii" };
const allow = (id: string, pkg: string, expires = "2099-01-01"): AllowedAdvisory => ({
  id,
  package: pkg,
  reason: "only the dev server uses it",
  expires,
});
const TODAY = "2026-12-06";

describe("the npm audit verdict", () => {
  it("fails on high and critical advisories, once each, and ignores moderate ones", () => {
    const verdict = judge(report([HIGH, CRITICAL, MODERATE]), [], TODAY);
    expect(verdict.kind).toBe("checked");
    if (verdict.kind !== "checked") return;
    expect(verdict.failing.map((a) => [a.id, a.package, a.severity])).toEqual([
      ["GHSA-aaaa-bbbb-cccc", "left-pad", "high"],
      ["GHSA-dddd-eeee-ffff", "right-pad", "critical"],
    ]);
  });

  it("passes a clean report", () => {
    expect(judge(report([MODERATE]), [], TODAY)).toEqual({
      kind: "checked",
      failing: [],
      excused: [],
      stale: [],
    });
  });

  it("excuses what an unexpired entry names (id and package), and says which entries are stale", () => {
    const gone = allow("GHSA-zzzz-zzzz-zzzz", "old-pkg");
    const expired = allow(CRITICAL.ghsa, CRITICAL.name, "2026-12-05");
    const verdict = judge(report([HIGH, CRITICAL]), [allow(HIGH.ghsa, HIGH.name), expired, gone], TODAY);
    if (verdict.kind !== "checked") throw new Error("expected a checked report");
    expect(verdict.excused.map((a) => a.id)).toEqual([HIGH.ghsa]);
    expect(verdict.failing.map((a) => a.id)).toEqual([CRITICAL.ghsa]);
    expect(verdict.stale).toEqual([expired, gone]);
    // The same id for another package is not excused.
    const other = judge(report([HIGH]), [allow(HIGH.ghsa, "another")], TODAY);
    expect(other.kind === "checked" && other.failing.map((a) => a.package)).toEqual(["left-pad"]);
  });

  it("tells an advisory service that did not answer from a clean report", () => {
    const refused = {
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
    };
    expect(judge(refused, [], TODAY)).toEqual({ kind: "unavailable", why: refused.message });
    expect(
      judge({ error: { code: "ENOTFOUND", summary: "getaddrinfo ENOTFOUND registry.npmjs.org" } }, [], TODAY),
    ).toEqual({
      kind: "unavailable",
      why: "getaddrinfo ENOTFOUND registry.npmjs.org",
    });
    expect(judge(null, [], TODAY).kind).toBe("unavailable");
  });
});

describe("the allow-list", () => {
  it("reads entries with an id, a package, a reason and an expiry date", () => {
    const entry = allow("GHSA-aaaa-bbbb-cccc", "left-pad");
    expect(parseAllowlist(JSON.stringify({ advisories: [entry] }))).toEqual([entry]);
  });

  it("refuses entries without a reason or with a malformed date, naming the field", () => {
    expect(() =>
      parseAllowlist(JSON.stringify({ advisories: [{ ...allow("x", "y"), reason: "" }] })),
    ).toThrow("advisories[0].reason must be a non-empty string");
    expect(() => parseAllowlist(JSON.stringify({ advisories: [allow("x", "y", "next year")] }))).toThrow(
      "advisories[0].expires must be YYYY-MM-DD",
    );
    expect(() => parseAllowlist("{}")).toThrow("`advisories` must be a list");
  });

  it("the project's list is valid", async () => {
    const text = await readFile(new URL("../../.audit-allowlist.json", import.meta.url), "utf8");
    for (const entry of parseAllowlist(text)) expect(entry.reason.length, entry.id).toBeGreaterThan(20);
  });
});
