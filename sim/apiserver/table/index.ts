/**
 * Server-side printing: answering `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what
 * `kubectl get` sends) with a meta.k8s.io Table instead of the object or list. Each row carries the
 * object as `includeObject` asks: PartialObjectMetadata by default, the full object, or nothing.
 */
import type { KubeObject } from "../../../src/kube/object.js";
import { statusErrors } from "../../errors.js";
import type { ResourceKind } from "../../kinds.js";
import { objectJson } from "../serialize.js";
import type { RowPrinter } from "./columns.js";
import {
  bindingPrinter,
  configMapPrinter,
  defaultPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from "./core.js";
import { horizontalPodAutoscalerPrinter } from "./autoscaling.js";
import { ingressPrinter, networkPolicyPrinter } from "./ingress.js";
import { podPrinter } from "./pod.js";
import { podDisruptionBudgetPrinter } from "./policy.js";
import { resourceQuotaPrinter } from "./quota.js";
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from "./storage.js";
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from "./workloads.js";

const PRINTERS: Record<string, RowPrinter> = {
  "/Pod": podPrinter,
  "/Node": nodePrinter,
  "/Namespace": namespacePrinter,
  "/Service": servicePrinter,
  "/Event": eventPrinter,
  "/ConfigMap": configMapPrinter,
  "/Secret": secretPrinter,
  "/ServiceAccount": serviceAccountPrinter,
  "/PersistentVolumeClaim": persistentVolumeClaimPrinter,
  "/PersistentVolume": persistentVolumePrinter,
  "/ResourceQuota": resourceQuotaPrinter,
  "networking.k8s.io/Ingress": ingressPrinter,
  "networking.k8s.io/NetworkPolicy": networkPolicyPrinter,
  "storage.k8s.io/StorageClass": storageClassPrinter,
  "autoscaling/HorizontalPodAutoscaler": horizontalPodAutoscalerPrinter,
  "apps/Deployment": deploymentPrinter,
  "apps/ReplicaSet": replicaSetPrinter,
  "apps/StatefulSet": statefulSetPrinter,
  "apps/DaemonSet": daemonSetPrinter,
  "batch/Job": jobPrinter,
  "batch/CronJob": cronJobPrinter,
  "policy/PodDisruptionBudget": podDisruptionBudgetPrinter,
  "rbac.authorization.k8s.io/RoleBinding": bindingPrinter,
  "rbac.authorization.k8s.io/ClusterRoleBinding": bindingPrinter,
};

export function printerFor(kind: ResourceKind): RowPrinter {
  return PRINTERS[`${kind.group}/${kind.kind}`] ?? defaultPrinter;
}

export type IncludeObject = "Object" | "Metadata" | "None";

export interface TableRequest {
  /** The meta.k8s.io version the client asked for. */
  version: "v1" | "v1beta1";
  includeObject: IncludeObject;
}

/**
 * The Table the Accept header asks for, if any. Media ranges are taken in the client's order, as
 * the server's negotiation does: a plain JSON range before any Table range means plain JSON.
 */
export function tableRequest(accept: string | undefined, query: URLSearchParams): TableRequest | undefined {
  for (const range of (accept ?? "").split(",")) {
    const [type = "", ...params] = range.split(";").map((part) => part.trim());
    const args = new Map(params.map((p) => p.split("=", 2).map((s) => s.trim()) as [string, string]));
    if (!["application/json", "application/*", "*/*"].includes(type)) continue;
    const as = args.get("as");
    if (as === undefined) return undefined;
    const version = args.get("v");
    if (as === "Table" && args.get("g") === "meta.k8s.io" && (version === "v1" || version === "v1beta1")) {
      return { version, includeObject: includeObjectOf(query) };
    }
  }
  return undefined;
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject") ?? "";
  if (value === "") return "Metadata";
  if (value === "Object" || value === "Metadata" || value === "None") return value;
  throw statusErrors.badRequest(
    `includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`,
  );
}

export interface TableListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * A Table as JSON text. Without `headers` the column definitions are left out, as the server does
 * for every watch event after the first: kubectl keeps using the columns it already has.
 */
export function tableJson(
  kind: ResourceKind,
  objects: readonly KubeObject[],
  metadata: TableListMeta,
  request: TableRequest,
  options: { headers: boolean; now?: number } = { headers: true },
): string {
  const printer = printerFor(kind);
  const now = options.now ?? Date.now();
  const rows = objects.map((obj) => {
    const conditions = printer.conditions?.(obj);
    const head = `{"cells":${JSON.stringify(printer.cells(obj, now))}`;
    const tail = conditions ? `,"conditions":${JSON.stringify(conditions)}` : "";
    return `${head}${tail},"object":${rowObject(kind, obj, request)}}`;
  });
  const columns = options.headers ? `,"columnDefinitions":${JSON.stringify(printer.columns)}` : "";
  return `{"kind":"Table","apiVersion":"meta.k8s.io/${request.version}","metadata":${JSON.stringify(metadata)}${columns},"rows":[${rows.join(",")}]}`;
}

function rowObject(kind: ResourceKind, obj: KubeObject, request: TableRequest): string {
  switch (request.includeObject) {
    case "Object":
      return objectJson(kind, obj);
    case "None":
      return "null";
    case "Metadata":
      return JSON.stringify({
        kind: "PartialObjectMetadata",
        apiVersion: `meta.k8s.io/${request.version}`,
        metadata: obj.metadata,
      });
  }
}
