/**
 * `fleetgraph login` against a gateway's login routes and the demo identity provider: it prints
 * the access token alone (what `TOKEN=$(...)` captures), or every token with --json. Called as
 * a function: spawning it would need a build of dist (see server-cli.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLogin } from "../../src/cli/login.js";
import { UsageError } from "../../src/cli/usage.js";
import { startLoginFixture, type LoginFixture } from "./login-fixture.js";

let f: LoginFixture;

beforeAll(async () => {
  f = await startLoginFixture();
});
afterAll(() => f?.stop());

async function login(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runLogin(
    args,
    { write: (t: string) => (stdout += t) },
    { write: (t: string) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

describe("fleetgraph login", () => {
  it("prints only the access token of alice's new session, with the demo password by default", async () => {
    const run = await login(["--user", "alice", "--gateway", f.gateway]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^\S+\n$/);
    const subject = await f.sessions.authenticate(run.stdout.trim());
    expect(subject).toMatchObject({ user: "alice", groups: ["workspace:retail"], source: "session" });
  });

  it("prints every token as JSON with --json", async () => {
    const run = await login([
      "--user",
      "carol",
      "--password",
      "carol-demo",
      "--gateway",
      f.gateway,
      "--json",
    ]);
    expect(run.code).toBe(0);
    const tokens = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(tokens).toMatchObject({
      tokenType: "Bearer",
      user: "carol",
      groups: ["auditors"],
      expiresIn: 900,
    });
    expect(f.sessions.sessions.get(String(tokens.sessionId))?.refreshToken).toBe(tokens.refreshToken);
  });

  it("exits 1 with the provider's reason for a wrong password, printing nothing on stdout", async () => {
    const run = await login(["--user", "mallory", "--password", "guess", "--gateway", f.gateway]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toContain("login as mallory refused: Wrong user name or password.");
  });

  it("exits 1 when no gateway listens, and refuses wrong usage", async () => {
    const run = await login(["--user", "alice", "--gateway", "http://127.0.0.1:1"]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toContain("cannot reach http://127.0.0.1:1");
    await expect(login(["--gateway", f.gateway])).rejects.toThrow(UsageError);
    await expect(login(["--user", "alice", "--gateway", "not a url"])).rejects.toThrow(UsageError);
  });
});
