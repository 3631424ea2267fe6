/**
 * The demo's built-in role bindings: each simulated person gets the gateway role that matches
 * their RBAC on the clusters, so the demo shows both halves of the model (the gateway's grants
 * AND the cluster's RBAC). admin is a platform admin; alice administers her workspace; bob views
 * his two namespaces; the auditors group (carol) views every cluster; mallory is a regular user
 * with nothing granted.
 */
import { buildUsers } from "../../sim/generator/users.js";
import { SeededRandom } from "../../sim/generator/random.js";
import type { RoleBindingSettings } from "../config/index.js";

export function demoRoleBindings(): RoleBindingSettings[] {
  const bindings: RoleBindingSettings[] = [
    { role: "platform-admin", users: ["admin"], groups: [] },
    { role: "cluster-viewer", cluster: "*", users: [], groups: ["auditors"] },
    { role: "platform-regular", users: ["mallory"], groups: [] },
  ];
  for (const user of buildUsers(new SeededRandom("demo-identity"))) {
    if (user.workspace !== undefined) {
      bindings.push({ role: "workspace-admin", workspace: user.workspace, users: [user.name], groups: [] });
    } else if (user.name !== "admin" && user.name !== "carol") {
      for (const namespace of user.namespaces)
        bindings.push({ role: "viewer", namespace, users: [user.name], groups: [] });
    }
  }
  return bindings;
}
