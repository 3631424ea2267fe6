/** Query.viewer, the caller's view of workspaces (role, members, quota), and viewerCan on objects. */
import { GraphQLError } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { apiResourceOf } from "../src/kinds/api-resource.js";
import { pageByName } from "../src/query-service/name-pages.js";
import type { AccessQuestion, GrantedRole as GrantedRoleRecord } from "../src/request/access.js";
import type { RequestContext } from "../src/request/context.js";
import type { ConnectionShape } from "../schema/connection.js";
import { WorkspaceConnection } from "../schema/connections.js";
import { KubeObject } from "../schema/kube-object.js";
import { PageArgs } from "../schema/args.js";
import { WorkspaceListArgs } from "../schema/list-args.js";
import {
  AccessDecision,
  AuthenticationSource,
  BuiltInRole,
  GrantedRole,
  SubjectKind,
  Viewer,
} from "../schema/viewer.js";
import { Workspace, WorkspaceMemberConnection, WorkspaceQuota } from "../schema/workspace.js";
import type { OutcomeView } from "./connection.js";
import { nameListRequest } from "./list.js";
import { toConnection } from "./connection.js";
import { workspaceView, type Viewed, type WorkspaceView } from "./views/index.js";

// Lower-case words as the API server's verbs are ("get", "list", "deletecollection", "impersonate").
const VERB = /^[a-z]+$/;
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function checked(field: string, value: string | null | undefined, pattern: RegExp): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!pattern.test(value) || value.length > 253)
    throw new GraphQLError(`${field} "${value}" is not a valid Kubernetes ${field}`, {
      extensions: { code: "BAD_USER_INPUT", argument: field },
    });
  return value;
}

function grantedRole(r: GrantedRoleRecord): GrantedRole {
  return {
    role: r.role as BuiltInRole,
    cluster: r.cluster ?? null,
    workspace: r.workspace ?? null,
    namespace: r.namespace ?? null,
    viaKind: r.via.kind as SubjectKind,
    via: r.via.name,
  };
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: "You, the caller: identity, roles, workspaces and access decisions." })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const s = ctx.subject;
    return {
      user: s.user,
      groups: [...s.groups],
      authenticatedBy: s.source as AuthenticationSource,
      expiresAt: s.expiresAt === undefined ? null : new Date(s.expiresAt * 1000),
      roles: ctx.access.roles().map(grantedRole),
    };
  }

  @FieldResolver(() => WorkspaceConnection, { description: "The workspaces you may see." })
  workspaces(
    @Args(() => WorkspaceListArgs) args: WorkspaceListArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionShape<WorkspaceView, OutcomeView> {
    return toConnection(ctx.services.workspaces.list(nameListRequest(args), ctx.scope), workspaceView);
  }

  @FieldResolver(() => AccessDecision, {
    description:
      "Whether you may make one request to a cluster: the gateway's grants and the cluster's RBAC both decide, as `kubectl auth can-i` would.",
  })
  async can(
    @Arg("verb", { description: 'The API verb: "get", "list", "create", "patch", "delete", ...' })
    verb: string,
    @Arg("resource", { description: 'The plural resource: "pods", "deployments", ...' }) resource: string,
    @Arg("cluster", { description: "The cluster." }) cluster: string,
    @Arg("group", () => String, {
      defaultValue: "",
      description: 'The API group; "" (the default) is the core group.',
    })
    group: string,
    @Arg("namespace", () => String, {
      nullable: true,
      description: "The namespace; null for cluster-scoped resources.",
    })
    namespace: string | null,
    @Arg("name", () => String, { nullable: true, description: "One object by name; null for any." })
    name: string | null,
    @Arg("subresource", () => String, {
      nullable: true,
      description: 'A subresource: "log", "scale", "exec", ...',
    })
    subresource: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessDecision> {
    const question: AccessQuestion = {
      verb: checked("verb", verb, VERB)!,
      group: group === "" ? "" : checked("group", group, NAME)!,
      resource: checked("resource", resource, VERB)!,
      cluster,
    };
    const ns = checked("namespace", namespace, NAME);
    const object = checked("name", name, NAME);
    const sub = checked("subresource", subresource, VERB);
    if (ns !== undefined) question.namespace = ns;
    if (object !== undefined) question.name = object;
    if (sub !== undefined) question.subresource = sub;
    const answer = await ctx.access.can(question);
    return { allowed: answer.allowed, reason: answer.reason ?? null };
  }
}

@Resolver(() => Workspace)
export class WorkspaceTenancyResolver {
  @FieldResolver(() => BuiltInRole, {
    nullable: true,
    description: "Your role in it; null when you have none.",
  })
  viewerRole(@Root() workspace: WorkspaceView, @Ctx() ctx: RequestContext): BuiltInRole | null {
    return (ctx.access.workspaceRole(workspace.name) as BuiltInRole | undefined) ?? null;
  }

  @FieldResolver(() => WorkspaceMemberConnection, {
    description: "Users and groups bound to a workspace role, by kind then name; the role is on the edge.",
  })
  members(
    @Root() workspace: WorkspaceView,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): WorkspaceMemberConnection {
    const key = (m: { kind: string; name: string }) => `${m.kind}/${m.name}`;
    const page = pageByName(ctx.access.members(workspace.name), key, "WorkspaceMember", "ASC", {
      first: args.first,
      after: args.after,
      last: args.last,
      before: args.before,
    });
    return {
      edges: page.items.map((m, i) => ({
        cursor: page.cursors.at(i)!,
        role: m.role as BuiltInRole,
        node: { kind: m.kind as SubjectKind, name: m.name },
      })),
      pageInfo: page.pageInfo,
      totalCount: page.totalCount,
    };
  }

  @FieldResolver(() => [WorkspaceQuota], {
    description:
      "Its ResourceQuotas summed by resource over its namespaces that you may read (hard limits and usage).",
  })
  resourceQuota(@Root() workspace: WorkspaceView, @Ctx() ctx: RequestContext): WorkspaceQuota[] {
    return ctx.services.workspaces.quota(workspace.name, ctx.scope);
  }
}

@Resolver(() => KubeObject)
export class ViewerCanResolver {
  @FieldResolver(() => Boolean, {
    description:
      'Whether you may apply `verb` to this object (e.g. "delete", "patch"; with `subresource` "log", "scale", ...), so a portal can hide actions you may not take.',
  })
  async viewerCan(
    @Root() object: Viewed,
    @Arg("verb", { description: 'The API verb: "get", "update", "patch", "delete", ...' }) verb: string,
    @Arg("subresource", () => String, {
      nullable: true,
      description: 'A subresource: "log", "scale", "exec", ...',
    })
    subresource: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const { entry } = object;
    const { group, resource } = apiResourceOf(entry.kind);
    const question: AccessQuestion = {
      verb: checked("verb", verb, VERB)!,
      group,
      resource,
      cluster: entry.cluster,
      name: entry.name,
    };
    if (entry.namespace !== "") question.namespace = entry.namespace;
    else if (entry.kind === "Namespace") question.namespace = entry.name;
    const sub = checked("subresource", subresource, VERB);
    if (sub !== undefined) question.subresource = sub;
    return (await ctx.access.can(question)).allowed;
  }
}
