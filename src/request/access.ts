/**
 * What the schema may ask about the caller's rights, bound to the request's Subject: single
 * decisions (`can`, for `viewerCan` fields and, later, mutations), the built-in roles bound to
 * the caller, and a workspace's members. auth/access answers it; with authentication off every
 * decision is allowed. Decisions are memoised per request.
 */

/** One request a caller could make to a cluster, in the API server's own attributes. */
export interface AccessQuestion {
  verb: string;
  /** API group: "" for the core group, "apps", ... */
  group: string;
  /** Plural resource name: "pods", "deployments", ... */
  resource: string;
  subresource?: string;
  cluster: string;
  /** Absent for cluster-scoped resources. */
  namespace?: string;
  name?: string;
  /** Creating a namespace: the workspace it is for. */
  workspace?: string;
  /**
   * True for a request that will be sent impersonated (a mutation): the cluster's RBAC decides
   * it there, for real, rather than from the gateway's copy.
   */
  decidedByCluster?: boolean;
}

export interface AccessAnswer {
  allowed: boolean;
  /** Why not (or, when allowed, by what); safe to show the caller. */
  reason?: string;
}

export type SubjectKind = "User" | "Group";

/** A built-in role bound to the caller, and where it applies. */
export interface GrantedRole {
  role: string;
  cluster?: string;
  workspace?: string;
  namespace?: string;
  /** The binding's subject that matched the caller: its user name or one of its groups. */
  via: { kind: SubjectKind; name: string };
}

export interface WorkspaceMember {
  kind: SubjectKind;
  name: string;
  /** Its workspace role: workspace-admin, workspace-regular or workspace-viewer. */
  role: string;
}

export interface RequestAccess {
  can(question: AccessQuestion): Promise<AccessAnswer>;
  /**
   * Whether the cluster's own RBAC allows the request (the gateway's roles and policy aside):
   * what tells a subresource such as pods/log from its resource, where the Scope already holds
   * the rest of the decision.
   */
  clusterAllows(question: AccessQuestion): boolean;
  roles(): readonly GrantedRole[];
  /** The caller's strongest role in the workspace; undefined when it has none there. */
  workspaceRole(workspace: string): string | undefined;
  /** Users and groups bound to a workspace role, by kind and name. */
  members(workspace: string): readonly WorkspaceMember[];
}
