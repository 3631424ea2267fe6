/** Services: type, ports and the pod selector (pods and endpoints are resolved from the pod cache). */
import { intern, internRecord } from "../cache/intern.js";
import { arr, num, obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, oneOf, type KindDescriptor } from "./descriptor.js";

export interface ServicePortView {
  name: string | undefined;
  port: number;
  targetPort: string | undefined;
  protocol: string;
  nodePort: number | undefined;
}

export interface ServiceData {
  type: string;
  clusterIP: string | undefined;
  externalIPs: string[];
  ports: ServicePortView[];
  selector: Readonly<Record<string, string>> | undefined;
}

export interface ServiceListFilter {
  types?: string[] | null;
}

export function serviceData(o: KubeObject): ServiceData {
  const spec = obj(o.spec);
  const ingress = arr(obj(obj(o.status).loadBalancer).ingress).map(obj);
  return {
    type: intern(str(spec.type) ?? "ClusterIP"),
    clusterIP: str(spec.clusterIP),
    externalIPs: [
      ...arr(spec.externalIPs).filter((ip): ip is string => typeof ip === "string"),
      ...ingress.map((i) => str(i.ip) ?? str(i.hostname) ?? "").filter((ip) => ip !== ""),
    ],
    ports: arr(spec.ports).map((p) => {
      const port = obj(p);
      const target = port.targetPort;
      return {
        name: str(port.name),
        port: num(port.port),
        targetPort: typeof target === "number" ? String(target) : str(target),
        protocol: intern(str(port.protocol) ?? "TCP"),
        nodePort: typeof port.nodePort === "number" ? port.nodePort : undefined,
      };
    }),
    selector: spec.selector ? internRecord(spec.selector as Record<string, string>) : undefined,
  };
}

export const SERVICE: KindDescriptor<ServiceData, ServiceListFilter> = {
  kind: "Service",
  graphqlType: "Service",
  list: "Service",
  path: corePath("services"),
  project: serviceData,
  predicate: (filter) => allOf([oneOf(filter.types, (e) => (e.data as ServiceData).type)]),
};
