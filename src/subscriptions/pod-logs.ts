/**
 * Followed pod logs: one `pods/<name>/log?follow=true` request per subscription, made as the
 * subscriber (impersonated, like STRONG reads and `resources`, so the member cluster's RBAC
 * applies) after the gateway's own access said yes to `get pods/log` on that pod. The stream
 * ends when the API server ends it (the container stopped: the pod was deleted or restarted),
 * and closing the subscription ends the request. Lines are paced by the reader (log-lines.ts).
 */
import type { Subject } from "../../auth/subject.js";
import { impersonationOf } from "../../auth/impersonation.js";
import { QueryInputError } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError } from "../fleet/errors.js";
import type { FleetRegistry } from "../fleet/registry.js";
import { withQuery } from "../fleet/resources.js";
import { isJsonObject, type JsonObject } from "../kube/object.js";
import { checkContainerName, checkNamespaceName, checkPodName } from "../live-read/names.js";
import type { RequestAccess } from "../request/access.js";
import { LogLines, parseTimestamp, type PodLogLine } from "./log-lines.js";

export type { PodLogLine } from "./log-lines.js";

export interface PodLogRequest {
  cluster: string;
  namespace: string;
  pod: string;
  /** Default: the pod's `kubectl.kubernetes.io/default-container`, or its only container. */
  container?: string | null;
  /** Start with the last this many lines; default the whole log the kubelet keeps. */
  tailLines?: number | null;
  /** Only lines from then on (the API server applies it to the whole second). */
  sinceTime?: Date | null;
  /** Ask the API server to stamp each line; served as `timestamp`. */
  timestamps?: boolean | null;
}

/** Who follows: the request context's subject, access decisions and Scope. */
export interface PodLogCaller {
  subject: Subject;
  access: RequestAccess;
  scope: Scope;
}

export type PodLogErrorCode =
  | "BAD_USER_INPUT"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CLUSTER_UNAVAILABLE"
  | "CLUSTER_TIMEOUT"
  | "CLUSTER_FORBIDDEN"
  | "CLUSTER_ERROR";

/** A refusal or failure with its GraphQL `extensions` (graphql-js copies them from the error). */
export class PodLogError extends Error {
  override readonly name = "PodLogError";

  constructor(
    readonly code: PodLogErrorCode,
    message: string,
    readonly cluster?: string,
    readonly retryable = false,
  ) {
    super(message);
  }

  get extensions(): Record<string, unknown> {
    return {
      code: this.code,
      ...(this.cluster !== undefined ? { cluster: this.cluster, retryable: this.retryable } : {}),
    };
  }
}

export interface PodLogsOptions {
  /** Unread lines per subscription before its upstream is paused (the subscriptions' maxQueuedEvents). */
  maxQueuedLines: number;
  /** Unread characters per subscription before its upstream is paused. Default 1 Mi. */
  maxQueuedChars?: number;
  /** Longer lines are served in pieces. Default 64 Ki characters. */
  maxLineLength?: number;
}

export interface PodLogStats {
  /** Upstream log requests open now. */
  streams: number;
  /** Of those, held back because their subscriber is behind. */
  paused: number;
  /** Lines read from the clusters and not yet taken by subscribers. */
  queued: number;
}

/** kubectl's annotation naming the container `kubectl logs` picks in a pod of several. */
const DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

export interface PodLogReadRequest extends PodLogRequest {
  /** The instance before the container's last restart. */
  previous?: boolean | null;
  /** Read at most this much of the log (default 4 MiB). */
  limitBytes?: number;
}

/** A container's log as read at once: stamped lines, oldest first. */
export interface PodLogText {
  container: string;
  lines: { timestamp: Date; line: string }[];
  /** The log was longer than the bytes read: its newest lines are missing. */
  truncated: boolean;
}

interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  previous?: boolean;
  limitBytes?: number;
}

const DEFAULT_READ_BYTES = 4 * 1024 * 1024;

export class PodLogs {
  private readonly openLines = new Set<LogLines>();
  private readonly maxQueuedChars: number;
  private readonly maxLineLength: number;

