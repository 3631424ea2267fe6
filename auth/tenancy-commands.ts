/**
 * The tenancy commands (src/request/tenancy.ts) for one caller: API tokens through the identity
 * layer, role bindings through the persisted store, each checked here — a caller revokes its own
 * tokens (platform admins any), and binds only what mayManageBinding allows. Every creation and
 * revocation, done or refused, is recorded in the audit trail before it is answered.
 */
import { ApiTokenError, type ApiTokenRecord, type ApiTokens } from "./identity/api-tokens.js";
import { mayManageBinding } from "./access/binding-authority.js";
import type { PersistedRoleBindings, StoredRoleBinding } from "./access/persisted-role-bindings.js";
import { bindingProblems, roleRefsOf, type GatewayRoleBinding } from "./access/roles.js";
import type {
  ApiTokenInfo,
  NewApiToken,
  NewRoleBinding,
  Outcome,
  RoleBindingInfo,
  TenancyCommands,
  UserError,
} from "../src/request/tenancy.js";
import type { RoleRef, Subject } from "./subject.js";
import { NO_REQUEST_AUDIT, type RequestAudit } from "../src/audit/recorder.js";
import { audited } from "../src/request/audited-command.js";

export interface TenancySources {
  apiTokens: ApiTokens;
  persisted: PersistedRoleBindings;
  /** The config file's bindings, in file order. */
  configBindings: readonly GatewayRoleBinding[];
}

const MAX_NAME = 100;
const fail = (code: string, message: string, field: string[] = []): Outcome<never> => ({
  ok: false,
  errors: [{ field, message, code }],
});

