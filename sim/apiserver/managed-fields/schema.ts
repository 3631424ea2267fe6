/**
 * What the real API types' OpenAPI extensions say about lists and maps, for the fields the
 * simulated kinds use: which lists are associative (`x-kubernetes-list-type: map`, merged item by
 * item on their keys), which are sets (`listType=set`: finalizers), and which values are atomic
 * (owned and replaced as a whole: label selectors, node selectors). Every other list is atomic;
 * every other map is granular.
 */
export type ListType = { type: "map"; keys: string[] } | { type: "set" } | { type: "atomic" };

/** `x-kubernetes-list-map-keys` by field name, where the name alone decides. */
const MAP_LIST_KEYS: Record<string, string[]> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  volumes: ["name"],
  env: ["name"],
  volumeMounts: ["mountPath"],
  volumeDevices: ["devicePath"],
  imagePullSecrets: ["name"],
  hostAliases: ["ip"],
  conditions: ["type"],
  ownerReferences: ["uid"],
  secrets: ["name"],
  topologySpreadConstraints: ["topologyKey", "whenUnsatisfiable"],
  resourceClaims: ["name"],
  taints: ["key", "effect"],
  addresses: ["type"],
};

const SET_LISTS = new Set(["finalizers"]);

/**
 * The list at the end of `fields` (the field names from the object's root down to it). A
 * Service's ports are keyed by port and protocol, a container's by containerPort and protocol.
 */
export function listTypeOf(fields: readonly string[], kindName: string): ListType {
  const field = fields[fields.length - 1] ?? "";
  if (SET_LISTS.has(field)) return { type: "set" };
  if (field === "ports") {
    if (kindName === "Service" && fields.length === 2 && fields[0] === "spec")
      return { type: "map", keys: ["port", "protocol"] };
    if (fields.includes("containers") || fields.includes("initContainers"))
      return { type: "map", keys: ["containerPort", "protocol"] };
    return { type: "atomic" };
  }
  const keys = MAP_LIST_KEYS[field];
  return keys ? { type: "map", keys } : { type: "atomic" };
}

/**
 * Maps owned as one value: a workload's or job's label selector (`structType=atomic`), a
 * Service's selector and a pod's nodeSelector (`mapType=atomic`).
 */
export function isAtomicMap(fields: readonly string[]): boolean {
  const field = fields[fields.length - 1];
  if (field === "nodeSelector") return true;
  return field === "selector" && fields.length === 2 && fields[0] === "spec";
}
