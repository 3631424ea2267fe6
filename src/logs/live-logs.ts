/**
 * A pod's log where its cluster has no log store: what the node keeps (pods/log, read as the
 * caller, so the cluster's RBAC applies), filtered and paged like a store's answer. Keywords match
 * as case-insensitive substrings here (a store matches phrases of words); the answer's source
 * (API_SERVER) says which one served it.
 */
import type { PodLogCaller, PodLogReadRequest, PodLogText } from "../subscriptions/pod-logs.js";
import { compareKeys, type Order, type SortKey } from "./store-search.js";
import type { TimeRange } from "./time-range.js";
import { encodeEntryCursor } from "./cursor.js";
import type { LogEntry } from "./log-reads.js";

/** The API server's pods/log, as the subscriptions' PodLogs reads it. */
export interface LiveLogReader {
  read(request: PodLogReadRequest, caller: PodLogCaller): Promise<PodLogText>;
}

export interface LivePodLogRequest {
  cluster: string;
  namespace: string;
  pod: string;
  node: string | null;
  containers: readonly string[];
  range: TimeRange;
  keywords: readonly string[];
  previous: boolean;
  /** Each container's last this many lines (as `kubectl logs --tail`). */
  tailLines?: number;
  order: Order;
  first: number;
  after?: SortKey;
}

export interface LivePage {
  entries: LogEntry[];
  hasNextPage: boolean;
  totalCount: number;
  /** Some container's log was longer than what was read: its newest lines are missing. */
  truncated: boolean;
}

/** The entries of `containers` in the range, in order, paged after the cursor. */
export async function readLivePodLog(
  reader: LiveLogReader,
  caller: PodLogCaller,
  request: LivePodLogRequest,
): Promise<LivePage> {
  const wanted = request.keywords.map((k) => k.toLowerCase());
  const all: { key: SortKey; entry: Omit<LogEntry, "cursor"> }[] = [];
  let truncated = false;
  const texts = await Promise.all(
    request.containers.map((container) =>
      reader.read(
        {
          cluster: request.cluster,
          namespace: request.namespace,
          pod: request.pod,
          container,
          sinceTime: new Date(request.range.start),
          previous: request.previous,
          ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}),
        },
        caller,
      ),
    ),
  );
  for (const text of texts) {
    truncated ||= text.truncated;
    text.lines.forEach(({ timestamp, line }, index) => {
      const time = timestamp.getTime();
      if (time < request.range.start || time > request.range.end) return;
      const lower = line.toLowerCase();
      if (!wanted.every((k) => lower.includes(k))) return;
      all.push({
        key: [time, request.cluster, `pods/log/${text.container}`, index],
        entry: {
          time: new Date(time),
          message: line,
          cluster: request.cluster,
          namespace: request.namespace,
          podName: request.pod,
          container: text.container,
          node: request.node,
          stream: null,
          source: "API_SERVER",
        },
      });
    });
  }
  all.sort((a, b) => compareKeys(a.key, b.key, request.order));
  const after = request.after;
  const rest = after ? all.filter((e) => compareKeys(e.key, after, request.order) > 0) : all;
  return {
    entries: rest
      .slice(0, request.first)
      .map(({ key, entry }) => ({ ...entry, cursor: encodeEntryCursor(key, request.order, "logs") })),
    hasNextPage: rest.length > request.first,
    totalCount: all.length,
    truncated,
  };
}
