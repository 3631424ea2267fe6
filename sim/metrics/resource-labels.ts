/** How kube-state-metrics names a resource and its unit in `resource` and `unit` labels. */

/** kube-state-metrics' unit label for a resource name (core, byte, integer). */
export function unitOf(resource: string): string {
  if (resource === "cpu") return "core";
  if (resource === "memory" || resource === "ephemeral-storage" || resource.startsWith("hugepages-"))
    return "byte";
  return "integer";
}

/** Resource names become label values with `-` and `.` as `_` (ephemeral_storage, hugepages_2Mi). */
export function resourceLabel(resource: string): string {
  return resource.replace(/[-./]/g, "_");
}
