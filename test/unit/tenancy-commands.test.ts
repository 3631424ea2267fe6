import { afterEach, describe, expect, it } from "vitest";
import { mayManageBinding } from "../../auth/access/binding-authority.js";
import { PersistedRoleBindings } from "../../auth/access/persisted-role-bindings.js";
import { ApiTokens } from "../../auth/identity/api-tokens.js";
import type { Subject } from "../../auth/subject.js";
import { tenancyCommands } from "../../auth/tenancy-commands.js";
import { MemoryStore } from "../../src/store/memory-store.js";

const person = (user: string, groups: string[] = []): Subject => ({ user, groups, source: "session" });

const CONFIG = [
  { role: "platform-admin", users: ["admin"], groups: [] },
  { role: "workspace-admin", workspace: "retail", users: ["alice"], groups: [] },
  { role: "admin", namespace: "search", cluster: "east", users: ["bob"], groups: [] },
];

const stores: MemoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function setup() {
  const store = new MemoryStore();
  stores.push(store);
  const persisted = await PersistedRoleBindings.start(store);
  const apiTokens = new ApiTokens(store);
  const as = (subject: Subject) => tenancyCommands({ apiTokens, persisted, configBindings: CONFIG }, subject);
  return { as, persisted, apiTokens };
}

describe("who may manage a role binding", () => {
  it.each([
    [[{ role: "platform-admin" }], { role: "platform-admin" }, true],
    [
      [{ role: "workspace-admin", workspace: "retail" }],
      { role: "workspace-viewer", workspace: "retail" },
      true,
    ],
    [
      [{ role: "workspace-admin", workspace: "retail" }],
      { role: "workspace-viewer", workspace: "data" },
      false,
    ],
    [[{ role: "workspace-admin", workspace: "retail" }], { role: "viewer", namespace: "cart" }, false],
    [[{ role: "cluster-admin", cluster: "east" }], { role: "cluster-viewer", cluster: "east" }, true],
    [[{ role: "cluster-admin", cluster: "east" }], { role: "cluster-viewer", cluster: "*" }, false],
    [[{ role: "cluster-admin", cluster: "east" }], { role: "viewer", namespace: "x", cluster: "east" }, true],
    [[{ role: "cluster-admin", cluster: "east" }], { role: "viewer", namespace: "x" }, false],
    [
      [{ role: "admin", namespace: "search" }],
      { role: "viewer", namespace: "search", cluster: "west" },
      true,
    ],
    [
      [{ role: "admin", namespace: "search", cluster: "east" }],
      { role: "viewer", namespace: "search" },
      false,
    ],
    [[{ role: "admin", namespace: "search" }], { role: "viewer", namespace: "analytics" }, false],
    [[{ role: "viewer", namespace: "search" }], { role: "viewer", namespace: "search" }, false],
    [[{ role: "cluster-admin", cluster: "*" }], { role: "platform-regular" }, false],
  ])("held %j, binding %j: %s", (held, target, allowed) => {
    const authority = mayManageBinding(held, target);
    expect(authority.allowed).toBe(allowed);
    if (!allowed) expect(authority.reason).toMatch(/^you may not manage bindings of /);
  });
});

describe("tenancy commands", () => {
  it("creates a binding where the caller has authority, refuses elsewhere, and lists what each may manage", async () => {
    const { as, persisted } = await setup();
    const made = await as(person("alice")).createRoleBinding({
      role: "workspace-viewer",
      workspace: "retail",
      users: ["dave"],
      groups: [],
    });
    expect(made.ok).toBe(true);
    expect(persisted.current()).toHaveLength(1);
    expect(persisted.current()[0]).toMatchObject({
      role: "workspace-viewer",
      users: ["dave"],
      createdBy: "alice",
    });

    const refused = await as(person("alice")).createRoleBinding({
      role: "cluster-admin",
      cluster: "east",
      users: ["alice"],
      groups: [],
    });
    expect(refused).toMatchObject({ ok: false, errors: [{ code: "FORBIDDEN" }] });

    const invalid = await as(person("admin")).createRoleBinding({ role: "viewer", users: ["x"], groups: [] });
    expect(invalid).toMatchObject({
      ok: false,
      errors: [{ code: "BAD_USER_INPUT", field: ["input", "namespace"] }],
    });

    expect(
      as(person("admin"))
        .roleBindings()
        .map((b) => b.id),
    ).toEqual(["config-0", "config-1", "config-2", persisted.current()[0]!.id]);
    expect(
      as(person("alice"))
        .roleBindings()
        .map((b) => b.role),
    ).toEqual(["workspace-admin", "workspace-viewer"]);
    expect(as(person("mallory")).roleBindings()).toEqual([]);
  });

  it("deletes only API-made bindings the caller may manage; a foreign one is not found", async () => {
    const { as, persisted } = await setup();
    const made = await as(person("admin")).createRoleBinding({
      role: "cluster-viewer",
      cluster: "east",
      users: ["carol"],
      groups: [],
    });
    if (!made.ok) throw new Error("not created");
    expect(await as(person("alice")).deleteRoleBinding(made.value.id)).toMatchObject({
      ok: false,
      errors: [{ code: "NOT_FOUND" }],
    });
    expect(await as(person("admin")).deleteRoleBinding("config-0")).toMatchObject({
      ok: false,
      errors: [{ code: "BAD_USER_INPUT" }],
    });
    expect(await as(person("admin")).deleteRoleBinding(made.value.id)).toMatchObject({ ok: true });
    expect(persisted.current()).toEqual([]);
  });

  it("API tokens: created once with their secret, listed without it, revoked by their owner or a platform admin only", async () => {
    const { as, apiTokens } = await setup();
    const created = await as(person("bob")).createApiToken({
      name: "ci",
      roles: [{ role: "viewer", namespace: "search" }],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(created.value.secret).toMatch(/^fgt_/);
    const listed = await as(person("bob")).apiTokens();
    expect(listed).toEqual([created.value.token]);
    expect(JSON.stringify(listed)).not.toContain(created.value.secret);
    const subject = await apiTokens.authenticate(created.value.secret);
    expect(subject).toMatchObject({
      user: "bob",
      source: "api-token",
      restrictedTo: [{ role: "viewer", namespace: "search" }],
    });

    expect(await as(person("mallory")).revokeApiToken(created.value.token.id)).toMatchObject({
      ok: false,
      errors: [{ code: "NOT_FOUND" }],
    });
    expect(await as(subject).createApiToken({ name: "chain" })).toMatchObject({
      ok: false,
      errors: [{ code: "FORBIDDEN" }],
    });
    expect(await as(person("admin")).revokeApiToken(created.value.token.id)).toMatchObject({ ok: true });
    await expect(apiTokens.authenticate(created.value.secret)).rejects.toThrow();
  });

  it("refuses a token limited to a malformed role, naming the field", async () => {
    const { as } = await setup();
    const outcome = await as(person("bob")).createApiToken({
      name: "x",
      roles: [{ role: "workspace-viewer" }],
    });
    expect(outcome).toMatchObject({
      ok: false,
      errors: [{ field: ["input", "roles", "0", "workspace"], code: "BAD_USER_INPUT" }],
    });
    expect(await as(person("bob")).createApiToken({ name: " " })).toMatchObject({
      ok: false,
      errors: [{ field: ["input", "name"] }],
    });
  });
});
