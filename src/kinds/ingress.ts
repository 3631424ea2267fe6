/** Ingresses (networking.k8s.io/v1): rules, hosts and the services they route to. */
import type { CacheEntry } from "../cache/entry.js";
import { intern } from "../cache/intern.js";
import { arr, num, obj, str, type Json } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, given, groupPath, type KindDescriptor } from "./descriptor.js";

export interface IngressBackendView {
  serviceName: string | undefined;
  /** A port number or a port name. */
  servicePort: string | undefined;
  /** A resource backend (apiGroup/kind/name) instead of a service. */
  resource: string | undefined;
}

export interface IngressPathView {
  path: string | undefined;
  pathType: string;
  backend: IngressBackendView;
}

export interface IngressRuleView {
  host: string | undefined;
  paths: IngressPathView[];
}

export interface IngressData {
  className: string | undefined;
  rules: IngressRuleView[];
  defaultBackend: IngressBackendView | undefined;
  tls: { hosts: string[]; secretName: string | undefined }[];
  /** status.loadBalancer.ingress: IPs or hostnames. */
  addresses: string[];
}

export interface IngressListFilter {
  hosts?: string[] | null;
  classNames?: string[] | null;
  serviceName?: string | null;
}

function backend(value: Json): IngressBackendView {
  const service = obj(value.service);
  const port = obj(service.port);
  const resource = obj(value.resource);
  return {
    serviceName: str(service.name),
    servicePort: typeof port.number === "number" ? String(num(port.number)) : str(port.name),
    resource: str(resource.name)
      ? `${str(resource.apiGroup) ?? ""}/${str(resource.kind) ?? ""}/${str(resource.name)!}`
      : undefined,
  };
}

export function ingressData(o: KubeObject): IngressData {
  const spec = obj(o.spec);
  const def = obj(spec.defaultBackend);
  return {
    className: str(spec.ingressClassName) ? intern(str(spec.ingressClassName)!) : undefined,
    rules: arr(spec.rules).map((r) => {
      const rule = obj(r);
      return {
        host: str(rule.host),
        paths: arr(obj(rule.http).paths).map((p) => {
          const path = obj(p);
          return {
            path: str(path.path),
            pathType: intern(str(path.pathType) ?? "ImplementationSpecific"),
            backend: backend(obj(path.backend)),
          };
        }),
      };
    }),
    defaultBackend: Object.keys(def).length > 0 ? backend(def) : undefined,
    tls: arr(spec.tls).map((t) => ({
      hosts: arr(obj(t).hosts).filter((h): h is string => typeof h === "string"),
      secretName: str(obj(t).secretName),
    })),
    addresses: arr(obj(obj(o.status).loadBalancer).ingress)
      .map((i) => str(obj(i).ip) ?? str(obj(i).hostname) ?? "")
      .filter((a) => a !== ""),
  };
}

/** The services an ingress routes to, by name (its rules' backends and its default backend). */
export function ingressServices(data: IngressData): Set<string> {
  const names = new Set<string>();
  for (const rule of data.rules)
    for (const p of rule.paths) if (p.backend.serviceName) names.add(p.backend.serviceName);
  if (data.defaultBackend?.serviceName) names.add(data.defaultBackend.serviceName);
  return names;
}

const data = (e: CacheEntry) => e.data as IngressData;

export const INGRESS: KindDescriptor<IngressData, IngressListFilter> = {
  kind: "Ingress",
  graphqlType: "Ingress",
  list: "Ingress",
  path: groupPath("networking.k8s.io", "v1", "ingresses"),
  project: ingressData,
  predicate: (filter) => {
    const hosts = given(filter.hosts) ? new Set(filter.hosts) : undefined;
    const classes = given(filter.classNames) ? new Set(filter.classNames) : undefined;
    return allOf([
      hosts !== undefined && ((e) => data(e).rules.some((r) => r.host !== undefined && hosts.has(r.host))),
      classes !== undefined && ((e) => classes.has(data(e).className ?? "")),
      given(filter.serviceName) && ((e) => ingressServices(data(e)).has(filter.serviceName!)),
    ]);
  },
};
