/** Authentication, impersonation and RBAC authorisation for one simulated cluster. */
export type { UserInfo, SimUser, RequestAttributes, AuthorizationDecision } from "./user.js";
export { createRbacAuthorizer, SYSTEM_MASTERS, type Authorizer } from "./rbac-authorizer.js";
export { createAuthenticator, type Authenticator } from "./authenticator.js";
export { bootstrapRbac } from "./bootstrap-policy.js";
export { forbiddenError, forbiddenMessage } from "./forbidden.js";
export { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED } from "./impersonation.js";
export type { RawHeaders } from "./request-headers.js";
export type { PolicyRule, Subject, RoleRef } from "./rbac-objects.js";
export {
  createRulesReviewer,
  type RulesReviewer,
  type SubjectRulesReviewStatus,
  type ResourceRule,
  type NonResourceRule,
} from "./rules-review.js";
