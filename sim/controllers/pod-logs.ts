/**
 * `pods/log` for the simulated kubelets: the container's deterministic log (see log-lines.ts)
 * with tailLines, sinceSeconds or sinceTime, timestamps (RFC 3339 with nanoseconds, as the
 * kubelet prefixes them), previous (the instance before the last restart) and follow (a new line
 * about every 200 ms until the pod goes, the container restarts, or the reader hangs up).
 */
import { Readable } from "node:stream";
import type { KubeObject } from "../../src/kube/object.js";
import type { PodLogRequest, PodLogSource } from "../apiserver/context.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { statusErrors } from "../errors.js";
import { PODS } from "./resources.js";
import { podSpec, podStatus, type ContainerStatus } from "./pods.js";
import { crashLine, instanceFor, lineAt, lineCount, type LogInstance, type LogLine } from "./log-lines.js";

/** Log rotation keeps a bounded file; so does the simulator (lines before these are gone). */
const MAX_LINES = 1000;

export interface PodLogOptions {
  now?: () => Date;
  followIntervalMs?: number;
}

export class PodLogs implements PodLogSource {
  private readonly streams = new Set<Readable>();
  private readonly now: () => Date;
  private readonly followIntervalMs: number;

  constructor(
    private readonly store: ClusterStore,
    options: PodLogOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.followIntervalMs = options.followIntervalMs ?? 200;
  }

  open(request: PodLogRequest): Readable {
    // One instant per read: the log grows while it is served, and the history's end and the
    // sinceSeconds cut-off must describe the same moment.
    const now = this.now().getTime();
    const pod = this.store.get(PODS, request.namespace, request.pod);
    if (!pod) throw statusErrors.notFound("", "pods", request.pod);
    const container = resolveContainer(pod, request.container);
    const status = (podStatus(pod).containerStatuses ?? []).find((s) => s.name === container);
    const image = podSpec(pod).containers?.find((c) => c.name === container)?.image ?? "";
    const seed = `${request.namespace}/${request.pod}/${container}`;
    let lines: LogLine[];
    if (request.previous) {
      const last = status?.lastState.terminated;
      if (!status || status.restartCount === 0 || !last) {
        throw statusErrors.badRequest(
          `previous terminated container "${container}" in pod "${request.pod}" not found`,
        );
      }
      const instance = instanceFor(
        `${seed}/${status.restartCount - 1}`,
        image,
        Date.parse(String(last.startedAt)),
      );
      const end = Date.parse(String(last.finishedAt));
      lines = [...history(instance, end), crashLine(instance, end, String(last.reason))];
    } else {
      const running = status?.state.running;
      const terminated = status?.state.terminated;
      if (!status || (!running && !terminated)) {
        throw statusErrors.badRequest(
          `container "${container}" in pod "${request.pod}" is waiting to start: ContainerCreating`,
        );
      }
      const instance = instanceFor(
        `${seed}/${status.restartCount}`,
        image,
        Date.parse(String((running ?? terminated)!.startedAt)),
      );
      const end = terminated ? Date.parse(String(terminated.finishedAt)) : now;
      lines = history(instance, end);
      if (request.follow && running) {
        const initial = select(lines, request, now);
        return this.follow(request, pod, status, instance, initial, lines.length, sinceOf(request, now));
      }
    }
    const stream = new Readable({ read() {} });
    const text = select(lines, request, now)
      .map((l) => format(l, request.timestamps))
      .join("");
    if (text) stream.push(text);
    stream.push(null);
    return stream;
  }

  /** Ends every open follow stream (the cluster is stopping). */
  stop(): void {
    for (const stream of [...this.streams]) stream.destroy();
  }

  private follow(
    request: PodLogRequest,
    pod: KubeObject,
    status: ContainerStatus,
    instance: LogInstance,
    initial: LogLine[],
    next: number,
    since: number | undefined,
  ): Readable {
    let timer: NodeJS.Timeout | undefined;
    const streams = this.streams;
    const stream = new Readable({
      read() {},
      destroy(error, callback) {
        if (timer) clearInterval(timer);
        streams.delete(stream);
        callback(error);
      },
    });
    this.streams.add(stream);
    const text = initial.map((l) => format(l, request.timestamps)).join("");
    if (text) stream.push(text);
    let index = next;
    timer = setInterval(() => {
      const current = this.store.get(PODS, request.namespace, request.pod);
      const now = (
        current?.status as { containerStatuses?: ContainerStatus[] } | undefined
      )?.containerStatuses?.find((s) => s.name === status.name);
      // The stream ends with the container instance it follows, as `kubectl logs -f` does.
      if (
        !current ||
        current.metadata.uid !== pod.metadata.uid ||
        !now?.state.running ||
        now.restartCount !== status.restartCount
      ) {
        clearInterval(timer);
        timer = undefined;
        streams.delete(stream);
        stream.push(null);
        return;
      }
      // The same clock as the history's, so followed lines carry times after it.
      const line = lineAt(instance, index++, this.now().getTime());
      // A sinceTime still ahead holds back the lines written before it.
      if (since === undefined || line.time >= since) stream.push(format(line, request.timestamps));
    }, this.followIntervalMs);
    return stream;
  }
}

function resolveContainer(pod: KubeObject, requested: string): string {
  const names = (podSpec(pod).containers ?? []).map((c) => c.name);
  const podName = pod.metadata.name!;
  if (!requested) {
    if (names.length === 1) return names[0]!;
    throw statusErrors.badRequest(
      `a container name must be specified for pod ${podName}, choose one of: [${names.join(" ")}]`,
    );
  }
  if (!names.includes(requested))
    throw statusErrors.badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/** The earliest instant a request wants lines from (epoch ms), if it names one. */
function sinceOf(request: PodLogRequest, now: number): number | undefined {
  if (request.sinceTime !== undefined) return request.sinceTime;
  return request.sinceSeconds === undefined ? undefined : now - request.sinceSeconds * 1000;
}

/** The lines a request asks for, with `now` the instant of the read. */
function select(lines: LogLine[], request: PodLogRequest, now: number): LogLine[] {
  let out = lines;
  const since = sinceOf(request, now);
  // The kubelet skips lines stamped before `since` (a sinceTime before the start changes nothing;
  // one in the future leaves no history).
  if (since !== undefined) out = out.filter((l) => l.time >= since);
  if (request.tailLines !== undefined) out = request.tailLines <= 0 ? [] : out.slice(-request.tailLines);
  return out;
}

function history(instance: LogInstance, end: number): LogLine[] {
  const count = lineCount(instance, end);
  const out: LogLine[] = [];
  for (let i = Math.max(0, count - MAX_LINES); i < count; i++) out.push(lineAt(instance, i));
  return out;
}

/** `2024-05-01T10:00:00.123456789Z line`, the kubelet's timestamp prefix. */
function format(line: LogLine, timestamps: boolean): string {
  if (!timestamps) return `${line.text}\n`;
  const iso = new Date(line.time).toISOString();
  const nano = `${iso.slice(0, 23)}${String(line.nanos).padStart(6, "0")}Z`;
  return `${nano} ${line.text}\n`;
}
