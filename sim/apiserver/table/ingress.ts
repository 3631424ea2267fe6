/**
 * The columns of `kubectl get ingress` (class, the first hosts, the load balancer and the ports)
 * and `kubectl get networkpolicy` (the pods it selects), the networking.k8s.io kinds.
 */
import type { KubeObject } from "../../../src/kube/object.js";
import { since } from "./human-duration.js";
import { AGE_COLUMN, column, formatSelector, list, NAME_COLUMN, str, type RowPrinter } from "./columns.js";

/** formatHosts: at most three hosts, then "+ N more..." counted over every rule. */
function hosts(ingress: KubeObject): string {
  const rules = list(ingress, "spec.rules");
  const shown: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (shown.length === 3) more = true;
    if (!more && str(rule, "host")) shown.push(str(rule, "host"));
  }
  if (shown.length === 0) return "*";
  return more ? `${shown.join(",")} + ${rules.length - 3} more...` : shown.join(",");
}

/** Every distinct IP (or hostname) of the load balancer, sorted; the server prints wide, never clipped. */
function address(ingress: KubeObject): string {
  const points = list(ingress, "status.loadBalancer.ingress").map((i) => str(i, "ip") || str(i, "hostname"));
  return [...new Set(points.filter(Boolean))].sort().join(",");
}

export const ingressPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Class", "The name of the IngressClass resource that should be used for additional configuration"),
    column("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
    column("Address", "Address is a list containing ingress points for the load-balancer"),
    column("Ports", "Ports of TLS configurations that open"),
    AGE_COLUMN,
  ],
  cells: (ingress, now) => [
    ingress.metadata.name ?? "",
    str(ingress, "spec.ingressClassName") || "<none>",
    hosts(ingress),
    address(ingress),
    list(ingress, "spec.tls").length > 0 ? "80, 443" : "80",
    since(ingress.metadata.creationTimestamp, now),
  ],
};

/** printNetworkPolicy: the pod selector as metav1.FormatLabelSelector writes it. */
export const networkPolicyPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
    AGE_COLUMN,
  ],
  cells: (policy, now) => [
    policy.metadata.name ?? "",
    formatSelector((policy.spec as Record<string, unknown> | undefined)?.podSelector),
    since(policy.metadata.creationTimestamp, now),
  ],
};
