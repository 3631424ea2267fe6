/** Columns of the core/v1 kinds other than pods, and of the RBAC bindings. */
import type { KubeObject } from "../../../src/kube/object.js";
import { since } from "./human-duration.js";
import {
  AGE_COLUMN,
  at,
  column,
  formatLabels,
  int,
  list,
  NAME_COLUMN,
  record,
  str,
  type RowPrinter,
} from "./columns.js";

const name = (obj: KubeObject): string => obj.metadata.name ?? "";
const age = (obj: KubeObject, now: number): string => since(obj.metadata.creationTimestamp, now);

function nodeStatus(node: KubeObject): string {
  const ready = list(node, "status.conditions").find((c) => c.type === "Ready");
  const status = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (at(node, "spec.unschedulable") === true) status.push("SchedulingDisabled");
  return status.join(",");
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith("node-role.kubernetes.io/") && key.length > "node-role.kubernetes.io/".length)
      roles.add(key.slice("node-role.kubernetes.io/".length));
    else if (key === "kubernetes.io/role" && value !== "") roles.add(value);
  }
  return [...roles].sort().join(",") || "<none>";
}

function nodeAddress(node: KubeObject, type: string): string {
  return (
    str(
      list(node, "status.addresses").find((a) => a.type === type),
      "address",
    ) || "<none>"
  );
}

export const nodePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "The status of the node"),
    column("Roles", "The roles of the node"),
    AGE_COLUMN,
    column("Version", "Kubelet Version reported by the node."),
    column("Internal-IP", "List of addresses reachable to the node.", { priority: 1 }),
    column("External-IP", "List of addresses reachable to the node.", { priority: 1 }),
    column("OS-Image", "OS Image reported by the node from /etc/os-release.", { priority: 1 }),
    column("Kernel-Version", "Kernel Version reported by the node from 'uname -r'.", { priority: 1 }),
    column("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API.", {
      priority: 1,
    }),
  ],
  cells: (node, now) => [
    name(node),
    nodeStatus(node),
    nodeRoles(node),
    age(node, now),
    str(node, "status.nodeInfo.kubeletVersion"),
    nodeAddress(node, "InternalIP"),
    nodeAddress(node, "ExternalIP"),
    str(node, "status.nodeInfo.osImage") || "<unknown>",
    str(node, "status.nodeInfo.kernelVersion") || "<unknown>",
    str(node, "status.nodeInfo.containerRuntimeVersion") || "<unknown>",
  ],
};

export const namespacePrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Status", "The status of the namespace"), AGE_COLUMN],
  cells: (ns, now) => [name(ns), str(ns, "status.phase"), age(ns, now)],
};

function externalIP(svc: KubeObject): string {
  const external = (at(svc, "spec.externalIPs") as string[] | undefined) ?? [];
  switch (str(svc, "spec.type")) {
    case "ClusterIP":
    case "NodePort":
      return external.length > 0 ? external.join(",") : "<none>";
    case "LoadBalancer": {
      const ingress = list(svc, "status.loadBalancer.ingress").map((i) => str(i, "ip") || str(i, "hostname"));
      const all = [...new Set(ingress.filter(Boolean))].sort().concat(external);
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return str(svc, "spec.externalName");
    default:
      return "<unknown>";
  }
}

function servicePorts(svc: KubeObject): string {
  const ports = list(svc, "spec.ports").map((p) => {
    const protocol = str(p, "protocol") || "TCP";
    const nodePort = int(p, "nodePort");
    return nodePort > 0 ? `${int(p, "port")}:${nodePort}/${protocol}` : `${int(p, "port")}/${protocol}`;
  });
  return ports.join(",") || "<none>";
}

export const servicePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", "type determines how the Service is exposed."),
    column("Cluster-IP", "clusterIP is the IP address of the service."),
    column(
      "External-IP",
      "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
    ),
    column("Port(s)", "The list of ports that are exposed by this service."),
    AGE_COLUMN,
    column("Selector", "Route service traffic to pods with label keys and values matching this selector.", {
      priority: 1,
    }),
  ],
  cells: (svc, now) => {
    const clusterIPs = (at(svc, "spec.clusterIPs") as string[] | undefined) ?? [];
    return [
      name(svc),
      str(svc, "spec.type"),
      clusterIPs[0] ?? (str(svc, "spec.clusterIP") || "<none>"),
      externalIP(svc),
      servicePorts(svc),
      age(svc, now),
      formatLabels(record(svc, "spec.selector")),
    ];
  },
};

