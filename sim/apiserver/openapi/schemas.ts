/**
 * Modest OpenAPI schemas for the served kinds: the envelope every object shares (apiVersion,
 * kind, metadata) with spec and status left open. Enough for clients that only need to know a kind
 * exists and what its operations accept; not a replacement for the real generated definitions.
 *
 * The kind schemas deliberately carry no x-kubernetes-group-version-kind: kubectl apply would
 * then compute strategic merge patches from these (incomplete) schemas and warn on every field
 * they do not describe, instead of using its built-in type information, which is exact.
 */
import { apiVersionOf, type ResourceKind } from "../../kinds.js";

export type Schema = Record<string, unknown>;

const OPEN_OBJECT: Schema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

export const OBJECT_META: Schema = {
  description: "Standard object's metadata.",
  type: "object",
  properties: {
    name: { type: "string" },
    generateName: { type: "string" },
    namespace: { type: "string" },
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer", format: "int64" },
    creationTimestamp: { type: "string", format: "date-time" },
    deletionTimestamp: { type: "string", format: "date-time" },
    labels: { type: "object", additionalProperties: { type: "string", default: "" } },
    annotations: { type: "object", additionalProperties: { type: "string", default: "" } },
    finalizers: { type: "array", items: { type: "string", default: "" } },
    ownerReferences: { type: "array", items: OPEN_OBJECT },
  },
};

/** The Go package a kind's definition lives in, as named in the real documents. */
export function definitionName(kind: ResourceKind): string {
  const group = kind.group === "" ? "core" : kind.group.replace(/\.k8s\.io$/, "").split(".")[0]!;
  return `io.k8s.api.${group}.${kind.version}.${kind.kind}`;
}

export function kindSchema(kind: ResourceKind): Schema {
  return {
    description: `${kind.kind} (${apiVersionOf(kind)}), as served by the fleet simulator.`,
    type: "object",
    properties: {
      apiVersion: {
        type: "string",
        description: "APIVersion defines the versioned schema of this representation of an object.",
      },
      kind: {
        type: "string",
        description: "Kind is a string value representing the REST resource this object represents.",
      },
      metadata: OBJECT_META,
      ...(kind.virtual ? {} : { spec: OPEN_OBJECT, status: OPEN_OBJECT }),
    },
  };
}