  constructor(
    private readonly fleet: Pick<FleetRegistry, "names" | "get">,
    private readonly options: PodLogsOptions,
  ) {
    this.maxQueuedChars = options.maxQueuedChars ?? 1024 * 1024;
    this.maxLineLength = options.maxLineLength ?? 64 * 1024;
  }

  /** Opens the upstream stream; rejects with a PodLogError before anything was sent when refused. */
  async follow(request: PodLogRequest, caller: PodLogCaller): Promise<AsyncIterableIterator<PodLogLine>> {
    const opened = await this.open(request, caller, {
      follow: true,
      timestamps: request.timestamps === true,
    });
    const { container, upstream, timestamps, cluster, where } = opened;
    const lines: LogLines = new LogLines(upstream.body, upstream.close, {
      container,
      timestamps,
      maxQueuedLines: Math.max(1, this.options.maxQueuedLines),
      maxQueuedChars: this.maxQueuedChars,
      maxLineLength: this.maxLineLength,
      brokenOff: (cause) =>
        new PodLogError(
          "CLUSTER_UNAVAILABLE",
          `the log of ${where} broke off: ${cause instanceof Error ? cause.message : String(cause)}; subscribe again (sinceTime picks up where it stopped)`,
          cluster,
          true,
        ),
      onRelease: () => this.openLines.delete(lines),
    });
    this.openLines.add(lines);
    return lines;
  }

  /**
   * What the node keeps of a container's log now (pods/log without follow, stamped), at most
   * `limitBytes` of it: the live fallback of a log search where a cluster has no log store.
   */
  async read(request: PodLogReadRequest, caller: PodLogCaller): Promise<PodLogText> {
    const limitBytes = request.limitBytes ?? DEFAULT_READ_BYTES;
    const opened = await this.open(request, caller, {
      follow: false,
      timestamps: true,
      previous: request.previous === true,
      limitBytes,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of opened.upstream.body as AsyncIterable<Buffer | string>) {
        const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        chunks.push(buffer);
        size += buffer.length;
        if (size >= limitBytes) break;
      }
    } finally {
      opened.upstream.close();
    }
    const text = Buffer.concat(chunks).subarray(0, limitBytes).toString("utf8");
    const lines: PodLogText["lines"] = [];
    for (const raw of text.split("\n")) {
      if (raw === "") continue;
      const space = raw.indexOf(" ");
      const timestamp = space === -1 ? null : parseTimestamp(raw.slice(0, space));
      if (timestamp) lines.push({ timestamp, line: raw.slice(space + 1) });
    }
    return { container: opened.container, lines, truncated: size >= limitBytes };
  }

  private async open(
    request: PodLogRequest & { previous?: boolean | null },
    caller: PodLogCaller,
    query: LogQuery,
  ) {
    const namespace = checkNamespaceName("namespace", request.namespace);
    const pod = checkPodName("pod", request.pod);
    const asked = request.container == null ? undefined : checkContainerName("container", request.container);
    const tailLines = checkTailLines(request.tailLines);
    const sinceTime = checkSinceTime(request.sinceTime);
    const connection = this.connectionOf(request.cluster, caller.scope);
    const cluster = connection.name;
    const where = `pod "${pod}" in namespace "${namespace}" of cluster "${cluster}"`;

    const decision = await caller.access.can({
      verb: "get",
      group: "",
      resource: "pods",
      subresource: "log",
      cluster,
      namespace,
      name: pod,
    });
    if (!decision.allowed) {
      const why = decision.reason ? `: ${decision.reason}` : "";
      throw new PodLogError("FORBIDDEN", `you may not read the logs of ${where}${why}`);
    }

    const impersonate = impersonationOf(caller.subject);
    const as: RequestOptions = impersonate ? { impersonate } : {};
    const podPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;
    let container: string;
    try {
      container = asked ?? chooseContainer(await connection.request<JsonObject>(podPath, as), where);
    } catch (error) {
      throw refusal(error, where, impersonate !== undefined);
    }
    const timestamps = query.timestamps;
    const path = withQuery(`${podPath}/log`, {
      follow: query.follow || undefined,
      container,
      tailLines,
      sinceTime: sinceTime?.toISOString(),
      timestamps: timestamps || undefined,
      previous: query.previous || undefined,
      limitBytes: query.limitBytes,
    });
    let upstream;
    try {
      // Errors come back as JSON Status bodies; the log itself as text.
      upstream = await connection.openStream(path, { ...as, accept: "text/plain, application/json" });
    } catch (error) {
      throw refusal(error, where, impersonate !== undefined);
    }
    return { container, upstream, timestamps, cluster, where };
  }

