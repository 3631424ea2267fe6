/**
 * The RBAC authoriser over the Roles, ClusterRoles and bindings stored in a simulated cluster,
 * answering as kube-apiserver's `--authorization-mode=RBAC` chain does: members of
 * `system:masters` are allowed by the privileged-group authoriser that runs first (empty reason);
 * everyone else is allowed by the first rule of the first matching binding, with the real
 * "RBAC: allowed by ..." reason, or gets no opinion (reason "" — or the role resolution errors,
 * e.g. a binding to a missing ClusterRole, as the real authoriser reports them).
 */
import type { ClusterStore } from "../store/cluster-store.js";
import type { AuthorizationDecision, RequestAttributes } from "./user.js";
import { rbacIndexFor } from "./rbac-index.js";
import { ruleAllows } from "./rule-match.js";

export type Authorizer = (attributes: RequestAttributes) => AuthorizationDecision;

/** k8s.io/apiserver user.SystemPrivilegedGroup: always allowed, before RBAC is consulted. */
export const SYSTEM_MASTERS = "system:masters";

export function createRbacAuthorizer(store: ClusterStore): Authorizer {
  const index = rbacIndexFor(store);
  return (attributes) => {
    if (attributes.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: "" };
    let reason: string | undefined;
    const errors: string[] = [];
    index.visitRulesFor(attributes.user, attributes.namespace, (source, rule, error) => {
      if (rule && source !== undefined && ruleAllows(attributes, rule)) {
        reason = `RBAC: allowed by ${source}`;
        return false;
      }
      if (error !== undefined) errors.push(error);
      return true;
    });
    if (reason !== undefined) return { allowed: true, reason };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : "" };
  };
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several (deduplicated) in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(", ")}]`;
}
