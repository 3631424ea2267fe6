/** Which browser origins may open a subscription socket (src/http/origin.ts). */
import { describe, expect, it } from "vitest";
import { originAllowed } from "../../src/http/origin.js";

describe("originAllowed", () => {
  it("lets clients that send no Origin through (they are not browsers)", () => {
    expect(originAllowed(undefined, "gw.example.com:4000", [])).toBe(true);
    expect(originAllowed("", "gw.example.com:4000", [])).toBe(true);
  });

  it("allows the gateway's own origin (its explorer), whatever the scheme", () => {
    expect(originAllowed("http://gw.example.com:4000", "gw.example.com:4000", [])).toBe(true);
    expect(originAllowed("https://GW.example.com:4000", "gw.example.com:4000", [])).toBe(true);
  });

  it("refuses other origins unless listed, comparing scheme, host and port exactly", () => {
    const allowed = ["https://portal.example.com"];
    expect(originAllowed("https://evil.example.net", "gw.example.com:4000", allowed)).toBe(false);
    expect(originAllowed("https://portal.example.com", "gw.example.com:4000", allowed)).toBe(true);
    expect(originAllowed("https://portal.example.com/", "gw.example.com:4000", allowed)).toBe(true);
    expect(originAllowed("http://portal.example.com", "gw.example.com:4000", allowed)).toBe(false);
    expect(originAllowed("https://portal.example.com:8443", "gw.example.com:4000", allowed)).toBe(false);
    expect(originAllowed("https://portal.example.com.evil.net", "gw.example.com:4000", allowed)).toBe(false);
    // A port-less Host does not match an origin with a port, and the reverse.
    expect(originAllowed("http://gw.example.com:4000", "gw.example.com", [])).toBe(false);
  });

  it('allows any origin with "*", and refuses what is not an origin at all', () => {
    expect(originAllowed("https://anything.example", "gw:4000", ["*"])).toBe(true);
    expect(originAllowed("null", "gw:4000", [])).toBe(false);
    expect(originAllowed("not a url", "gw:4000", ["https://portal.example.com"])).toBe(false);
  });
});
