/**
 * The ingresses of the web-facing services: class `nginx`, one host per route
 * (`shop.<environment>.example.com`), Prefix paths to the namespace's Services, and TLS from a
 * kubernetes.io/tls Secret that cert-manager would keep renewed. Their load-balancer address is
 * the ingress controller's to publish (see the ingress-status controller).
 */
import type { IngressRoute, NamespaceSpec } from "./catalog.js";
import type { SeededRandom } from "./random.js";
import type { PlannedObject } from "./workloads.js";

export const INGRESS_CLASS = "nginx";

/** A PEM block of the given type with a random body: looks right, holds no real key. */
function pem(type: string, random: SeededRandom, bytes: number): string {
  const body = Buffer.from(random.hex(bytes * 2), "hex").toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

function tlsSecret(ns: NamespaceSpec, name: string, host: string, random: SeededRandom): PlannedObject {
  return {
    resource: "/secrets",
    object: {
      metadata: {
        name,
        namespace: ns.name,
        labels: { "controller.cert-manager.io/fao": "true" },
        annotations: {
          "cert-manager.io/alt-names": host,
          "cert-manager.io/certificate-name": name,
          "cert-manager.io/common-name": host,
          "cert-manager.io/issuer-kind": "ClusterIssuer",
          "cert-manager.io/issuer-name": "letsencrypt",
        },
      },
      type: "kubernetes.io/tls",
      data: {
        "tls.crt": Buffer.from(pem("CERTIFICATE", random, 96)).toString("base64"),
        "tls.key": Buffer.from(pem("PRIVATE KEY", random, 48)).toString("base64"),
      },
    },
  };
}

function ingress(ns: NamespaceSpec, route: IngressRoute, host: string): PlannedObject {
  return {
    resource: "networking.k8s.io/ingresses",
    object: {
      metadata: {
        name: route.name,
        namespace: ns.name,
        labels: { "app.kubernetes.io/name": route.name, "app.kubernetes.io/part-of": ns.partOf },
        annotations: {
          "cert-manager.io/cluster-issuer": "letsencrypt",
          "nginx.ingress.kubernetes.io/ssl-redirect": "true",
        },
      },
      spec: {
        ingressClassName: INGRESS_CLASS,
        tls: [{ hosts: [host], secretName: `${route.name}-tls` }],
        rules: [
          {
            host,
            http: {
              paths: route.paths.map((p) => ({
                path: p.path,
                pathType: "Prefix",
                backend: { service: { name: p.service, port: { number: p.port } } },
              })),
            },
          },
        ],
      },
    },
  };
}

/** Each route's TLS Secret, then its Ingress. */
export function buildIngresses(
  ns: NamespaceSpec,
  environment: string,
  random: SeededRandom,
): PlannedObject[] {
  return (ns.ingresses ?? []).flatMap((route) => {
    const host = `${route.host}.${environment}.example.com`;
    return [tlsSecret(ns, `${route.name}-tls`, host, random), ingress(ns, route, host)];
  });
}
