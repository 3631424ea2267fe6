/**
 * What the real registries do to an object before it is stored: body/URL consistency checks,
 * create-time defaults and status resets, and the split between a resource and its `status`
 * subresource (writes to one never change the other).
 */
import { isJsonObject, type JsonObject, type KubeObject } from "../../src/kube/object.js";
import { statusErrors } from "../errors.js";
import { apiVersionOf, type ResourceKind } from "../kinds.js";
import { qosClass } from "../qos-class.js";

const jsonObjects = (value: unknown): JsonObject[] =>
  Array.isArray(value) ? value.filter(isJsonObject) : [];

/** A body that names a kind or apiVersion must name this resource's. */
export function toKubeObject(kind: ResourceKind, body: JsonObject): KubeObject {
  const apiVersion = apiVersionOf(kind);
  if (
    (body.kind !== undefined && body.kind !== kind.kind) ||
    (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
  ) {
    throw statusErrors.badRequest(
      `the object provided is unrecognized: expected apiVersion ${apiVersion} and kind ${kind.kind}, got ${JSON.stringify(body.apiVersion ?? "")} and ${JSON.stringify(body.kind ?? "")}`,
    );
  }
  const { kind: _k, apiVersion: _a, ...rest } = body;
  if (rest.metadata !== undefined && !isJsonObject(rest.metadata))
    throw statusErrors.badRequest("metadata must be an object");
  return { ...rest, metadata: { ...((rest.metadata as KubeObject["metadata"] | undefined) ?? {}) } };
}

export function checkCreateTarget(kind: ResourceKind, obj: KubeObject, namespace: string | undefined): void {
  if (kind.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw statusErrors.badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    obj.metadata.namespace = namespace;
  } else {
    delete obj.metadata.namespace;
  }
  if (obj.metadata.resourceVersion)
    throw statusErrors.badRequest("resourceVersion should not be set on objects to be created");
}

export function checkUpdateTarget(
  kind: ResourceKind,
  obj: KubeObject,
  namespace: string | undefined,
  name: string,
): void {
  if (obj.metadata.name !== name) {
    throw statusErrors.badRequest(
      `the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${name})`,
    );
  }
  if (kind.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw statusErrors.badRequest(
        `the namespace of the object (${obj.metadata.namespace}) does not match the namespace on the request (${namespace ?? ""})`,
      );
    }
    obj.metadata.namespace = namespace;
  } else {
    delete obj.metadata.namespace;
  }
}

/** Create-time defaults and resets of the real registries (PrepareForCreate + defaulting). */
export function prepareForCreate(kind: ResourceKind, obj: KubeObject): void {
  const spec = isJsonObject(obj.spec) ? obj.spec : undefined;
  if (kind.subresources.includes("status")) delete obj.status;
  if (kind.subresources.includes("scale") && spec && spec.replicas === undefined) spec.replicas = 1;
  if (kind.group === "autoscaling" && spec) {
    // autoscaling/v2 defaults: at least one replica, and 80 % CPU when no metric is given.
    if (spec.minReplicas === undefined) spec.minReplicas = 1;
    if (!Array.isArray(spec.metrics) || spec.metrics.length === 0)
      spec.metrics = [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
        },
      ];
  }
  if (kind.group === "networking.k8s.io" && kind.plural === "networkpolicies" && spec)
    defaultPolicyTypes(spec);
  if (kind.group !== "") return;
  if (kind.plural === "namespaces") {
    const nsSpec: JsonObject = spec ?? {};
    // The "kubernetes" finalizer keeps a deleted namespace Terminating until its contents are gone.
    if (!Array.isArray(nsSpec.finalizers)) nsSpec.finalizers = ["kubernetes"];
    obj.spec = nsSpec;
    obj.status = { phase: "Active" };
  } else if (kind.plural === "pods") {
    const containers = [...jsonObjects(spec?.containers), ...jsonObjects(spec?.initContainers)];
    obj.status = { phase: "Pending", qosClass: qosClass(containers) };
  } else if (kind.plural === "persistentvolumeclaims" || kind.plural === "persistentvolumes") {
    // Both start Pending; the volume binder moves them on. Volume mode defaults to a filesystem.
    if (spec && spec.volumeMode === undefined) spec.volumeMode = "Filesystem";
    if (kind.plural === "persistentvolumes" && spec && spec.persistentVolumeReclaimPolicy === undefined)
      spec.persistentVolumeReclaimPolicy = "Retain";
    obj.status = { phase: "Pending" };
  }
}

/**
 * networking/v1 SetDefaults_NetworkPolicySpec: without policyTypes a policy isolates ingress, and
 * egress too when it has egress rules. On create only, where the real defaulting is visible first.
 */
function defaultPolicyTypes(spec: JsonObject): void {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return;
  spec.policyTypes =
    Array.isArray(spec.egress) && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** The object a write stores: a main-resource write keeps the stored status; a status write changes only status. */
export function splitStatus(
  kind: ResourceKind,
  current: KubeObject,
  next: KubeObject,
  subresource: string,
): KubeObject {
  if (subresource === "status") {
    const { status: _s, ...rest } = current;
    return {
      ...rest,
      ...(next.status !== undefined ? { status: next.status } : {}),
      metadata: {
        ...current.metadata,
        ...(next.metadata.resourceVersion ? { resourceVersion: next.metadata.resourceVersion } : {}),
      },
    };
  }
  if (!kind.subresources.includes("status")) return next;
  const { status: _s, ...rest } = next;
  return current.status !== undefined ? { ...rest, status: current.status } : rest;
}
