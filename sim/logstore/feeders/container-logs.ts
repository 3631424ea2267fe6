/**
 * Container logs into the store, as fluent-bit tails them on each node: on every tick, each
 * running container's lines written since the last tick. The lines are those pods/log serves —
 * the same deterministic log (controllers/log-lines.ts), the same text and time — so any line the
 * store holds is a line `kubectl logs` shows. A container seen for the first time is backfilled
 * with a bounded tail (the last few minutes, at most N lines), as a tailer starting on an existing
 * file with a read-from-head limit would.
 *
 * Documents follow fluent-bit's kubernetes filter: `kubernetes.{pod_name, namespace_name, pod_id,
 * labels, host, container_name, docker_id, container_hash, container_image}`, with label keys'
 * dots replaced by underscores (the filter's Replace_Dots, which KubeSphere turns on so that
 * `app.kubernetes.io/name` does not become an object path in the mapping).
 */
import type { KubeObject } from "../../../src/kube/object.js";
import { PODS } from "../../controllers/resources.js";
import { podSpec, podStatus } from "../../controllers/pods.js";
import { instanceFor, lineAt, lineCount } from "../../controllers/log-lines.js";
import type { ClusterStore } from "../../store/cluster-store.js";
import type { LogStore } from "../log-store.js";
import { dailyIndex, LOG_INDEX_PREFIX } from "./index-layout.js";

export interface ContainerLogOptions {
  /** How far back a newly seen container is read (ms); default 5 minutes. */
  backfillMs?: number;
  /** At most this many lines of a newly seen container; default 50. */
  backfillLines?: number;
}

/** pods/log keeps the last 1000 lines of a container (controllers/pod-logs.ts). */
const LOG_FILE_LINES = 1000;

export class ContainerLogFeeder {
  /** container instance (pod uid / container / restart) -> the next line index to ship */
  private cursors = new Map<string, number>();
  private readonly backfillMs: number;
  private readonly backfillLines: number;

  constructor(
    private readonly clusterName: string,
    private readonly store: ClusterStore,
    private readonly logStore: LogStore,
    options: ContainerLogOptions = {},
  ) {
    this.backfillMs = options.backfillMs ?? 5 * 60_000;
    this.backfillLines = options.backfillLines ?? 50;
  }

  /** Ships what every running container wrote up to `now`; returns the lines written. */
  tick(now: number): number {
    const seen = new Map<string, number>();
    let written = 0;
    for (const pod of this.store.all(PODS)) {
      const spec = podSpec(pod);
      for (const status of podStatus(pod).containerStatuses ?? []) {
        const running = status.state.running as { startedAt?: string } | undefined;
        if (!running?.startedAt) continue;
        const key = `${pod.metadata.uid}/${status.name}/${status.restartCount}`;
        const image = spec.containers?.find((c) => c.name === status.name)?.image ?? "";
        const seed = `${pod.metadata.namespace}/${pod.metadata.name}/${status.name}/${status.restartCount}`;
        const instance = instanceFor(seed, image, Date.parse(running.startedAt));
        const count = lineCount(instance, now);
        let next = this.cursors.get(key);
        if (next === undefined) {
          next = Math.max(
            0,
            lineCount(instance, now - this.backfillMs),
            count - this.backfillLines,
            count - LOG_FILE_LINES,
          );
        }
        if (next < count) {
          const base = this.kubernetesOf(pod, status.name, status.containerID, status.imageID, status.image);
          for (let i = next; i < count; i++) {
            const line = lineAt(instance, i);
            this.logStore.write(
              dailyIndex(LOG_INDEX_PREFIX, line.time),
              undefined,
              {
                log: line.text,
                time: nanoTime(line.time, line.nanos),
                stream: "stdout",
                kubernetes: base,
                cluster: this.clusterName,
              },
              "index",
            );
            written++;
          }
        }
        seen.set(key, count);
      }
    }
    // Containers that stopped or went: forget them (a restart is a new instance, a new file).
    this.cursors = seen;
    return written;
  }

  private kubernetesOf(
    pod: KubeObject,
    container: string,
    containerId: string | undefined,
    imageId: string,
    image: string,
  ): Record<string, unknown> {
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(pod.metadata.labels ?? {}))
      labels[key.replace(/\./g, "_")] = value;
    return {
      pod_name: pod.metadata.name,
      namespace_name: pod.metadata.namespace,
      pod_id: pod.metadata.uid,
      labels,
      host: podSpec(pod).nodeName,
      container_name: container,
      docker_id: (containerId ?? "").replace(/^[a-z]+:\/\//, ""),
      container_hash: imageId,
      container_image: image,
    };
  }
}

/** `2024-05-01T10:00:00.123456789Z`, the kubelet's timestamp (and what pods/log?timestamps shows). */
export function nanoTime(time: number, nanos: number): string {
  return `${new Date(time).toISOString().slice(0, 23)}${String(nanos).padStart(6, "0")}Z`;
}
