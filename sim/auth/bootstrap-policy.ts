/**
 * The default RBAC policy a fresh kube-apiserver writes (plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy), trimmed to what users of the simulator meet: the user-facing roles
 * cluster-admin, admin, edit and view (with the system:aggregate-to-* roles they aggregate), the
 * discovery / public-info / basic-user roles, and their ClusterRoleBindings. Names, labels,
 * annotations and rules are the real ones.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { ClusterRoleRules } from "./cluster-role-rules.js";
import { RBAC_GROUP, RBAC_KINDS, type PolicyRule } from "./rbac-objects.js";

const API_VERSION = `${RBAC_GROUP}/v1`;
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const AUTOUPDATE = { "rbac.authorization.kubernetes.io/autoupdate": "true" };
const AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
const AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
const AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

function clusterRole(
  name: string,
  rules: PolicyRule[],
  options: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "ClusterRole",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS, ...options.labels }, annotations: { ...AUTOUPDATE } },
    ...(options.aggregateFrom
      ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [options.aggregateFrom]: "true" } }] } }
      : {}),
    rules,
  };
}

function clusterRoleBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
    subjects: groups.map((group) => ({ apiGroup: RBAC_GROUP, kind: "Group", name: group })),
  };
}

const AGGREGATE_TO_VIEW_RULES: PolicyRule[] = [
  rule(
    READ,
    [""],
    [
      "configmaps",
      "endpoints",
      "persistentvolumeclaims",
      "persistentvolumeclaims/status",
      "pods",
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "serviceaccounts",
      "services",
      "services/status",
    ],
  ),
  rule(
    READ,
    [""],
    [
      "bindings",
      "events",
      "limitranges",
      "namespaces/status",
      "pods/log",
      "pods/status",
      "replicationcontrollers/status",
      "resourcequotas",
      "resourcequotas/status",
    ],
  ),
  rule(READ, [""], ["namespaces"]),
  rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
  rule(
    READ,
    ["apps"],
    [
      "controllerrevisions",
      "daemonsets",
      "daemonsets/status",
      "deployments",
      "deployments/scale",
      "deployments/status",
      "replicasets",
      "replicasets/scale",
      "replicasets/status",
      "statefulsets",
      "statefulsets/scale",
      "statefulsets/status",
    ],
  ),
  rule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
  rule(READ, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
  rule(
    READ,
    ["extensions"],
    [
      "daemonsets",
      "daemonsets/status",
      "deployments",
      "deployments/scale",
      "deployments/status",
      "ingresses",
      "ingresses/status",
      "networkpolicies",
      "replicasets",
      "replicasets/scale",
      "replicasets/status",
      "replicationcontrollers/scale",
    ],
  ),
  rule(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
  rule(READ, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
];

const AGGREGATE_TO_EDIT_RULES: PolicyRule[] = [
  rule(
    READ,
    [""],
    ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"],
  ),
  rule(["impersonate"], [""], ["serviceaccounts"]),
  rule(WRITE, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
  rule(["create"], [""], ["pods/eviction"]),
  rule(
    WRITE,
    [""],
    [
      "configmaps",
      "events",
      "persistentvolumeclaims",
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "secrets",
      "serviceaccounts",
      "services",
      "services/proxy",
    ],
  ),
  rule(["create"], [""], ["serviceaccounts/token"]),
  rule(
    WRITE,
    ["apps"],
    [
      "daemonsets",
      "deployments",
      "deployments/rollback",
      "deployments/scale",
      "replicasets",
      "replicasets/scale",
      "statefulsets",
      "statefulsets/scale",
    ],
  ),
  rule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
  rule(WRITE, ["batch"], ["cronjobs", "jobs"]),
  rule(
    WRITE,
    ["extensions"],
    [
      "daemonsets",
      "deployments",
      "deployments/rollback",
      "deployments/scale",
      "ingresses",
      "networkpolicies",
      "replicasets",
      "replicasets/scale",
      "replicationcontrollers/scale",
    ],
  ),
  rule(WRITE, ["policy"], ["poddisruptionbudgets"]),
  rule(WRITE, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
  rule(READ_WRITE, ["coordination.k8s.io"], ["leases"]),
];

const AGGREGATE_TO_ADMIN_RULES: PolicyRule[] = [
  rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
  rule(READ_WRITE, [RBAC_GROUP], ["rolebindings", "roles"]),
];

/** The default ClusterRoles; aggregated ones get their rules filled in below. */
function defaultClusterRoles(): KubeObject[] {
  return [
    clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), { verbs: ["*"], nonResourceURLs: ["*"] }]),
    clusterRole("admin", [], { aggregateFrom: AGGREGATE_TO_ADMIN }),
    clusterRole("edit", [], { labels: { [AGGREGATE_TO_ADMIN]: "true" }, aggregateFrom: AGGREGATE_TO_EDIT }),
    clusterRole("view", [], { labels: { [AGGREGATE_TO_EDIT]: "true" }, aggregateFrom: AGGREGATE_TO_VIEW }),
    clusterRole("system:aggregate-to-admin", AGGREGATE_TO_ADMIN_RULES, {
      labels: { [AGGREGATE_TO_ADMIN]: "true" },
    }),
    clusterRole("system:aggregate-to-edit", AGGREGATE_TO_EDIT_RULES, {
      labels: { [AGGREGATE_TO_EDIT]: "true" },
    }),
    clusterRole("system:aggregate-to-view", AGGREGATE_TO_VIEW_RULES, {
      labels: { [AGGREGATE_TO_VIEW]: "true" },
    }),
    clusterRole("system:basic-user", [
      rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
      rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
    ]),
    clusterRole("system:discovery", [
      {
        verbs: ["get"],
        nonResourceURLs: [
          "/api",
          "/api/*",
          "/apis",
          "/apis/*",
          "/healthz",
          "/livez",
          "/openapi",
          "/openapi/*",
          "/readyz",
          "/version",
          "/version/",
        ],
      },
    ]),
    clusterRole("system:public-info-viewer", [
      { verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"] },
    ]),
  ];
}

function defaultClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding("cluster-admin", "cluster-admin", ["system:masters"]),
    clusterRoleBinding("system:basic-user", "system:basic-user", ["system:authenticated"]),
    clusterRoleBinding("system:discovery", "system:discovery", ["system:authenticated"]),
    clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [
      "system:authenticated",
      "system:unauthenticated",
    ]),
  ];
}

/**
 * Writes the default ClusterRoles and ClusterRoleBindings into a store (skipping any that already
 * exist, so calling it twice is harmless). Aggregated roles are written with the rules the
 * aggregation controller would have filled in, so `kubectl get clusterrole view -o yaml` shows them.
 */
export function bootstrapRbac(store: ClusterStore): void {
  const roles = defaultClusterRoles();
  const effective = new ClusterRoleRules(roles);
  for (const role of roles) {
    if (store.get(RBAC_KINDS.clusterRoles, undefined, role.metadata.name!)) continue;
    const rules = role.aggregationRule ? effective.rulesFor(role.metadata.name!) : role.rules;
    store.create(RBAC_KINDS.clusterRoles, { ...role, rules });
  }
  for (const binding of defaultClusterRoleBindings()) {
    if (store.get(RBAC_KINDS.clusterRoleBindings, undefined, binding.metadata.name!)) continue;
    store.create(RBAC_KINDS.clusterRoleBindings, binding);
  }
}
