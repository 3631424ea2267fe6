/**
 * The caller's access as the request context asks for it (src/request/access.ts): decisions by
 * the access evaluator, memoised for the request (a page of 50 rows asking `viewerCan` twice
 * each asks the evaluator once per distinct question); the built-in roles that name the caller;
 * a workspace's members from the bindings.
 */
import type {
  AccessAnswer,
  AccessQuestion,
  GrantedRole,
  RequestAccess,
  WorkspaceMember,
} from "../../src/request/access.js";
import type { Subject } from "../subject.js";
import type { AccessEvaluator } from "./access-evaluator.js";
import { builtInRole, type GatewayRoleBinding } from "./roles.js";

/** Workspace roles from the strongest down: a member bound twice shows its strongest. */
const WORKSPACE_ROLES = ["workspace-admin", "workspace-viewer", "workspace-regular"];

export function callerAccess(
  evaluator: Pick<AccessEvaluator, "can" | "clusterAllows">,
  bindings: () => readonly GatewayRoleBinding[],
  subject: Subject,
): RequestAccess {
  // Made on the first question: most requests ask none.
  let answers: Map<string, Promise<AccessAnswer>> | undefined;
  let roles: GrantedRole[] | undefined;
  const rolesOf = (): GrantedRole[] => (roles ??= grantedRoles(bindings(), subject));
  return {
    can(question: AccessQuestion) {
      const key = JSON.stringify(question);
      answers ??= new Map();
      let answer = answers.get(key);
      if (!answer) {
        answer = evaluator.can(subject, question).then((a) => ({ allowed: a.allowed, reason: a.reason }));
        answers.set(key, answer);
      }
      return answer;
    },
    clusterAllows: (question) => evaluator.clusterAllows(subject, question),
    roles: rolesOf,
    workspaceRole(workspace) {
      const held = new Set(
        rolesOf()
          .filter((r) => r.workspace === workspace)
          .map((r) => r.role),
      );
      return WORKSPACE_ROLES.find((r) => held.has(r));
    },
    members: (workspace) => workspaceMembers(bindings(), workspace),
  };
}

export function grantedRoles(bindings: readonly GatewayRoleBinding[], subject: Subject): GrantedRole[] {
  const groups = new Set(subject.groups);
  const out: GrantedRole[] = [];
  for (const { users, groups: bound, ...ref } of bindings) {
    const place = {
      role: ref.role,
      ...(ref.cluster !== undefined ? { cluster: ref.cluster } : {}),
      ...(ref.workspace !== undefined ? { workspace: ref.workspace } : {}),
      ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}),
    };
    if (users?.includes(subject.user)) out.push({ ...place, via: { kind: "User", name: subject.user } });
    for (const group of bound ?? [])
      if (groups.has(group)) out.push({ ...place, via: { kind: "Group", name: group } });
  }
  return out;
}

export function workspaceMembers(
  bindings: readonly GatewayRoleBinding[],
  workspace: string,
): WorkspaceMember[] {
  const strongest = new Map<string, WorkspaceMember>();
  const rank = (role: string) => WORKSPACE_ROLES.indexOf(role);
  const add = (kind: WorkspaceMember["kind"], name: string, role: string) => {
    const key = `${kind}/${name}`;
    const held = strongest.get(key);
    if (!held || rank(role) < rank(held.role)) strongest.set(key, { kind, name, role });
  };
  for (const b of bindings) {
    if (b.workspace !== workspace || builtInRole(b.role)?.level !== "workspace") continue;
    for (const user of b.users ?? []) add("User", user, b.role);
    for (const group of b.groups ?? []) add("Group", group, b.role);
  }
  return [...strongest.values()];
}
