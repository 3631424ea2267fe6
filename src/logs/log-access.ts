/**
 * Who may read a pod's log is a question of its own: `get pods/log`, which a role may leave out
 * while granting pods (the Scope is per kind and knows no subresources). A store search is
 * narrowed to the namespaces where the caller may read logs — the same decision the API server's
 * pods/log (and the live fallback) makes — asked once for the whole cluster, and only where that
 * is refused, namespace by namespace.
 */
import type { Scope } from "../cache/scope.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { RequestAccess } from "../request/access.js";
import type { Namespaces } from "./targets.js";

/** Narrows a cluster's searched namespaces to those whose pods' logs the caller may read. */
export type LogAccess = (cluster: string, namespaces: Namespaces) => Promise<Namespaces>;

export function logAccess(access: RequestAccess, reader: ObjectReader, everything: Scope): LogAccess {
  return async (cluster, namespaces) => {
    const question = { verb: "get", group: "", resource: "pods", subresource: "log", cluster };
    if ((await access.can(question)).allowed) return namespaces;
    const names: string[] = [];
    if (namespaces === "*")
      reader.forEach("Namespace", { clusters: [cluster] }, everything, (entry) => names.push(entry.name));
    else names.push(...namespaces);
    const allowed = await Promise.all(
      names.map(async (namespace) =>
        (await access.can({ ...question, namespace })).allowed ? namespace : "",
      ),
    );
    return new Set(allowed.filter((n) => n !== ""));
  };
}
