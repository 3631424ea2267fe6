/**
 * Who may read a pod's log is a question of its own: `get pods/log`, which a cluster's role may
 * leave out while granting pods (the Scope is per kind and knows no subresources). A store search
 * is narrowed to the namespaces where the cluster's RBAC also allows pods/log — the gateway's
 * roles and policy, which decide by kind, are already in the Scope — asked once for the whole
 * cluster, and only where that is refused, namespace by namespace (an in-memory RBAC lookup each).
 */
import type { Scope } from "../cache/scope.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { RequestAccess } from "../request/access.js";
import type { Namespaces } from "./targets.js";

/** Narrows a cluster's searched namespaces to those whose pods' logs the caller may read. */
export type LogAccess = (cluster: string, namespaces: Namespaces) => Namespaces;

export function logAccess(access: RequestAccess, reader: ObjectReader, everything: Scope): LogAccess {
  return (cluster, namespaces) => {
    const question = { verb: "get", group: "", resource: "pods", subresource: "log", cluster };
    if (access.clusterAllows(question)) return namespaces;
    const names: string[] = [];
    if (namespaces === "*")
      reader.forEach("Namespace", { clusters: [cluster] }, everything, (entry) => names.push(entry.name));
    else names.push(...namespaces);
    return new Set(names.filter((namespace) => access.clusterAllows({ ...question, namespace })));
  };
}