export function tenancyCommands(
  sources: TenancySources,
  subject: Subject,
  audit: RequestAudit = NO_REQUEST_AUDIT,
): TenancyCommands {
  const { apiTokens, persisted, configBindings } = sources;
  const all = (): RoleBindingInfo[] => [
    ...configBindings.map((b, i) => bindingInfo(b, `config-${i}`, "config")),
    ...persisted.current().map((b) => bindingInfo(b, b.id, "mutation")),
  ];
  const held = (): RoleRef[] =>
    roleRefsOf([...configBindings, ...persisted.current()], subject.user, new Set(subject.groups));
  const isPlatformAdmin = () => held().some((r) => r.role === "platform-admin");

  return {
    async apiTokens() {
      return (await apiTokens.list(subject)).map(tokenInfo);
    },

    async createApiToken(input: NewApiToken) {
      return audited(
        audit,
        "apiToken.create",
        (v) => ({ resource: v ? `apiToken/${v.token.id}` : `apiToken/${input.name}` }),
        () => createApiToken(input),
      );
    },

    async revokeApiToken(id: string) {
      return audited(
        audit,
        "apiToken.revoke",
        () => ({ resource: `apiToken/${id}` }),
        () => revokeApiToken(id),
      );
    },

    roleBindings() {
      const mine = held();
      return all().filter((b) => mayManageBinding(mine, b).allowed);
    },

    async createRoleBinding(input: NewRoleBinding) {
      return audited(
        audit,
        "roleBinding.create",
        (v) => ({
          resource: `roleBinding/${v?.id ?? input.role}`,
          ...(input.cluster ? { cluster: input.cluster } : {}),
          ...(input.namespace ? { namespace: input.namespace } : {}),
        }),
        () => createRoleBinding(input),
      );
    },

    async deleteRoleBinding(id: string) {
      return audited(
        audit,
        "roleBinding.delete",
        (v) => ({
          resource: `roleBinding/${id}`,
          ...(v?.cluster ? { cluster: v.cluster } : {}),
          ...(v?.namespace ? { namespace: v.namespace } : {}),
        }),
        () => deleteRoleBinding(id),
      );
    },
  };

  async function createApiToken(
    input: NewApiToken,
  ): Promise<Outcome<{ secret: string; token: ApiTokenInfo }>> {
    if (subject.source === "api-token")
      return fail("FORBIDDEN", "an API token cannot create API tokens: log in as a person to create one");
    const name = input.name.trim();
    if (name === "" || name.length > MAX_NAME)
      return fail("BAD_USER_INPUT", `name must be 1 to ${MAX_NAME} characters`, ["input", "name"]);
    const errors: UserError[] = [];
    input.roles?.forEach((role, i) => {
      for (const p of bindingProblems({ ...role, users: [subject.user] }))
        errors.push({
          field: ["input", "roles", String(i), p.field],
          message: p.message,
          code: "BAD_USER_INPUT",
        });
    });
    if (errors.length > 0) return { ok: false, errors };
    try {
      const created = await apiTokens.create(subject, {
        name,
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
        ...(input.roles !== undefined ? { roles: input.roles } : {}),
      });
      return { ok: true, value: { secret: created.secret, token: tokenInfo(created.token) } };
    } catch (error) {
      if (error instanceof ApiTokenError)
        return fail("BAD_USER_INPUT", error.message, ["input", "expiresAt"]);
      throw error;
    }
  }

  async function revokeApiToken(id: string): Promise<Outcome<ApiTokenInfo>> {
    const found = await apiTokens.find(id);
    // Another user's token is "not found", not "forbidden": its existence is not the caller's to learn.
    if (!found || (found.owner.user !== subject.user && !isPlatformAdmin()))
      return fail("NOT_FOUND", `no API token with id "${id}" of yours`, ["input", "id"]);
    const revoked = await apiTokens.revoke(id);
    return revoked
      ? { ok: true, value: tokenInfo(revoked) }
      : fail("NOT_FOUND", `API token "${id}" is already gone`, ["input", "id"]);
  }

  async function createRoleBinding(input: NewRoleBinding): Promise<Outcome<RoleBindingInfo>> {
    const binding: GatewayRoleBinding = withoutEmpty(input);
    const problems = bindingProblems(binding);
    if (problems.length > 0)
      return {
        ok: false,
        errors: problems.map((p) => ({
          field: ["input", p.field],
          message: p.message,
          code: "BAD_USER_INPUT",
        })),
      };
    const authority = mayManageBinding(held(), binding);
    if (!authority.allowed) return fail("FORBIDDEN", authority.reason ?? "not allowed");
    const created = await persisted.create({
      ...binding,
      users: [...input.users],
      groups: [...input.groups],
      createdBy: subject.user,
    });
    return { ok: true, value: bindingInfo(created, created.id, "mutation") };
  }

  async function deleteRoleBinding(id: string): Promise<Outcome<RoleBindingInfo>> {
    if (id.startsWith("config-"))
      return fail("BAD_USER_INPUT", "this binding is defined in the config file: remove it there", [
        "input",
        "id",
      ]);
    const target = persisted.current().find((b) => b.id === id);
    if (!target || !mayManageBinding(held(), target).allowed)
      return fail("NOT_FOUND", `no role binding with id "${id}" that you may manage`, ["input", "id"]);
    const removed = await persisted.delete(id);
    return removed
      ? { ok: true, value: bindingInfo(removed, removed.id, "mutation") }
      : fail("NOT_FOUND", `role binding "${id}" is already gone`, ["input", "id"]);
  }
}

function withoutEmpty(input: NewRoleBinding): GatewayRoleBinding {
  return {
    role: input.role,
    users: input.users,
    groups: input.groups,
    ...(input.cluster ? { cluster: input.cluster } : {}),
    ...(input.workspace ? { workspace: input.workspace } : {}),
    ...(input.namespace ? { namespace: input.namespace } : {}),
  };
}

function tokenInfo(t: ApiTokenRecord): ApiTokenInfo {
  return {
    id: t.id,
    name: t.name,
    owner: t.owner.user,
    createdAt: t.createdAt,
    ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
    ...(t.roles !== undefined ? { roles: t.roles } : {}),
  };
}

function bindingInfo(
  b: GatewayRoleBinding | StoredRoleBinding,
  id: string,
  source: RoleBindingInfo["source"],
): RoleBindingInfo {
  return {
    id,
    role: b.role,
    users: b.users ?? [],
    groups: b.groups ?? [],
    ...(b.cluster !== undefined ? { cluster: b.cluster } : {}),
    ...(b.workspace !== undefined ? { workspace: b.workspace } : {}),
    ...(b.namespace !== undefined ? { namespace: b.namespace } : {}),
    source,
    ...("createdBy" in b ? { createdBy: b.createdBy, createdAt: b.createdAt } : {}),
  };
}
