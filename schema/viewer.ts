/**
 * The caller: who it is, the built-in roles bound to it, and single access decisions a portal
 * uses to hide actions the caller may not take. Relations are in resolvers/viewer.ts.
 */
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "./scalars.js";

export enum BuiltInRole {
  PLATFORM_ADMIN = "platform-admin",
  PLATFORM_REGULAR = "platform-regular",
  WORKSPACE_ADMIN = "workspace-admin",
  WORKSPACE_REGULAR = "workspace-regular",
  WORKSPACE_VIEWER = "workspace-viewer",
  CLUSTER_ADMIN = "cluster-admin",
  CLUSTER_VIEWER = "cluster-viewer",
  ADMIN = "admin",
  OPERATOR = "operator",
  VIEWER = "viewer",
}

registerEnumType(BuiltInRole, {
  name: "BuiltInRole",
  description:
    "The gateway's built-in roles, in KubeSphere's vocabulary. None grants more than the member cluster's own RBAC allows the user.",
  valuesConfig: {
    PLATFORM_ADMIN: { description: "Everything on every cluster." },
    PLATFORM_REGULAR: {
      description: "Nothing by itself: access comes from workspace, cluster and namespace roles.",
    },
    WORKSPACE_ADMIN: {
      description: "Everything in the workspace's namespaces on every cluster; creates namespaces in it.",
    },
    WORKSPACE_REGULAR: {
      description: "Sees the workspace and its members; no namespace contents by itself.",
    },
    WORKSPACE_VIEWER: { description: "Reads everything but Secrets in the workspace's namespaces." },
    CLUSTER_ADMIN: { description: "Everything in one cluster." },
    CLUSTER_VIEWER: {
      description: "Reads everything but Secrets in one cluster, nodes and volumes included.",
    },
    ADMIN: { description: "Everything in one namespace." },
    OPERATOR: {
      description: "Reads, and changes workloads, pods, services and ConfigMaps, in one namespace.",
    },
    VIEWER: { description: "Reads everything but Secrets in one namespace." },
  },
});

export enum AuthenticationSource {
  OIDC = "oidc",
  SESSION = "session",
  API_TOKEN = "api-token",
  ANONYMOUS = "anonymous",
}

registerEnumType(AuthenticationSource, {
  name: "AuthenticationSource",
  description: "How the caller proved who it is.",
  valuesConfig: {
    OIDC: { description: "A token of the configured OpenID provider (login or client-credentials grant)." },
    SESSION: { description: "An access token the gateway issued after a browser login." },
    API_TOKEN: { description: "An API token created for automation." },
    ANONYMOUS: { description: "Authentication is off (`--no-auth`): every caller is anonymous." },
  },
});

export enum SubjectKind {
  USER = "User",
  GROUP = "Group",
}

registerEnumType(SubjectKind, {
  name: "SubjectKind",
  description: "Whom a role is bound to.",
  valuesConfig: {
    USER: { description: "One user, by name." },
    GROUP: { description: "Every member of a group, by the group's name." },
  },
});

@ObjectType({ simpleResolvers: true, description: "A built-in role bound to you, and where it applies." })
export class GrantedRole {
  @Field(() => BuiltInRole, { description: "The role." })
  role!: BuiltInRole;

  @Field(() => String, {
    nullable: true,
    description: 'The cluster of a cluster or namespace role ("*": every cluster).',
  })
  cluster!: string | null;

  @Field(() => String, { nullable: true, description: "The workspace of a workspace role." })
  workspace!: string | null;

  @Field(() => String, { nullable: true, description: "The namespace of a namespace role." })
  namespace!: string | null;

  @Field(() => SubjectKind, { description: "Bound to your user name, or to one of your groups." })
  viaKind!: SubjectKind;

  @Field({ description: "Your user name, or the group the binding names." })
  via!: string;
}

@ObjectType({ simpleResolvers: true, description: "The answer to one access question." })
export class AccessDecision {
  @Field({ description: "Whether you may do it: the gateway's grants and the cluster's RBAC both allow it." })
  allowed!: boolean;

  @Field(() => String, { nullable: true, description: "Why not (or by what), in words you can act on." })
  reason!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "You, the caller: identity, roles and access. `Query.viewer`.",
})
export class Viewer {
  @Field({ description: "Your user name, as the member clusters know it." })
  user!: string;

  @Field(() => [String], { description: "Your groups (system:authenticated is implied and not listed)." })
  groups!: string[];

  @Field(() => AuthenticationSource, { description: "How you authenticated." })
  authenticatedBy!: AuthenticationSource;

  @Field(() => DateTime, {
    nullable: true,
    description: "When your credential expires; null when it does not.",
  })
  expiresAt!: Date | null;

  @Field(() => [GrantedRole], { description: "The built-in roles bound to you or your groups." })
  roles!: GrantedRole[];
}

@ObjectType({ simpleResolvers: true, description: "A user or group bound to a workspace role." })
export class WorkspaceMember {
  @Field(() => SubjectKind, { description: "A user or a group." })
  kind!: SubjectKind;

  @Field({ description: "The user's or group's name." })
  name!: string;
}
