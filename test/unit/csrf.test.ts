import { describe, expect, it } from "vitest";
import { csrfRefusal } from "../../src/http/csrf.js";

const headers =
  (h: Record<string, string>) =>
  (name: string): string | undefined =>
    h[name];

describe("csrfRefusal", () => {
  it("refuses what a form or a plain cross-site request can send without a preflight", () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      undefined,
    ]) {
      const refusal = csrfRefusal(type, headers({}));
      expect(refusal, String(type)).toMatch(/Cross-Site Request Forgery \(CSRF\)/);
      expect(refusal).toContain("apollo-require-preflight");
    }
  });

  it("lets through any other content type, and simple requests naming a preflight header", () => {
    expect(csrfRefusal("application/json", headers({}))).toBeUndefined();
    expect(csrfRefusal("application/graphql-response+json", headers({}))).toBeUndefined();
    expect(csrfRefusal("text/plain", headers({ "apollo-require-preflight": "1" }))).toBeUndefined();
    expect(csrfRefusal(undefined, headers({ "x-apollo-operation-name": "Q" }))).toBeUndefined();
  });

  it("does not count an empty preflight header", () => {
    expect(csrfRefusal(undefined, headers({ "apollo-require-preflight": "" }))).toBeDefined();
  });
});
