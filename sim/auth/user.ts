/** Who a request acts as, after authentication and impersonation (k8s.io/apiserver user.Info). */
export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** A user the simulator accepts bearer tokens for. */
export interface SimUser {
  name: string;
  groups: string[];
  token: string;
}

/** What the authoriser is asked (k8s.io/apiserver authorizer.Attributes). */
export interface RequestAttributes {
  user: UserInfo;
  verb: string; // get list watch create update patch delete deletecollection impersonate ...
  resourceRequest: boolean;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The URL path, for non-resource requests such as /healthz. */
  path: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** Why, in the words the real RBAC authoriser uses (shown in SubjectAccessReview status). */
  reason: string;
}
