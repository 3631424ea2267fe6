/** The list fields of the kinds added with Schema 1.0, one declaration each. */
import {
  CONFIG_MAP,
  HORIZONTAL_POD_AUTOSCALER,
  INGRESS,
  LIMIT_RANGE,
  PERSISTENT_VOLUME,
  PERSISTENT_VOLUME_CLAIM,
  RESOURCE_QUOTA,
  SECRET,
  SERVICE_ACCOUNT,
  STORAGE_CLASS,
} from "../src/kinds/index.js";
import * as C from "../schema/connections.js";
import * as A from "../schema/list-args.js";
import { typedListResolvers } from "./typed-lists.js";
import * as V from "./views/index.js";

export const MORE_KIND_RESOLVERS = [
  ...typedListResolvers({
    kind: INGRESS,
    field: "ingresses",
    plural: "ingresses",
    connection: C.IngressConnection,
    args: A.IngressListArgs,
    view: V.ingressView,
  }),
  ...typedListResolvers({
    kind: CONFIG_MAP,
    field: "configMaps",
    plural: "ConfigMaps",
    connection: C.ConfigMapConnection,
    args: A.ConfigMapListArgs,
    view: V.configMapView,
  }),
  ...typedListResolvers({
    kind: SECRET,
    field: "secrets",
    plural: "Secrets (metadata and key names, never values)",
    connection: C.SecretConnection,
    args: A.SecretListArgs,
    view: V.secretView,
  }),
  ...typedListResolvers({
    kind: SERVICE_ACCOUNT,
    field: "serviceAccounts",
    plural: "ServiceAccounts",
    connection: C.ServiceAccountConnection,
    args: A.ServiceAccountListArgs,
    view: V.serviceAccountView,
  }),
  ...typedListResolvers({
    kind: PERSISTENT_VOLUME_CLAIM,
    field: "persistentVolumeClaims",
    plural: "PersistentVolumeClaims",
    connection: C.PersistentVolumeClaimConnection,
    args: A.PersistentVolumeClaimListArgs,
    view: V.persistentVolumeClaimView,
  }),
  ...typedListResolvers({
    kind: PERSISTENT_VOLUME,
    field: "persistentVolumes",
    plural: "PersistentVolumes",
    connection: C.PersistentVolumeConnection,
    args: A.PersistentVolumeListArgs,
    view: V.persistentVolumeView,
  }),
  ...typedListResolvers({
    kind: STORAGE_CLASS,
    field: "storageClasses",
    plural: "StorageClasses",
    connection: C.StorageClassConnection,
    args: A.StorageClassListArgs,
    view: V.storageClassView,
  }),
  ...typedListResolvers({
    kind: HORIZONTAL_POD_AUTOSCALER,
    field: "horizontalPodAutoscalers",
    plural: "HorizontalPodAutoscalers",
    connection: C.HorizontalPodAutoscalerConnection,
    args: A.HorizontalPodAutoscalerListArgs,
    view: V.horizontalPodAutoscalerView,
  }),
  ...typedListResolvers({
    kind: RESOURCE_QUOTA,
    field: "resourceQuotas",
    plural: "ResourceQuotas",
    connection: C.ResourceQuotaConnection,
    args: A.ResourceQuotaListArgs,
    view: V.resourceQuotaView,
  }),
  ...typedListResolvers({
    kind: LIMIT_RANGE,
    field: "limitRanges",
    plural: "LimitRanges",
    connection: C.LimitRangeConnection,
    args: A.LimitRangeListArgs,
    view: V.limitRangeView,
  }),
];
