/**
 * Field numbers of the built-in kinds kubectl's typed clients send as protobuf (from the
 * generated.proto files of k8s.io/api and k8s.io/apimachinery): access reviews (`auth can-i`)
 * and what `kubectl create namespace|configmap|secret|serviceaccount|quota|ingress|role|
 * rolebinding|clusterrole|clusterrolebinding` send; `kubectl create pdb` and `kubectl drain` in
 * policy-schemas.ts.
 */
import type { FieldSpec, MessageSchema } from "./wire.js";

export const str = (name: string): FieldSpec => ({ name, type: "string" });
export const strs = (name: string): FieldSpec => ({ name, type: "string", repeated: true });
export const message = (name: string, fields: MessageSchema["fields"]): MessageSchema => ({
  name,
  fields,
});

const OWNER_REFERENCE = message("OwnerReference", {
  1: str("kind"),
  3: str("name"),
  4: str("uid"),
  5: str("apiVersion"),
  6: { name: "controller", type: "bool" },
  7: { name: "blockOwnerDeletion", type: "bool" },
});

const OBJECT_META = message("ObjectMeta", {
  1: str("name"),
  2: str("generateName"),
  3: str("namespace"),
  4: str("selfLink"),
  5: str("uid"),
  6: str("resourceVersion"),
  7: { name: "generation", type: "int" },
  8: { name: "creationTimestamp", type: "time" },
  9: { name: "deletionTimestamp", type: "time" },
  10: { name: "deletionGracePeriodSeconds", type: "int" },
  11: { name: "labels", type: "string", map: true },
  12: { name: "annotations", type: "string", map: true },
  13: { name: "ownerReferences", type: OWNER_REFERENCE, repeated: true },
  14: strs("finalizers"),
});

export const metadata: FieldSpec = { name: "metadata", type: OBJECT_META };

const RESOURCE_ATTRIBUTES = message("ResourceAttributes", {
  1: str("namespace"),
  2: str("verb"),
  3: str("group"),
  4: str("version"),
  5: str("resource"),
  6: str("subresource"),
  7: str("name"),
});
const NON_RESOURCE_ATTRIBUTES = message("NonResourceAttributes", { 1: str("path"), 2: str("verb") });
const ACCESS_REVIEW_STATUS = message("SubjectAccessReviewStatus", {
  1: { name: "allowed", type: "bool" },
  2: str("reason"),
  3: str("evaluationError"),
  4: { name: "denied", type: "bool" },
});
const EXTRA_VALUE = message("ExtraValue", { 1: strs("items") });

const POLICY_RULE = message("PolicyRule", {
  1: strs("verbs"),
  2: strs("apiGroups"),
  3: strs("resources"),
  4: strs("resourceNames"),
  5: strs("nonResourceURLs"),
});
const SUBJECT = message("Subject", {
  1: str("kind"),
  2: str("apiGroup"),
  3: str("name"),
  4: str("namespace"),
});
const ROLE_REF = message("RoleRef", { 1: str("apiGroup"), 2: str("kind"), 3: str("name") });
const binding = (name: string): MessageSchema =>
  message(name, {
    1: metadata,
    2: { name: "subjects", type: SUBJECT, repeated: true },
    3: { name: "roleRef", type: ROLE_REF },
  });

/** Schemas by "<apiVersion>/<kind>". */
const INGRESS_BACKEND = message("IngressBackend", {
  4: {
    name: "service",
    type: message("IngressServiceBackend", {
      1: str("name"),
      2: {
        name: "port",
        type: message("ServiceBackendPort", { 1: str("name"), 2: { name: "number", type: "int" } }),
      },
    }),
  },
  3: {
    name: "resource",
    type: message("TypedLocalObjectReference", { 1: str("apiGroup"), 2: str("kind"), 3: str("name") }),
  },
});

const INGRESS_SPEC = message("IngressSpec", {
  4: str("ingressClassName"),
  1: { name: "defaultBackend", type: INGRESS_BACKEND },
  2: { name: "tls", repeated: true, type: message("IngressTLS", { 1: strs("hosts"), 2: str("secretName") }) },
  3: {
    name: "rules",
    repeated: true,
    type: message("IngressRule", {
      1: str("host"),
      2: {
        name: "ingressRuleValue",
        inline: true,
        type: message("IngressRuleValue", {
          1: {
            name: "http",
            type: message("HTTPIngressRuleValue", {
              1: {
                name: "paths",
                repeated: true,
                type: message("HTTPIngressPath", {
                  1: str("path"),
                  3: str("pathType"),
                  2: { name: "backend", type: INGRESS_BACKEND },
                }),
              },
            }),
          },
        }),
      },
    }),
  },
});

const INGRESS_STATUS = message("IngressStatus", {
  1: {
    name: "loadBalancer",
    type: message("IngressLoadBalancerStatus", {
      1: {
        name: "ingress",
        repeated: true,
        type: message("IngressLoadBalancerIngress", { 1: str("ip"), 2: str("hostname") }),
      },
    }),
  },
});

