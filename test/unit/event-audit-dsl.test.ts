/**
 * Hostile filter values cannot change the shape of an event-history or audit search: whatever a
 * value holds (quotes, wildcards, escapes, JSON, query syntax, thousands of characters), the
 * query built with it has exactly the structure of the query built with a plain value, and the
 * value sits in a term or phrase verbatim. Nothing is ever built as query_string, regexp,
 * wildcard or script.
 */
import { describe, expect, it } from "vitest";
import { auditSpec, type AuditFilter } from "../../src/logs/audit-search.js";
import { eventSpec, type EventHistoryFilter } from "../../src/logs/event-history.js";
import { searchQueryOf } from "../support/search-group.js";

const HOSTILE = [
  'a"b',
  "*",
  "a*b?",
  '\\"',
  '"} }, "query_string": { "query": "*" } }',
  '{"match_all":{}}',
  "OR 1=1",
  "x' OR '1'='1",
  "admin) OR (user:*",
  "/.*/",
  "${jndi:ldap://x}",
  "a".repeat(120) + " OR *:*",
];
const PLAIN = "plain-value";
/** Keywords must hold a letter or digit (others are refused as BAD_USER_INPUT). */
const valuesFor = (field: string) =>
  field === "keywords" ? HOSTILE.filter((v) => /[\p{L}\p{N}]/u.test(v)) : HOSTILE;

const queryOf = searchQueryOf;

/** The query with every occurrence of `value` (as a whole string) replaced by a marker. */
function shape(query: unknown, value: string): unknown {
  return JSON.parse(JSON.stringify(query), (_key, v: unknown) => (v === value ? "<value>" : v));
}

function strings(query: unknown): string[] {
  const found: string[] = [];
  JSON.parse(JSON.stringify(query), (_key, v: unknown) => {
    if (typeof v === "string") found.push(v);
    return v;
  });
  return found;
}

const FORBIDDEN_KEYS = /"(query_string|simple_query_string|regexp|wildcard|prefix|script|fuzzy)"/;

describe("event history filters built from hostile values", () => {
  const fields: (keyof EventHistoryFilter)[] = ["involvedNames", "reasons", "keywords"];
  for (const field of fields)
    it(`keep the query's structure for ${field}`, () => {
      const plain = queryOf(eventSpec({ [field]: [PLAIN] }).spec);
      for (const value of valuesFor(field)) {
        const query = queryOf(eventSpec({ [field]: [value] }).spec);
        expect(shape(query, value), value).toEqual(shape(plain, PLAIN));
        expect(strings(query)).toContain(value);
        expect(JSON.stringify(query)).not.toMatch(FORBIDDEN_KEYS);
      }
    });

  it("puts keywords in match_phrase and names in term clauses, verbatim", () => {
    const query = JSON.stringify(queryOf(eventSpec({ keywords: ['"} OR *'], involvedNames: ["*"] }).spec));
    expect(query).toContain(JSON.stringify({ match_phrase: { message: { query: '"} OR *' } } }));
    expect(query).toContain(JSON.stringify({ term: { "involvedObject.name.keyword": "*" } }));
  });

  it("refuses a kind that is not a kind name, naming the argument", () => {
    expect(() => eventSpec({ involvedKinds: ["Pod OR 1=1"] })).toThrow(
      expect.objectContaining({ extensions: { code: "BAD_USER_INPUT", argument: "filter.involvedKinds" } }),
    );
    expect(() => eventSpec({ involvedNames: ["a".repeat(254)] })).toThrow(/filter.involvedNames/);
  });
});

describe("audit filters built from hostile values", () => {
  for (const field of ["users", "keywords"] as (keyof AuditFilter)[])
    it(`keep the query's structure for ${field}`, () => {
      const plain = queryOf(auditSpec({ [field]: [PLAIN] }));
      for (const value of valuesFor(field)) {
        const query = queryOf(auditSpec({ [field]: [value] }));
        expect(shape(query, value), value).toEqual(shape(plain, PLAIN));
        expect(JSON.stringify(query)).not.toMatch(FORBIDDEN_KEYS);
      }
    });

  it("matches users as the effective user, by exact terms", () => {
    const query = JSON.stringify(queryOf(auditSpec({ users: ["bob*"] })));
    expect(query).toContain(JSON.stringify({ term: { "impersonatedUser.username.keyword": "bob*" } }));
    expect(query).toContain(JSON.stringify({ term: { "user.username.keyword": "bob*" } }));
  });

  it("refuses verbs and resources that are not names, and overlong users, naming the argument", () => {
    for (const [filter, argument] of [
      [{ verbs: ["get OR 1=1"] }, "filter.verbs"],
      [{ resources: ['pods"}'] }, "filter.resources"],
      [{ users: ["u".repeat(257)] }, "filter.users"],
      [{ keywords: ["k".repeat(513)] }, "filter.keywords"],
    ] as [AuditFilter, string][])
      expect(() => auditSpec(filter)).toThrow(
        expect.objectContaining({ extensions: { code: "BAD_USER_INPUT", argument } }),
      );
  });

  it("turns outcomes into code ranges: SUCCESS 2xx-3xx, DENIED 401/403, FAILURE the rest with a code", () => {
    const clauses = (outcome: "SUCCESS" | "DENIED" | "FAILURE") =>
      JSON.stringify(queryOf(auditSpec({ outcomes: [outcome] })));
    expect(clauses("SUCCESS")).toContain(
      JSON.stringify({ range: { "responseStatus.code": { gte: 200, lte: 399 } } }),
    );
    expect(clauses("DENIED")).toContain(JSON.stringify({ terms: { "responseStatus.code": [401, 403] } }));
    expect(clauses("FAILURE")).toContain(JSON.stringify({ exists: { field: "responseStatus.code" } }));
  });
});
