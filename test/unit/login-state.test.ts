/** The login's pure parts: the signed login cookie, same-origin redirects, and claim mapping. */
import { describe, expect, it } from "vitest";
import { mapClaims } from "../../auth/identity/claim-mapping.js";
import { LoginError } from "../../auth/identity/login-errors.js";
import { isSameOriginPath, openLoginState, sealLoginState } from "../../auth/identity/login-state.js";

const STATE = { state: "s", nonce: "n", codeVerifier: "v", redirect: "/graphql", expiresAt: 1_000 };

describe("login cookie", () => {
  it("opens what it sealed, until it expires", () => {
    const sealed = sealLoginState(STATE, "secret");
    expect(openLoginState(sealed, "secret", 999)).toEqual(STATE);
    expect(openLoginState(sealed, "secret", 1_000)).toBeUndefined();
  });

  it("refuses another secret, an edited payload and garbage", () => {
    const sealed = sealLoginState(STATE, "secret");
    expect(openLoginState(sealed, "other", 0)).toBeUndefined();
    const [, signature] = sealed.split(".");
    const edited = Buffer.from(JSON.stringify({ ...STATE, redirect: "/x" })).toString("base64url");
    expect(openLoginState(`${edited}.${signature}`, "secret", 0)).toBeUndefined();
    expect(openLoginState("nonsense", "secret", 0)).toBeUndefined();
    expect(openLoginState(`${sealed}.extra`, "secret", 0)).toBeUndefined();
  });
});

describe("same-origin redirects", () => {
  it.each(["/", "/graphql", "/a/b?c=d#e"])("keeps %s", (path) => expect(isSameOriginPath(path)).toBe(true));
  it.each(["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/", "graphql", ""])(
    "refuses %j",
    (path) => expect(isSameOriginPath(path)).toBe(false),
  );
});

describe("claim mapping", () => {
  const claims = { sub: "u-1", preferred_username: "alice", groups: ["retail", 3, ""], email: "a@x" };

  it("takes sub and groups by default, as kube-apiserver does", () => {
    expect(mapClaims(claims)).toEqual({ user: "u-1", groups: ["retail"] });
  });

  it("follows configured claims and prefixes, and reads one group given as a string", () => {
    expect(
      mapClaims(
        { ...claims, roles: "ops" },
        { username: "preferred_username", usernamePrefix: "oidc:", groups: "roles", groupsPrefix: "oidc:" },
      ),
    ).toEqual({ user: "oidc:alice", groups: ["oidc:ops"] });
  });

  it("refuses an ID token without the user name claim", () => {
    expect(() => mapClaims(claims, { username: "upn" })).toThrow(LoginError);
    expect(() => mapClaims(claims, { username: "upn" })).toThrow(/"upn"/);
  });
});