  stats(): PodLogStats {
    let paused = 0;
    let queued = 0;
    for (const lines of this.openLines) {
      if (lines.isPaused) paused++;
      queued += lines.queued;
    }
    return { streams: this.openLines.size, paused, queued };
  }

  /**
   * An unknown cluster is the caller's mistake, told with the clusters they may read. A cluster
   * the caller may read nothing of is answered the same way: whether it exists is not theirs to
   * learn (as an id outside one's Scope is not found). Within a readable cluster, access decides
   * (FORBIDDEN).
   */
  private connectionOf(cluster: string, scope: Scope): ClusterConnection {
    const connection = this.fleet.get(cluster);
    if (connection && (scope.unrestricted || scope.allowsCluster(cluster))) return connection;
    const readable = this.fleet
      .names()
      .filter((name) => scope.unrestricted || scope.allowsCluster(name))
      .sort();
    throw new QueryInputError(
      "cluster",
      `no cluster named "${cluster}" in the fleet; clusters you may read: ${readable.map((n) => `"${n}"`).join(", ") || "none"}`,
    );
  }
}

function checkTailLines(tailLines: number | null | undefined): number | undefined {
  if (tailLines == null) return undefined;
  if (!Number.isInteger(tailLines) || tailLines < 0) {
    throw new QueryInputError("tailLines", `"tailLines" must be an integer of at least 0, got ${tailLines}`);
  }
  return tailLines;
}

function checkSinceTime(sinceTime: Date | null | undefined): Date | undefined {
  if (sinceTime == null) return undefined;
  if (Number.isNaN(sinceTime.getTime()))
    throw new QueryInputError("sinceTime", '"sinceTime" is not a valid time');
  return sinceTime;
}

/** The container `kubectl logs` would pick: the annotated default, or the only one. */
function chooseContainer(pod: JsonObject, where: string): string {
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const names = (field: string): string[] => {
    const list = spec[field];
    return Array.isArray(list) ? list.filter(isJsonObject).map((c) => String(c.name)) : [];
  };
  const containers = names("containers");
  const metadata = isJsonObject(pod.metadata) ? pod.metadata : {};
  const annotations = isJsonObject(metadata.annotations) ? metadata.annotations : {};
  const annotated = annotations[DEFAULT_CONTAINER];
  if (typeof annotated === "string" && containers.includes(annotated)) return annotated;
  if (containers.length === 1) return containers[0]!;
  throw new QueryInputError(
    "container",
    `${where} has ${containers.length} containers: name one with "container" (${containers.map((c) => `"${c}"`).join(", ")})`,
  );
}

/** What the API server answered, in the gateway's codes. */
function refusal(error: unknown, where: string, impersonated: boolean): Error {
  if (!(error instanceof ClusterError)) return error instanceof Error ? error : new Error(String(error));
  const status = error.httpStatus;
  // Only an impersonated call's 403 is the caller's: otherwise the gateway's own identity was refused.
  if (status === 403 && impersonated) return new PodLogError("FORBIDDEN", `${error.detail} (${where})`);
  if (status === 404) return new PodLogError("NOT_FOUND", `${where} does not exist`);
  // 400 (a container that is not the pod's, or still waiting to start) and 422 (invalid options).
  if (status === 400 || status === 422) return new PodLogError("BAD_USER_INPUT", `${where}: ${error.detail}`);
  return new PodLogError(error.code, `${where}: ${error.detail}`, error.cluster, error.retryable);
}
