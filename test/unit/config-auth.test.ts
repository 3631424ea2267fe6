import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfig } from "../../src/config/index.js";
import { configError, scratch } from "./config-fixtures.js";

const FILE = "/etc/fleetgraph/fleetgraph.yaml";

describe("config: the auth section", () => {
  it("applies defaults and reads secret files relative to the config file", () => {
    const s = scratch();
    s.write("secrets/client", "s3cret\n");
    s.write("secrets/key-1", "0123456789abcdef0123456789abcdef\n");
    const path = s.write(
      "fleetgraph.yaml",
      `auth:
  publicUrl: https://fleet.example.com/
  oidc:
    issuer: https://idp.example.com/realms/k8s/
    clientId: fleetgraph
    clientSecretFile: secrets/client
  sessions:
    signingKeys:
      - { id: k2, secret: "second-key-0123456789abcdef012345" }
      - { id: k1, secretFile: secrets/key-1 }
  redis: { url: "redis://127.0.0.1:6379/2" }
  opa: { url: "http://127.0.0.1:8181" }
  roleBindings:
    - { role: platform-admin, users: [admin] }
    - { role: workspace-admin, workspace: retail, groups: ["workspace:retail"] }
    - { role: cluster-viewer, cluster: "*", groups: [auditors] }
    - { role: viewer, namespace: search, users: [bob] }
`,
    );
    const auth = loadConfigFile(path).auth;
    expect(auth?.publicUrl).toBe("https://fleet.example.com");
    expect(auth?.oidc).toMatchObject({
      issuer: "https://idp.example.com/realms/k8s",
      clientId: "fleetgraph",
      clientSecret: "s3cret",
      audiences: ["fleetgraph"],
      usernameClaim: "preferred_username",
      groupsClaim: "groups",
      clockSkewSeconds: 30,
      allowInsecureHttp: false,
    });
    expect(auth?.oidc?.algorithms).not.toContain("HS256");
    expect(auth?.sessions.signingKeys).toEqual([
      { id: "k2", secret: "second-key-0123456789abcdef012345" },
      { id: "k1", secret: "0123456789abcdef0123456789abcdef" },
    ]);
    expect(auth?.sessions.accessTokenTtlSeconds).toBe(900);
    expect(auth?.redis).toEqual({ url: "redis://127.0.0.1:6379/2", keyPrefix: "fleetgraph:" });
    expect(auth?.opa).toMatchObject({
      url: "http://127.0.0.1:8181",
      scopePath: "fleetgraph/scope",
      timeoutMs: 500,
    });
    expect(auth?.roleBindings).toHaveLength(4);
    expect(auth?.roleBindings[3]).toEqual({
      role: "viewer",
      namespace: "search",
      users: ["bob"],
      groups: [],
    });
  });

  it("is absent when the file has no auth section", () => {
    expect(parseConfig("port: 4100\n", FILE).auth).toBeUndefined();
  });

  it.each([
    [
      "an HS algorithm for the provider",
      "oidc: { issuer: https://idp, clientId: c, algorithms: [HS256] }",
      "auth.oidc.algorithms[0]",
    ],
    [
      'algorithm "none"',
      "oidc: { issuer: https://idp, clientId: c, algorithms: [none] }",
      "auth.oidc.algorithms[0]",
    ],
    [
      "a plain-http issuer without allowInsecureHttp",
      "oidc: { issuer: http://idp, clientId: c }",
      "auth.oidc.issuer",
    ],
    ["an unknown role", "roleBindings: [{ role: superuser, users: [a] }]", "auth.roleBindings[0].role"],
    [
      "a workspace role without its workspace",
      "roleBindings: [{ role: workspace-viewer, users: [a] }]",
      "auth.roleBindings[0].workspace",
    ],
    ["a binding of nobody", "roleBindings: [{ role: platform-admin }]", "auth.roleBindings[0].users"],
    [
      "a cluster on a platform role",
      "roleBindings: [{ role: platform-admin, users: [a], cluster: x }]",
      "auth.roleBindings[0].cluster",
    ],
    [
      "a signing key with no secret",
      "sessions: { signingKeys: [{ id: a }] }",
      "auth.sessions.signingKeys[0]",
    ],
    [
      "an unknown key",
      "oidc: { issuer: https://idp, clientId: c, cliendSecret: x }",
      "auth.oidc.cliendSecret",
    ],
  ])("refuses %s, naming the field", (_, yaml, field) => {
    const error = configError(() => parseConfig(`auth:\n  ${yaml}\n`, FILE));
    expect(error.issues.map((i) => i.field)).toContain(field);
  });

  it("names an unreadable secret file with its field and line", () => {
    const s = scratch();
    const path = s.write(
      "fleetgraph.yaml",
      "auth:\n  oidc:\n    issuer: https://idp\n    clientId: c\n    clientSecretFile: missing\n",
    );
    const error = configError(() => loadConfigFile(path));
    expect(error.message).toMatch(/cannot read .*missing/);
    expect(error.issues[0]?.field).toBe("auth.oidc.clientSecretFile");
    expect(error.issues[0]?.line).toBe(5);
  });
});