function eventTimes(ev: KubeObject, now: number): { first: string; last: string; count: number } {
  const firstStamp = str(ev, "firstTimestamp");
  const first = firstStamp ? since(firstStamp, now) : since(str(ev, "eventTime"), now);
  const lastStamp = str(ev, "lastTimestamp");
  let last = lastStamp ? since(lastStamp, now) : first;
  let count = int(ev, "count");
  if (at(ev, "series") !== undefined && at(ev, "series") !== null) {
    last = since(str(ev, "series.lastObservedTime"), now);
    count = int(ev, "series.count");
  } else if (count === 0) count = 1;
  return { first, last, count };
}

function eventSource(ev: KubeObject): string {
  const component = str(ev, "source.component") || str(ev, "reportingComponent");
  const host = str(ev, "source.host") || str(ev, "reportingInstance");
  if (!component) return "";
  return host ? `${component}, ${host}` : component;
}

export const eventPrinter: RowPrinter = {
  columns: [
    column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
    column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
    column(
      "Reason",
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column("Object", "The object that this event is about."),
    column("Subobject", "The field of the involved object this event is about.", { priority: 1 }),
    column("Source", "The component reporting this event.", { priority: 1 }),
    column("Message", "A human-readable description of the status of this operation."),
    column("First Seen", "The time at which the event was first recorded.", { priority: 1 }),
    column("Count", "The number of times this event has occurred.", { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells: (ev, now) => {
    const { first, last, count } = eventTimes(ev, now);
    const kind = str(ev, "involvedObject.kind").toLowerCase();
    const target = str(ev, "involvedObject.name") ? `${kind}/${str(ev, "involvedObject.name")}` : kind;
    return [
      last,
      str(ev, "type"),
      str(ev, "reason"),
      target,
      str(ev, "involvedObject.fieldPath"),
      eventSource(ev),
      str(ev, "message").trim(),
      first,
      count,
      name(ev),
    ];
  },
};

export const configMapPrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Data", "Data contains the configuration data."), AGE_COLUMN],
  cells: (cm, now) => [
    name(cm),
    Object.keys(record(cm, "data")).length + Object.keys(record(cm, "binaryData")).length,
    age(cm, now),
  ],
};

export const secretPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", "Used to facilitate programmatic handling of secret data."),
    column("Data", "Data contains the secret data."),
    AGE_COLUMN,
  ],
  cells: (s, now) => [name(s), str(s, "type"), Object.keys(record(s, "data")).length, age(s, now)],
};

export const serviceAccountPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Secrets", "Secrets is a list of the secrets in the same namespace."),
    AGE_COLUMN,
  ],
  cells: (sa, now) => [name(sa), list(sa, "secrets").length, age(sa, now)],
};

function subjects(binding: KubeObject, kind: string): string {
  return list(binding, "subjects")
    .filter((s) => s.kind === kind)
    .map((s) => (kind === "ServiceAccount" ? `${str(s, "namespace")}/${str(s, "name")}` : str(s, "name")))
    .join(", ");
}

export const bindingPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      "Role",
      "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.",
    ),
    AGE_COLUMN,
    column("Users", "Users in the roleBinding", { priority: 1 }),
    column("Groups", "Groups in the roleBinding", { priority: 1 }),
    column("ServiceAccounts", "ServiceAccounts in the roleBinding", { priority: 1 }),
  ],
  cells: (b, now) => [
    name(b),
    `${str(b, "roleRef.kind")}/${str(b, "roleRef.name")}`,
    age(b, now),
    subjects(b, "User"),
    subjects(b, "Group"),
    subjects(b, "ServiceAccount"),
  ],
};

/** The generic convertor for kinds without a printer (Role, ClusterRole): Name and Created At. */
export const defaultPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      "Created At",
      "CreationTimestamp is a timestamp representing the server time when this object was created.",
      {
        type: "date",
      },
    ),
  ],
  cells: (obj) => [name(obj), rfc3339(obj.metadata.creationTimestamp)],
};

/** Go's time.RFC3339 in UTC: whole seconds, "Z". */
function rfc3339(timestamp: string | undefined): string {
  const at = Date.parse(timestamp ?? "");
  return Number.isNaN(at) ? "" : new Date(at).toISOString().replace(/\.\d+Z$/, "Z");
}
