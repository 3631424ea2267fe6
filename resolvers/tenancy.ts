/** The tenancy mutations (API tokens, role bindings), Query.roleBindings and Viewer.apiTokens. */
import { Arg, Ctx, Extensions, FieldResolver, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../src/request/context.js";
import type { ApiTokenInfo, RoleBindingInfo, RolePlace as RolePlaceRecord } from "../src/request/tenancy.js";
import { BuiltInRole, Viewer } from "../schema/viewer.js";
import {
  ApiToken,
  ApiTokenCreateInput,
  ApiTokenCreatePayload,
  ApiTokenRevokeInput,
  ApiTokenRevokePayload,
  RoleBinding,
  RoleBindingCreateInput,
  RoleBindingCreatePayload,
  RoleBindingDeleteInput,
  RoleBindingDeletePayload,
  RoleBindingSource,
  type RolePlace,
  type RolePlaceInput,
} from "../schema/tenancy.js";

const MAX_TOKENS_SHOWN = 1000;

function place(p: RolePlaceRecord): RolePlace {
  return {
    role: p.role as BuiltInRole,
    cluster: p.cluster ?? null,
    workspace: p.workspace ?? null,
    namespace: p.namespace ?? null,
  };
}

function placeInput(p: RolePlaceInput): RolePlaceRecord {
  return {
    role: p.role,
    ...(p.cluster ? { cluster: p.cluster } : {}),
    ...(p.workspace ? { workspace: p.workspace } : {}),
    ...(p.namespace ? { namespace: p.namespace } : {}),
  };
}

function apiToken(t: ApiTokenInfo): ApiToken {
  return {
    id: t.id,
    name: t.name,
    owner: t.owner,
    createdAt: new Date(t.createdAt * 1000),
    expiresAt: t.expiresAt === undefined ? null : new Date(t.expiresAt * 1000),
    roles: t.roles ? t.roles.map(place) : null,
  };
}

function roleBinding(b: RoleBindingInfo): RoleBinding {
  return {
    ...place(b),
    id: b.id,
    users: [...b.users],
    groups: [...b.groups],
    source: b.source as RoleBindingSource,
    createdBy: b.createdBy ?? null,
    createdAt: b.createdAt === undefined ? null : new Date(b.createdAt * 1000),
  };
}

@Resolver()
export class TenancyResolver {
  @Query(() => [RoleBinding], {
    description: "The built-in role bindings you may manage (all of them for platform admins).",
  })
  @Extensions({ maxItems: 1000 })
  roleBindings(@Ctx() ctx: RequestContext): RoleBinding[] {
    return ctx.tenancy.roleBindings().map(roleBinding);
  }

  @Mutation(() => ApiTokenCreatePayload, {
    description:
      "Creates an API token acting as you (optionally limited to some roles); its secret is shown once.",
  })
  async apiTokenCreate(
    @Arg("input", () => ApiTokenCreateInput, { description: "The token's name, expiry and limits." })
    input: ApiTokenCreateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ApiTokenCreatePayload> {
    const outcome = await ctx.tenancy.createApiToken({
      name: input.name,
      ...(input.expiresAt ? { expiresAt: Math.floor(input.expiresAt.getTime() / 1000) } : {}),
      ...(input.roles ? { roles: input.roles.map(placeInput) } : {}),
    });
    return outcome.ok
      ? { token: outcome.value.secret, apiToken: apiToken(outcome.value.token), userErrors: [] }
      : { token: null, apiToken: null, userErrors: outcome.errors };
  }

  @Mutation(() => ApiTokenRevokePayload, {
    description:
      "Revokes one of your API tokens (platform admins: anyone's); every replica refuses it at once.",
  })
  async apiTokenRevoke(
    @Arg("input", () => ApiTokenRevokeInput, { description: "The token's id." }) input: ApiTokenRevokeInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ApiTokenRevokePayload> {
    const outcome = await ctx.tenancy.revokeApiToken(input.id);
    return outcome.ok
      ? { revokedApiTokenId: outcome.value.id, userErrors: [] }
      : { revokedApiTokenId: null, userErrors: outcome.errors };
  }

  @Mutation(() => RoleBindingCreatePayload, {
    description:
      "Binds a built-in role to users and groups, where you may (docs/security.md); it never grants more than the clusters' RBAC.",
  })
  async roleBindingCreate(
    @Arg("input", () => RoleBindingCreateInput, { description: "The role, its place and whom it binds." })
    input: RoleBindingCreateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RoleBindingCreatePayload> {
    const outcome = await ctx.tenancy.createRoleBinding({
      ...placeInput(input),
      users: input.users,
      groups: input.groups,
    });
    return outcome.ok
      ? { roleBinding: roleBinding(outcome.value), userErrors: [] }
      : { roleBinding: null, userErrors: outcome.errors };
  }

  @Mutation(() => RoleBindingDeletePayload, { description: "Deletes a role binding made through the API." })
  async roleBindingDelete(
    @Arg("input", () => RoleBindingDeleteInput, { description: "The binding's id." })
    input: RoleBindingDeleteInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RoleBindingDeletePayload> {
    const outcome = await ctx.tenancy.deleteRoleBinding(input.id);
    return outcome.ok
      ? { deletedRoleBindingId: outcome.value.id, userErrors: [] }
      : { deletedRoleBindingId: null, userErrors: outcome.errors };
  }
}

@Resolver(() => Viewer)
export class ViewerTokensResolver {
  @FieldResolver(() => [ApiToken], { description: "Your API tokens (without their secrets), oldest first." })
  @Extensions({ maxItems: MAX_TOKENS_SHOWN })
  async apiTokens(@Ctx() ctx: RequestContext): Promise<ApiToken[]> {
    return (await ctx.tenancy.apiTokens()).slice(0, MAX_TOKENS_SHOWN).map(apiToken);
  }
}
