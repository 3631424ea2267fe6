/**
 * Pod facts the controllers share: who controls an object, whether a pod is active or ready, and
 * how a workload's template becomes a pod (with the defaults the API server would fill in).
 */
import type { KubeObject, OwnerReference } from "../../src/kube/object.js";
import { apiVersionOf, type ResourceKind } from "../kinds.js";
import { qosClass } from "../qos-class.js";

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [field: string]: unknown;
}

export interface PodSpec {
  nodeName?: string;
  containers?: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: unknown;
  volumes?: Volume[];
  [field: string]: unknown;
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  [source: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastProbeTime?: string | null;
  lastUpdateTime?: string;
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: Record<string, Record<string, unknown>>;
  lastState: Record<string, Record<string, unknown>>;
}

export interface PodStatus {
  phase?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  [field: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpec;
}

export const podSpec = (pod: KubeObject): PodSpec => (pod.spec as PodSpec | undefined) ?? {};
export const podStatus = (pod: KubeObject): PodStatus => (pod.status as PodStatus | undefined) ?? {};
export const podKey = (pod: KubeObject): string => `${pod.metadata.namespace}/${pod.metadata.name}`;

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

export function controllerReference(kind: ResourceKind, owner: KubeObject): OwnerReference {
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The claims a pod mounts. */
export function claimsOf(pod: KubeObject): string[] {
  return (podSpec(pod).volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
  );
}

/** Not being deleted and not finished: the pods a controller counts towards its replicas. */
export function isActive(pod: KubeObject): boolean {
  const phase = podStatus(pod).phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

export function isReady(pod: KubeObject): boolean {
  return podStatus(pod).conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** The pods `store.ownedBy` lists for an owner that name it as their controller. */
export function controlledPods(
  owned: { resource: string; object: KubeObject }[],
  ownerUid: string,
): KubeObject[] {
  return owned
    .filter((o) => o.resource === "/pods" && controllerOf(o.object)?.uid === ownerUid)
    .map((o) => o.object);
}

export interface PodPlan {
  namespace: string;
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  owner: OwnerReference;
  spec?: Partial<PodSpec>;
}

/**
 * A template's spec with the API server's pod defaults, computed once per stored template and
 * shared by every pod made from it: stored objects are immutable, and sharing keeps 100,000
 * simulated pods within the memory budget.
 */
const defaultedSpecs = new WeakMap<object, PodSpec>();

function defaultedSpec(template: PodTemplate | undefined): PodSpec {
  const source = template?.spec;
  const known = source && defaultedSpecs.get(source);
  if (known) return known;
  const spec = structuredClone(source ?? {});
  const defaulted: PodSpec = {
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    serviceAccountName: "default",
    serviceAccount: "default",
    securityContext: {},
    schedulerName: "default-scheduler",
    enableServiceLinks: true,
    priority: 0,
    preemptionPolicy: "PreemptLowerPriority",
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    tolerations: withDefaultTolerations(spec.tolerations),
  };
  if (source) defaultedSpecs.set(source, defaulted);
  return defaulted;
}

const qosBySpec = new WeakMap<PodSpec, string>();

/** The QoS class of a template's pods, computed once per template like its defaulted spec. */
function templateQos(spec: PodSpec): string {
  let known = qosBySpec.get(spec);
  if (known === undefined) {
    known = qosClass([...(spec.containers ?? []), ...(spec.initContainers ?? [])]);
    qosBySpec.set(spec, known);
  }
  return known;
}

/** A new pod from a workload's template, defaulted as the API server would default it. */
export function podFromTemplate(template: PodTemplate | undefined, plan: PodPlan): KubeObject {
  const base = defaultedSpec(template);
  const spec: PodSpec = plan.spec
    ? {
        ...base,
        ...plan.spec,
        tolerations: plan.spec.tolerations ? withDefaultTolerations(plan.spec.tolerations) : base.tolerations,
      }
    : base;
  const annotations = template?.metadata?.annotations;
  return {
    metadata: {
      ...(plan.name ? { name: plan.name } : { generateName: plan.generateName }),
      namespace: plan.namespace,
      labels: { ...template?.metadata?.labels, ...plan.labels },
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ownerReferences: [plan.owner],
    },
    spec,
    status: { phase: "Pending", qosClass: templateQos(base) },
  };
}

function defaultContainer(container: Container): Container {
  const image = container.image ?? "";
  const tag = image.includes("@") ? "digest" : (/:([^/:]+)$/.exec(image)?.[1] ?? "latest");
  return {
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: tag === "latest" ? "Always" : "IfNotPresent",
    resources: {},
    ...container,
  };
}

/** The DefaultTolerationSeconds admission plugin's tolerations, unless the pod set its own. */
function withDefaultTolerations(tolerations: Toleration[] | undefined): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!out.some((t) => t.key === key && (t.effect === undefined || t.effect === "NoExecute"))) {
      out.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
  }
  return out;
}
