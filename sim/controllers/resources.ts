/**
 * The resource kinds the controllers read and write, resolved once from the catalogue so a typo
 * fails at start-up rather than on the first reconcile.
 */
import { findResource, type ResourceKind } from "../kinds.js";

function resource(group: string, plural: string): ResourceKind {
  const kind = findResource(group, plural);
  if (!kind) throw new Error(`resource ${plural}.${group} is missing from RESOURCE_KINDS`);
  return kind;
}

export const NAMESPACES = resource("", "namespaces");
export const NODES = resource("", "nodes");
export const PODS = resource("", "pods");
export const EVENTS = resource("", "events");
export const DEPLOYMENTS = resource("apps", "deployments");
export const REPLICASETS = resource("apps", "replicasets");
export const STATEFULSETS = resource("apps", "statefulsets");
export const DAEMONSETS = resource("apps", "daemonsets");
export const JOBS = resource("batch", "jobs");
export const CRONJOBS = resource("batch", "cronjobs");
export const SERVICES = resource("", "services");
export const SERVICE_ACCOUNTS = resource("", "serviceaccounts");
export const CONFIG_MAPS = resource("", "configmaps");
export const CLAIMS = resource("", "persistentvolumeclaims");
export const VOLUMES = resource("", "persistentvolumes");
export const RESOURCE_QUOTAS = resource("", "resourcequotas");
export const STORAGE_CLASSES = resource("storage.k8s.io", "storageclasses");
export const AUTOSCALERS = resource("autoscaling", "horizontalpodautoscalers");
export const INGRESSES = resource("networking.k8s.io", "ingresses");
export const DISRUPTION_BUDGETS = resource("policy", "poddisruptionbudgets");
