import type { KubeObject } from "../../kube/object.js";
import { intern, internRecord } from "../intern.js";
import { arr, num, obj, str } from "./json.js";
import type { ServiceData } from "./types.js";

export function serviceData(o: KubeObject): ServiceData {
  const spec = obj(o.spec);
  return {
    type: intern(str(spec.type) ?? "ClusterIP"),
    clusterIP: str(spec.clusterIP),
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
