/** Namespaces: readable by their own name; the workspace label makes them a tenant's. */
import { intern } from "../cache/intern.js";
import { obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, type KindDescriptor } from "./descriptor.js";

export interface NamespaceData {
  phase: string;
}

export interface NamespaceListFilter {
  phases?: string[] | null;
}

export const NAMESPACE: KindDescriptor<NamespaceData, NamespaceListFilter> = {
  kind: "Namespace",
  graphqlType: "Namespace",
  list: "Namespace",
  path: corePath("namespaces", false),
  project: (o: KubeObject) => ({ phase: intern(str(obj(o.status).phase) ?? "Active") }),
  predicate: (filter) => {
    const phases = filter.phases ? new Set(filter.phases) : undefined;
    return allOf([phases !== undefined && ((e) => phases.has((e.data as NamespaceData).phase))]);
  },
};
