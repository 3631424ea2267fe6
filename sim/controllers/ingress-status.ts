/**
 * What the ingress-nginx controller does for the API: it publishes the address of its own
 * LoadBalancer Service (`--publish-service=ingress-nginx/ingress-nginx-controller`) in the
 * status of every Ingress of class `nginx`, and follows that Service when its address changes.
 * Ingresses of other classes are some other controller's business and keep their status.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { replaceStatus, splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { INGRESSES, SERVICES } from "./resources.js";

const CLASS = "nginx";
const PUBLISHED = { namespace: "ingress-nginx", name: "ingress-nginx-controller" };

function ofClass(ingress: KubeObject): boolean {
  const spec = ingress.spec as { ingressClassName?: string } | undefined;
  const legacy = ingress.metadata.annotations?.["kubernetes.io/ingress.class"];
  return (spec?.ingressClassName ?? legacy) === CLASS;
}

export function startIngressStatus(ctx: ControllerContext): ChangeHandler {
  const queue = ctx.loop.queue("ingress-nginx", (key) => publish(ctx, key));
  const all = (): void => {
    for (const ingress of ctx.store.all(INGRESSES))
      if (ofClass(ingress)) queue.add(`${ingress.metadata.namespace}/${ingress.metadata.name}`);
  };
  all();
  return (change) => {
    const { namespace, name } = change.object.metadata;
    if (change.resource === INGRESSES && change.type !== "DELETED" && ofClass(change.object)) {
      queue.add(`${namespace}/${name}`);
    } else if (change.resource === SERVICES && namespace === PUBLISHED.namespace && name === PUBLISHED.name) {
      all();
    }
  };
}

function publish(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const ingress = ctx.store.get(INGRESSES, namespace, name);
  if (!ingress || ingress.metadata.deletionTimestamp || !ofClass(ingress)) return;
  const service = ctx.store.get(SERVICES, PUBLISHED.namespace, PUBLISHED.name);
  const points = (service?.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } })
    ?.loadBalancer?.ingress;
  // Ingress status carries only ip and hostname (no ipMode, unlike a Service's).
  const ingressPoints = (points ?? []).map((p) => ({
    ...(p.ip ? { ip: p.ip } : {}),
    ...(p.hostname ? { hostname: p.hostname } : {}),
  }));
  replaceStatus(ctx.store, INGRESSES, ingress, {
    loadBalancer: ingressPoints.length > 0 ? { ingress: ingressPoints } : {},
  });
}
