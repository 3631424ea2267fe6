/**
 * Who may bind (and unbind) a built-in role, decided on the gateway's own roles alone (role
 * bindings are the gateway's objects; no cluster holds them): a platform admin binds any role; a
 * workspace admin the workspace roles of its workspace; a cluster admin the cluster's roles and
 * namespace roles on that cluster; a namespace admin the namespace roles of its namespace. A
 * binding can never give more than its maker holds, and never more than the clusters' RBAC.
 */
import type { RoleRef } from "../subject.js";
import { builtInRole } from "./roles.js";

export interface Authority {
  allowed: boolean;
  /** Why not, in words a person can act on. */
  reason?: string;
}

/** Whether a caller holding `held` may create or delete a binding of `target`. */
export function mayManageBinding(held: readonly RoleRef[], target: RoleRef): Authority {
  const level = builtInRole(target.role)?.level;
  const covers = (ref: RoleRef): boolean => {
    if (ref.role === "platform-admin") return true;
    switch (level) {
      case "workspace":
        return ref.role === "workspace-admin" && ref.workspace === target.workspace;
      case "cluster":
        return ref.role === "cluster-admin" && clusterCovers(ref.cluster, target.cluster);
      case "namespace":
        if (ref.role === "cluster-admin")
          return target.cluster !== undefined && clusterCovers(ref.cluster, target.cluster);
        return (
          ref.role === "admin" &&
          ref.namespace === target.namespace &&
          (ref.cluster === undefined ||
            (target.cluster !== undefined && clusterCovers(ref.cluster, target.cluster)))
        );
      default:
        return false;
    }
  };
  if (held.some(covers)) return { allowed: true };
  return { allowed: false, reason: `you may not manage bindings of ${describe(target)}: ${needed(target)}` };
}

function clusterCovers(held: string | undefined, wanted: string | undefined): boolean {
  return held === "*" || (held !== undefined && held === wanted);
}

function describe(target: RoleRef): string {
  const where = [
    target.workspace !== undefined ? `workspace ${target.workspace}` : "",
    target.namespace !== undefined ? `namespace ${target.namespace}` : "",
    target.cluster !== undefined ? `cluster ${target.cluster}` : "",
  ].filter(Boolean);
  return `${target.role}${where.length ? ` in ${where.join(", ")}` : ""}`;
}

function needed(target: RoleRef): string {
  switch (builtInRole(target.role)?.level) {
    case "workspace":
      return `it takes workspace-admin of ${target.workspace ?? "that workspace"} or platform-admin`;
    case "cluster":
      return `it takes cluster-admin of ${target.cluster ?? "that cluster"} or platform-admin`;
    case "namespace":
      return "it takes admin of that namespace, cluster-admin of that cluster, or platform-admin";
    default:
      return "it takes platform-admin";
  }
}
