/**
 * What every namespace gets from kube-controller-manager as soon as it exists, however it was
 * created: the `default` ServiceAccount (the service-account controller) and the
 * `kube-root-ca.crt` ConfigMap with the cluster CA (the root-ca-cert-publisher). Both put their
 * object back when it is deleted, and the publisher also when its data is changed. Terminating
 * namespaces are left alone: nothing may be created in them.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { StatusError } from "../errors.js";
import type { ResourceKind } from "../kinds.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { CONFIG_MAPS, NAMESPACES, SERVICE_ACCOUNTS } from "./resources.js";

export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";

const ROOT_CA_DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/** One object of a fixed name that every active namespace must hold, in the wanted state. */
interface NamespaceObject {
  queueName: string;
  kind: ResourceKind;
  name: string;
  build: (namespace: string) => KubeObject;
  /** True when a stored copy has drifted and must be rewritten. */
  drifted?: (stored: KubeObject) => boolean;
}

function startNamespaceObjectController(ctx: ControllerContext, wanted: NamespaceObject): ChangeHandler {
  const queue = ctx.loop.queue(wanted.queueName, (namespace) => ensure(ctx, wanted, namespace));
  for (const ns of ctx.store.all(NAMESPACES)) queue.add(ns.metadata.name!);
  return (change) => {
    if (change.resource === NAMESPACES && change.type !== "DELETED") {
      queue.add(change.object.metadata.name!);
    } else if (change.resource === wanted.kind && change.object.metadata.name === wanted.name) {
      if (change.type === "DELETED" || wanted.drifted?.(change.object))
        queue.add(change.object.metadata.namespace!);
    }
  };
}

function ensure(ctx: ControllerContext, wanted: NamespaceObject, namespace: string): void {
  const ns = ctx.store.get(NAMESPACES, undefined, namespace);
  if (!ns || ns.metadata.deletionTimestamp) return;
  const stored = ctx.store.get(wanted.kind, namespace, wanted.name);
  try {
    if (!stored) ctx.store.create(wanted.kind, wanted.build(namespace));
    else if (wanted.drifted?.(stored)) {
      const fresh = wanted.build(namespace);
      ctx.store.update(wanted.kind, {
        ...stored,
        ...fresh,
        metadata: { ...stored.metadata, ...fresh.metadata },
      });
    }
  } catch (error) {
    // A namespace that started terminating meanwhile refuses new content: nothing to do.
    if (!(error instanceof StatusError && (error.code === 403 || error.code === 409))) throw error;
  }
}

export function startServiceAccountController(ctx: ControllerContext): ChangeHandler {
  return startNamespaceObjectController(ctx, {
    queueName: "serviceaccount",
    kind: SERVICE_ACCOUNTS,
    name: "default",
    build: (namespace) => ({ metadata: { name: "default", namespace } }),
  });
}

export function startRootCaPublisher(ctx: ControllerContext, caPem: string): ChangeHandler {
  const build = (namespace: string): KubeObject => ({
    metadata: {
      name: ROOT_CA_CONFIGMAP,
      namespace,
      annotations: { "kubernetes.io/description": ROOT_CA_DESCRIPTION },
    },
    data: { "ca.crt": caPem },
  });
  return startNamespaceObjectController(ctx, {
    queueName: "root-ca-cert-publisher",
    kind: CONFIG_MAPS,
    name: ROOT_CA_CONFIGMAP,
    build,
    drifted: (stored) =>
      JSON.stringify(stored.data) !== JSON.stringify({ "ca.crt": caPem }) ||
      stored.metadata.annotations?.["kubernetes.io/description"] !== ROOT_CA_DESCRIPTION,
  });
}
