/** ResourceQuotas and LimitRanges: what a namespace may use, and the defaults its pods get. */
import { intern } from "../cache/intern.js";
import { arr, obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { corePath, type KindDescriptor } from "./descriptor.js";
import { quantities, type Quantities } from "./shared.js";

export interface ResourceQuotaData {
  hard: Quantities;
  used: Quantities;
  scopes: readonly string[];
}

export interface LimitRangeItemView {
  /** Container, Pod or PersistentVolumeClaim. */
  type: string;
  max: Quantities;
  min: Quantities;
  default: Quantities;
  defaultRequest: Quantities;
  maxLimitRequestRatio: Quantities;
}

export interface LimitRangeData {
  limits: LimitRangeItemView[];
}

export const RESOURCE_QUOTA: KindDescriptor<ResourceQuotaData, object> = {
  kind: "ResourceQuota",
  graphqlType: "ResourceQuota",
  list: "ResourceQuota",
  path: corePath("resourcequotas"),
  project: (o: KubeObject) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    return {
      // status.hard is what the quota controller enforces; spec.hard until it has acted.
      hard: quantities(Object.keys(obj(status.hard)).length > 0 ? status.hard : spec.hard),
      used: quantities(status.used),
      scopes: arr(spec.scopes)
        .filter((s): s is string => typeof s === "string")
        .map(intern),
    };
  },
};

export const LIMIT_RANGE: KindDescriptor<LimitRangeData, object> = {
  kind: "LimitRange",
  graphqlType: "LimitRange",
  list: "LimitRange",
  path: corePath("limitranges"),
  project: (o: KubeObject) => ({
    limits: arr(obj(o.spec).limits).map((l) => {
      const item = obj(l);
      return {
        type: intern(str(item.type) ?? "Container"),
        max: quantities(item.max),
        min: quantities(item.min),
        default: quantities(item.default),
        defaultRequest: quantities(item.defaultRequest),
        maxLimitRequestRatio: quantities(item.maxLimitRequestRatio),
      };
    }),
  }),
};
