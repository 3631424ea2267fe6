/**
 * Container runtime facts as containerd reports them to the kubelet: fully qualified image
 * references, image digests, container IDs, and the events the kubelet records while it starts
 * or stops a container. Everything derives from names, so a fleet looks the same on every run.
 */
import { createHash } from "node:crypto";
import type { KubeObject } from "../../src/kube/object.js";
import type { EventRecorder } from "./events.js";
import { PODS } from "./resources.js";
import type { Container, ContainerStatus } from "./pods.js";

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `nginx:1.25` -> `docker.io/library/nginx:1.25`, as containerd reports the image. */
const qualified = new Map<string, string>();

export function qualifiedImage(image: string): string {
  let ref = qualified.get(image);
  if (ref === undefined) {
    ref = qualify(image);
    if (qualified.size < 10_000) qualified.set(image, ref);
  }
  return ref;
}

function qualify(image: string): string {
  const slash = image.indexOf("/");
  const first = slash < 0 ? "" : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let ref = hasRegistry ? image : slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
  const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !ref.includes("@")) ref += ":latest";
  return ref;
}

/** One string per distinct image, shared by every container status that runs it. */
const imageIds = new Map<string, string>();

export function imageId(image: string): string {
  let id = imageIds.get(image);
  if (id === undefined) {
    const ref = qualifiedImage(image);
    id = ref.includes("@") ? ref : `${ref.slice(0, ref.lastIndexOf(":"))}@sha256:${sha256(`image/${ref}`)}`;
    if (imageIds.size < 10_000) imageIds.set(image, id);
  }
  return id;
}

export function containerId(pod: KubeObject, container: string, restartCount: number): string {
  return `containerd://${sha256(`${pod.metadata.uid}/${container}/${restartCount}`)}`;
}

export function runningStatus(
  pod: KubeObject,
  container: Container,
  restartCount: number,
  startedAt: string,
): ContainerStatus {
  const image = container.image ?? "";
  return {
    name: container.name,
    image: qualifiedImage(image),
    imageID: imageId(image),
    containerID: containerId(pod, container.name, restartCount),
    ready: true,
    started: true,
    restartCount,
    state: { running: { startedAt } },
    lastState: {},
  };
}

export function fieldPathOf(container: string, init = false): string {
  return `${init ? "spec.initContainers" : "spec.containers"}{${container}}`;
}

/** Pulled, Created, Started: what the kubelet records for each container it starts. */
export function recordContainerStart(
  events: EventRecorder,
  pod: KubeObject,
  container: Container,
  host: string,
  init = false,
): void {
  const base = {
    kind: PODS,
    object: pod,
    type: "Normal" as const,
    source: { component: "kubelet", host },
    fieldPath: fieldPathOf(container.name, init),
  };
  events.record({
    ...base,
    reason: "Pulled",
    message: `Container image "${container.image ?? ""}" already present on machine`,
  });
  events.record({ ...base, reason: "Created", message: `Created container: ${container.name}` });
  events.record({ ...base, reason: "Started", message: `Started container ${container.name}` });
}

export function recordContainerStop(
  events: EventRecorder,
  pod: KubeObject,
  container: string,
  host: string,
): void {
  events.record({
    kind: PODS,
    object: pod,
    type: "Normal",
    reason: "Killing",
    message: `Stopping container ${container}`,
    source: { component: "kubelet", host },
    fieldPath: fieldPathOf(container),
  });
}
