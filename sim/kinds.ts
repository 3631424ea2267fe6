/**
 * The resources the simulated API server serves: enough of discovery to let kubectl resolve
 * names and short names, and the field selectors the real server supports for each kind.
 */
import type { KubeObject } from "../src/kube/object.js";

export interface ResourceKind {
  group: string; // "" for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  categories?: string[];
  /** Subresources served under <plural>/<name>/<sub>. */
  subresources: Subresource[];
  /** Field selector fields beyond metadata.name and metadata.namespace. */
  fields: Record<string, (obj: KubeObject) => string | undefined>;
  /** Kinds whose writes bump metadata.generation when their spec changes. */
  hasGeneration: boolean;
  /** Create-only kinds (reviews) are never stored. */
  virtual?: boolean;
  /**
   * How metadata.name is validated: a DNS subdomain (the default) or, for RBAC objects, any path
   * segment (ValidateRBACName), which is what allows names such as "system:basic-user".
   */
  nameValidation?: "path-segment";
}

/** What the simulator serves below an object: pods/eviction is a policy/v1 Eviction, the rest are the object itself or a view of it. */
export type Subresource = "status" | "scale" | "log" | "eviction";

const CRUD = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function path(obj: KubeObject, dotted: string): string | undefined {
  let cur: unknown = obj;
  for (const part of dotted.split(".")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === "string" ? cur : JSON.stringify(cur);
}

function fieldsOf(...names: string[]): Record<string, (obj: KubeObject) => string | undefined> {
  return Object.fromEntries(names.map((n) => [n, (o: KubeObject) => path(o, n)]));
}

function kind(def: Partial<ResourceKind> & Pick<ResourceKind, "kind" | "plural">): ResourceKind {
  return {
    group: "",
    version: "v1",
    listKind: `${def.kind}List`,
    singular: def.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    verbs: CRUD,
    subresources: [],
    fields: {},
    hasGeneration: false,
    ...def,
  };
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  kind({
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: ["status"],
    fields: fieldsOf("status.phase"),
  }),
  kind({
    kind: "Node",
    plural: "nodes",
    namespaced: false,
    shortNames: ["no"],
    subresources: ["status"],
    fields: fieldsOf("spec.unschedulable"),
  }),
  kind({
    kind: "Pod",
    plural: "pods",
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log", "eviction"],
    fields: {
      ...fieldsOf(
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName",
      ),
      "spec.hostNetwork": (o) => path(o, "spec.hostNetwork") ?? "false",
    },
  }),
  kind({
    kind: "Service",
    plural: "services",
    shortNames: ["svc"],
    categories: ["all"],
    subresources: ["status"],
  }),
  kind({ kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"] }),
  kind({ kind: "Secret", plural: "secrets", fields: fieldsOf("type") }),
  kind({ kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"] }),
  kind({
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    shortNames: ["pvc"],
    subresources: ["status"],
  }),
  kind({
    kind: "PersistentVolume",
    plural: "persistentvolumes",
    namespaced: false,
    shortNames: ["pv"],
    subresources: ["status"],
  }),
  kind({ kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"], subresources: ["status"] }),
  kind({ kind: "LimitRange", plural: "limitranges", shortNames: ["limits"] }),
  kind({
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    fields: fieldsOf(
      "involvedObject.kind",
      "involvedObject.namespace",
      "involvedObject.name",
      "involvedObject.uid",
      "involvedObject.apiVersion",
      "involvedObject.resourceVersion",
      "involvedObject.fieldPath",
      "reason",
      "reportingComponent",
      "source",
      "type",
    ),
  }),
  kind({
    group: "apps",
    kind: "Deployment",
    plural: "deployments",
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status", "scale"],
    hasGeneration: true,
  }),
  kind({
    group: "apps",
    kind: "ReplicaSet",
    plural: "replicasets",
    shortNames: ["rs"],
    categories: ["all"],
    subresources: ["status", "scale"],
    hasGeneration: true,
    fields: fieldsOf("status.replicas"),
  }),
  kind({
    group: "apps",
    kind: "StatefulSet",
    plural: "statefulsets",
    shortNames: ["sts"],
    categories: ["all"],
    subresources: ["status", "scale"],
    hasGeneration: true,
  }),
  kind({
    group: "apps",
    kind: "DaemonSet",
    plural: "daemonsets",
    shortNames: ["ds"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "batch",
    kind: "Job",
    plural: "jobs",
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
    fields: fieldsOf("status.successful"),
  }),
  kind({
    group: "batch",
    kind: "CronJob",
    plural: "cronjobs",
    shortNames: ["cj"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "policy",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    shortNames: ["pdb"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "networking.k8s.io",
    kind: "Ingress",
    plural: "ingresses",
    shortNames: ["ing"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  // No subresources and no generation: NetworkPolicy has had no status since 1.28.
  kind({
    group: "networking.k8s.io",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    shortNames: ["netpol"],
  }),
  kind({
    group: "storage.k8s.io",
    kind: "StorageClass",
    plural: "storageclasses",
    namespaced: false,
    shortNames: ["sc"],
  }),
  kind({
    group: "autoscaling",
    version: "v2",
    kind: "HorizontalPodAutoscaler",
    plural: "horizontalpodautoscalers",
    shortNames: ["hpa"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({ group: "rbac.authorization.k8s.io", kind: "Role", plural: "roles", nameValidation: "path-segment" }),
  kind({
    group: "rbac.authorization.k8s.io",
    kind: "RoleBinding",
    plural: "rolebindings",
    nameValidation: "path-segment",
  }),
  kind({
    group: "rbac.authorization.k8s.io",
    kind: "ClusterRole",
    plural: "clusterroles",
    namespaced: false,
    nameValidation: "path-segment",
  }),
  kind({
    group: "rbac.authorization.k8s.io",
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false,
    nameValidation: "path-segment",
  }),
  kind({
    group: "authorization.k8s.io",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    namespaced: false,
    verbs: ["create"],
    virtual: true,
  }),
  kind({
    group: "authorization.k8s.io",
    kind: "SelfSubjectRulesReview",
    plural: "selfsubjectrulesreviews",
    namespaced: false,
    verbs: ["create"],
    virtual: true,
  }),
  kind({
    group: "authorization.k8s.io",
    kind: "SubjectAccessReview",
    plural: "subjectaccessreviews",
    namespaced: false,
    verbs: ["create"],
    virtual: true,
  }),
];

export function apiVersionOf(k: ResourceKind): string {
  return k.group === "" ? k.version : `${k.group}/${k.version}`;
}

const byGroupPlural = new Map(RESOURCE_KINDS.map((k) => [`${k.group}/${k.plural}`, k]));
const byApiVersionKind = new Map(RESOURCE_KINDS.map((k) => [`${apiVersionOf(k)}/${k.kind}`, k]));

export function findResource(group: string, plural: string): ResourceKind | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

export function findKind(apiVersion: string, kindName: string): ResourceKind | undefined {
  return byApiVersionKind.get(`${apiVersion}/${kindName}`);
}

/** Returns the field's value for a field selector, or undefined when the kind does not support it. */
export function fieldGetter(
  k: ResourceKind,
  field: string,
): ((obj: KubeObject) => string | undefined) | undefined {
  if (field === "metadata.name") return (o) => o.metadata.name;
  if (field === "metadata.namespace") return (o) => o.metadata.namespace;
  return k.fields[field];
}