export const PROTOBUF_SCHEMAS: Record<string, MessageSchema> = {
  "authorization.k8s.io/v1/SelfSubjectAccessReview": message("SelfSubjectAccessReview", {
    1: metadata,
    2: {
      name: "spec",
      type: message("SelfSubjectAccessReviewSpec", {
        1: { name: "resourceAttributes", type: RESOURCE_ATTRIBUTES },
        2: { name: "nonResourceAttributes", type: NON_RESOURCE_ATTRIBUTES },
      }),
    },
    3: { name: "status", type: ACCESS_REVIEW_STATUS },
  }),
  "authorization.k8s.io/v1/SelfSubjectRulesReview": message("SelfSubjectRulesReview", {
    1: metadata,
    2: { name: "spec", type: message("SelfSubjectRulesReviewSpec", { 1: str("namespace") }) },
    3: {
      name: "status",
      type: message("SubjectRulesReviewStatus", {
        1: {
          name: "resourceRules",
          repeated: true,
          type: message("ResourceRule", {
            1: strs("verbs"),
            2: strs("apiGroups"),
            3: strs("resources"),
            4: strs("resourceNames"),
          }),
        },
        2: {
          name: "nonResourceRules",
          repeated: true,
          type: message("NonResourceRule", { 1: strs("verbs"), 2: strs("nonResourceURLs") }),
        },
        3: { name: "incomplete", type: "bool" },
        4: str("evaluationError"),
      }),
    },
  }),
  "authorization.k8s.io/v1/SubjectAccessReview": message("SubjectAccessReview", {
    1: metadata,
    2: {
      name: "spec",
      type: message("SubjectAccessReviewSpec", {
        1: { name: "resourceAttributes", type: RESOURCE_ATTRIBUTES },
        2: { name: "nonResourceAttributes", type: NON_RESOURCE_ATTRIBUTES },
        3: str("user"),
        4: strs("groups"),
        5: { name: "extra", type: EXTRA_VALUE, map: true },
        6: str("uid"),
      }),
    },
    3: { name: "status", type: ACCESS_REVIEW_STATUS },
  }),
  "v1/Namespace": message("Namespace", {
    1: metadata,
    2: { name: "spec", type: message("NamespaceSpec", { 1: strs("finalizers") }) },
    3: { name: "status", type: message("NamespaceStatus", { 1: str("phase") }) },
  }),
  "v1/ConfigMap": message("ConfigMap", {
    1: metadata,
    2: { name: "data", type: "string", map: true },
    3: { name: "binaryData", type: "bytes", map: true },
    4: { name: "immutable", type: "bool" },
  }),
  "v1/Secret": message("Secret", {
    1: metadata,
    2: { name: "data", type: "bytes", map: true },
    3: str("type"),
    4: { name: "stringData", type: "string", map: true },
    5: { name: "immutable", type: "bool" },
  }),
  "v1/ServiceAccount": message("ServiceAccount", {
    1: metadata,
    2: {
      name: "secrets",
      repeated: true,
      type: message("ObjectReference", {
        1: str("kind"),
        2: str("namespace"),
        3: str("name"),
        4: str("uid"),
        5: str("apiVersion"),
        6: str("resourceVersion"),
        7: str("fieldPath"),
      }),
    },
    3: {
      name: "imagePullSecrets",
      repeated: true,
      type: message("LocalObjectReference", { 1: str("name") }),
    },
    4: { name: "automountServiceAccountToken", type: "bool" },
  }),
  "rbac.authorization.k8s.io/v1/Role": message("Role", {
    1: metadata,
    2: { name: "rules", type: POLICY_RULE, repeated: true },
  }),
  "rbac.authorization.k8s.io/v1/ClusterRole": message("ClusterRole", {
    1: metadata,
    2: { name: "rules", type: POLICY_RULE, repeated: true },
  }),
  "v1/ResourceQuota": message("ResourceQuota", {
    1: metadata,
    2: {
      name: "spec",
      type: message("ResourceQuotaSpec", {
        1: { name: "hard", type: "quantity", map: true },
        2: strs("scopes"),
        3: {
          name: "scopeSelector",
          type: message("ScopeSelector", {
            1: {
              name: "matchExpressions",
              repeated: true,
              type: message("ScopedResourceSelectorRequirement", {
                1: str("scopeName"),
                2: str("operator"),
                3: strs("values"),
              }),
            },
          }),
        },
      }),
    },
    3: {
      name: "status",
      type: message("ResourceQuotaStatus", {
        1: { name: "hard", type: "quantity", map: true },
        2: { name: "used", type: "quantity", map: true },
      }),
    },
  }),
  "networking.k8s.io/v1/Ingress": message("Ingress", {
    1: metadata,
    2: { name: "spec", type: INGRESS_SPEC },
    3: { name: "status", type: INGRESS_STATUS },
  }),
  "rbac.authorization.k8s.io/v1/RoleBinding": binding("RoleBinding"),
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": binding("ClusterRoleBinding"),
};
