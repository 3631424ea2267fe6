/**
 * The fleet's users: the same people with the same rights on every cluster, each showing one
 * shape of RBAC the gateway must honour (cluster admin, workspace admin, namespace viewer,
 * cluster-wide viewer, nobody, and the gateway's own impersonating identity).
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { SimUser } from "../auth/user.js";
import { NAMESPACES } from "./catalog.js";
import type { PlannedObject } from "./workloads.js";
import type { SeededRandom } from "./random.js";

export interface FleetUser extends SimUser {
  /** What the user may do, in words (for the fleet file and the docs). */
  access: string;
  /** Namespaces the user holds a RoleBinding in (on every cluster). */
  namespaces: string[];
  /** The workspace the user administers, if any. */
  workspace?: string;
}

const ALICE_WORKSPACE = "retail";
const BOB_NAMESPACES = ["search", "analytics"];
export const GATEWAY_USER = "fleetgraph-gateway";
const RBAC = "rbac.authorization.k8s.io";

export function buildUsers(random: SeededRandom): FleetUser[] {
  // A kubeadm-style token shape ("abcdef.0123456789abcdef"), stable for the seed.
  const token = (name: string) => {
    const r = random.fork(`token/${name}`);
    return `${r.hex(6)}.${r.hex(16)}${r.hex(16)}`;
  };
  const workspaceNamespaces = NAMESPACES.filter((ns) => ns.workspace === ALICE_WORKSPACE).map(
    (ns) => ns.name,
  );
  return [
    {
      name: "admin",
      groups: ["system:masters"],
      token: token("admin"),
      access: "cluster-admin (group system:masters)",
      namespaces: [],
    },
    {
      name: "alice",
      groups: ["workspace:retail"],
      token: token("alice"),
      access: `admin of workspace ${ALICE_WORKSPACE}: ClusterRole admin in ${workspaceNamespaces.join(", ")}`,
      namespaces: workspaceNamespaces,
      workspace: ALICE_WORKSPACE,
    },
    {
      name: "bob",
      groups: [],
      token: token("bob"),
      access: `view in ${BOB_NAMESPACES.join(", ")}`,
      namespaces: [...BOB_NAMESPACES],
    },
    {
      name: "carol",
      groups: ["auditors"],
      token: token("carol"),
      access: "view in every namespace (ClusterRoleBinding)",
      namespaces: [],
    },
    { name: "mallory", groups: [], token: token("mallory"), access: "no bindings", namespaces: [] },
    {
      name: GATEWAY_USER,
      groups: ["fleetgraph"],
      token: token(GATEWAY_USER),
      access: "get/list/watch everything, impersonate users, groups and service accounts",
      namespaces: [],
    },
  ];
}

function roleRef(name: string) {
  return { apiGroup: RBAC, kind: "ClusterRole", name };
}

function userSubject(name: string) {
  return { apiGroup: RBAC, kind: "User", name };
}

const MANAGED = { "app.kubernetes.io/managed-by": "fleetgraph-sim" };

/** The RBAC objects granting each user's access; ClusterRoles come from bootstrapRbac. */
export function buildRbac(users: FleetUser[]): PlannedObject[] {
  const out: PlannedObject[] = [];
  const gatewayRole: KubeObject = {
    metadata: { name: GATEWAY_USER, labels: MANAGED },
    rules: [
      { apiGroups: [""], resources: ["users", "groups", "serviceaccounts"], verbs: ["impersonate"] },
      {
        apiGroups: ["authentication.k8s.io"],
        resources: ["userextras/scopes", "uids"],
        verbs: ["impersonate"],
      },
      { apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch"] },
      {
        apiGroups: ["authorization.k8s.io"],
        resources: ["subjectaccessreviews", "selfsubjectaccessreviews"],
        verbs: ["create"],
      },
    ],
  };
  out.push({ resource: `${RBAC}/clusterroles`, object: gatewayRole });
  for (const user of users) {
    if (user.name === GATEWAY_USER) {
      out.push({
        resource: `${RBAC}/clusterrolebindings`,
        object: {
          metadata: { name: GATEWAY_USER, labels: MANAGED },
          roleRef: roleRef(GATEWAY_USER),
          subjects: [userSubject(user.name)],
        },
      });
    } else if (user.name === "carol") {
      out.push({
        resource: `${RBAC}/clusterrolebindings`,
        object: {
          metadata: { name: "carol-view", labels: MANAGED },
          roleRef: roleRef("view"),
          subjects: [userSubject(user.name)],
        },
      });
    } else {
      const clusterRole = user.workspace ? "admin" : "view";
      for (const namespace of user.namespaces) {
        out.push({
          resource: `${RBAC}/rolebindings`,
          object: {
            metadata: {
              name: `${user.name}-${clusterRole}`,
              namespace,
              labels: {
                ...MANAGED,
                ...(user.workspace ? { "kubesphere.io/workspace": user.workspace } : {}),
              },
            },
            roleRef: roleRef(clusterRole),
            subjects: [userSubject(user.name)],
          },
        });
      }
    }
  }
  return out;
}
