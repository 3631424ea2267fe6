/**
 * A request's container-log searches: `logs`, `logHistogram`, `Pod.logs` and `Workload.logs`.
 * The filter becomes term-level clauses on the documents' exact fields, the keywords phrases on
 * the message, the caller's Scope (namespaces where pods are readable) one terms clause per
 * store, and the page one `search_after` request per store.
 */
import { parseLabelSelector, type LabelSelector } from "../kube/label-selector.js";
import { QueryInputError } from "../cache/query/errors.js";
import type { CacheEntry } from "../cache/entry.js";
import { decodeGlobalId } from "../query-service/global-id.js";
import { isWorkloadKind } from "../query-service/object-graph.js";
import type { PageOutcome } from "../query-service/outcomes.js";
import { allOf, anyOf, exists, listed, noneOf, phrase, type Clause } from "./dsl.js";
import { LOG_FIELDS, stringAt } from "./fields.js";
import {
  checkKeywords,
  pagePosition,
  storeHistogram,
  storePage,
  type EntryPage,
  type EntryPageRequest,
  type EntrySearchOptions,
  type PreparedSearch,
} from "./entry-search.js";
import type { Histogram } from "./histogram.js";
import { searchTargets, checkNames, type ScopeFilter } from "./search-scope.js";
import type { Order, SearchSpec, SortKey } from "./store-search.js";
import type { LogTarget, StoreGroup } from "./targets.js";
import { resolveRange, type TimeRangeInput } from "./time-range.js";
import { encodeEntryCursor } from "./cursor.js";
import { readLivePodLog, type LiveLogReader } from "./live-logs.js";
import type { LogAccess } from "./log-access.js";
import { PodLogError, type PodLogCaller } from "../subscriptions/pod-logs.js";
import { UpstreamRefusedError } from "../limits/request-budget.js";

export interface LogFilter extends ScopeFilter {
  range?: TimeRangeInput | null;
  /** Workload ids (Deployment, StatefulSet, DaemonSet, Job, CronJob): their pods' lines. */
  workloads?: string[] | null;
  pods?: string[] | null;
  containers?: string[] | null;
  /** Every one must appear in the line, as a phrase (case-insensitive). */
  keywords?: string[] | null;
}

export interface LogEntry {
  time: Date;
  message: string;
  cluster: string;
  namespace: string;
  podName: string;
  container: string;
  node: string | null;
  stream: string | null;
  source: "LOG_STORE" | "API_SERVER";
  cursor: string;
}

export interface LogReadsOptions extends EntrySearchOptions {
  /** The API server's pods/log, read as the caller: the fallback where a cluster has no store. */
  live?: { reader: LiveLogReader; caller: () => PodLogCaller };
  /** Where the caller may read pods' logs (`get pods/log`); absent: wherever pods are readable. */
  logAccess?: LogAccess;
}

/** One pod whose log is asked for, as the cache knows it. */
export interface PodRef {
  cluster: string;
  namespace: string;
  name: string;
  node: string | null;
  /** Its containers' names (init containers included), in spec order. */
  containers: readonly string[];
}

export interface ObjectLogFilter {
  range?: TimeRangeInput | null;
  containers?: string[] | null;
  keywords?: string[] | null;
}

export type LogSourceChoice = "AUTO" | "LOG_STORE" | "API_SERVER";

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A workload whose pods' lines are wanted: where it is and how its pods are told apart. */
interface WorkloadPods {
  cluster: string;
  namespace: string;
  /** Its pod selector; empty when it has none (then its current pods by name). */
  selector: LabelSelector;
  podNames: string[];
}

export class LogReads {
  private readonly now: () => number;

  constructor(private readonly options: LogReadsOptions) {
    this.now = options.now ?? Date.now;
  }

  async search(filter: LogFilter, page: EntryPageRequest): Promise<EntryPage<LogEntry>> {
    const position = pagePosition(page, "logs");
    return storePage(
      this.options,
      this.readable(this.prepare(filter)),
      position,
      page.countTotal,
      toLogEntry,
    );
  }

  /**
   * A pod's lines: from its cluster's store, or (no store, an API_SERVER choice, `previous` or
   * `tailLines`, which only the API server knows) from the API server's pods/log.
   */
  async podLogs(
    pod: PodRef,
    filter: ObjectLogFilter,
    page: EntryPageRequest,
    choice: LogSourceChoice,
    kept: { previous: boolean; tailLines?: number | null },
  ): Promise<EntryPage<LogEntry>> {
    const { previous } = kept;
    const tailLines = kept.tailLines ?? undefined;
    const hasStore = this.options.sources.forCluster(pod.cluster) !== undefined;
    const live =
      choice === "API_SERVER" || previous || tailLines !== undefined || (choice === "AUTO" && !hasStore);
    if (live && choice === "LOG_STORE")
      throw new QueryInputError(
        previous ? "previous" : "tailLines",
        "previous and tailLines are the API server's: ask with source AUTO or API_SERVER",
      );
    if (!live)
      return this.search(
        { ...filter, clusters: [pod.cluster], namespaces: [pod.namespace], pods: [pod.name] },
        page,
      );
    const reader = this.options.live;
    if (!reader)
      throw new QueryInputError(
        "source",
        "this gateway reads no pod logs from the API servers; ask with source: LOG_STORE",
      );
    checkNames("filter.containers", filter.containers, DNS_SUBDOMAIN, 63);
    const { order, first, after } = pagePosition(page, "logs");
    const asked = filter.containers;
    const containers = asked ? pod.containers.filter((c) => asked.includes(c)) : pod.containers;
    const outcome: PageOutcome = {
      cluster: pod.cluster,
      synced: true,
      staleSince: null,
      resourceVersion: "",
      source: "API_SERVER",
      error: null,
    };
    let result;
    try {
      result = await readLivePodLog(reader.reader, reader.caller(), {
        cluster: pod.cluster,
        namespace: pod.namespace,
        pod: pod.name,
        node: pod.node,
        containers,
        range: resolveRange(filter.range, this.now()),
        keywords: checkKeywords(filter.keywords),
        previous,
        ...(tailLines !== undefined ? { tailLines } : {}),
        order,
        first,
        ...(after ? { after } : {}),
      });
    } catch (error) {
      // The cluster failed, or the request's budget refused the call, not the question: an empty
      // page that says why.
      if (error instanceof UpstreamRefusedError)
        this.options.outcomes.reportRefusal(
          pod.cluster,
          `the log of pod ${pod.namespace}/${pod.name}`,
          error,
        );
      else if (error instanceof PodLogError && error.code.startsWith("CLUSTER_")) {
        const code =
          error.code === "CLUSTER_ERROR" ? "CLUSTER_UNAVAILABLE" : (error.code as "CLUSTER_UNAVAILABLE");
        this.options.outcomes.reportClusterError(pod.cluster, code, error.message, error.retryable);
      } else throw error;
      const failed = this.options.outcomes.errorFor(pod.cluster) ?? null;
      return {
        entries: [],
        hasNextPage: false,
        totalCount: null,
        outcomes: [{ ...outcome, error: failed }],
        requests: 0,
      };
    }
    if (result.truncated)
      this.options.outcomes.warn({
        code: "LOG_TRUNCATED",
        message: `the log of pod ${pod.namespace}/${pod.name} in cluster ${pod.cluster} is longer than the gateway reads from the API server at once: its newest lines are missing; narrow the range`,
        cluster: pod.cluster,
      });
    return {
      entries: result.entries,
      hasNextPage: result.hasNextPage,
      totalCount: page.countTotal ? result.totalCount : null,
      outcomes: [outcome],
      requests: 0,
    };
  }

  async histogram(
    filter: LogFilter,
    interval: string | null | undefined,
  ): Promise<Histogram & { outcomes: PageOutcome[] }> {
    return storeHistogram(this.options, this.readable(this.prepare(filter)), interval);
  }

  /** The search narrowed to where the caller may read logs, not only pods. */
  private readable(prepared: PreparedSearch): PreparedSearch {
    const narrow = this.options.logAccess;
    if (!narrow) return prepared;
    const targets = [];
    for (const target of prepared.searched.targets) {
      const namespaces = narrow(target.cluster, target.namespaces);
      if (namespaces === "*" || namespaces.size > 0) targets.push({ ...target, namespaces });
    }
    return { ...prepared, searched: { ...prepared.searched, targets } };
  }

  private prepare(filter: LogFilter): PreparedSearch {
    const range = resolveRange(filter.range, this.now());
    checkNames("filter.pods", filter.pods, DNS_SUBDOMAIN);
    checkNames("filter.containers", filter.containers, DNS_SUBDOMAIN, 63);
    const keywords = checkKeywords(filter.keywords);
    const workloads = filter.workloads ? this.workloadPods(filter.workloads) : undefined;
    const narrowed: ScopeFilter = workloads
      ? { ...filter, clusters: intersect(filter.clusters, [...new Set(workloads.map((w) => w.cluster))]) }
      : filter;
    const searched = searchTargets(this.options, narrowed, "Pod");
    const common: Clause[] = [
      ...listed(LOG_FIELDS.pod, filter.pods),
      ...listed(LOG_FIELDS.container, filter.containers),
      ...keywords.map((k) => phrase(LOG_FIELDS.message, k)),
    ];
    const spec: SearchSpec = {
      prefix: (indices) => indices.logs,
      timeField: LOG_FIELDS.time,
      namespaceField: LOG_FIELDS.namespace,
      clauses: (group) => (workloads ? [workloadClause(group, workloads), ...common] : common),
    };
    return { spec, searched, range };
  }

  /** The workloads named by id that the caller may read; others match nothing. */
  private workloadPods(ids: readonly string[]): WorkloadPods[] {
    const { services, scope } = this.options;
    const found: WorkloadPods[] = [];
    for (const id of ids) {
      const ref = decodeGlobalId(id);
      if (!("uid" in ref) || !isWorkloadKind(ref.kind))
        throw new QueryInputError(
          "filter.workloads",
          `the id ${id.slice(0, 80)} is not a workload's (a ${ref.kind}'s)`,
        );
      const workload = services.graph.byUid(ref.cluster, ref.kind, ref.uid, scope) as
        CacheEntry<{ selector: string }> | undefined;
      if (!workload) continue;
      const selector = workload.data.selector ? parseLabelSelector(workload.data.selector) : [];
      const podNames: string[] = [];
      if (selector.length === 0) {
        const within = services.graph.podsOf(workload, scope);
        services.reader.forEach(
          "Pod",
          { clusters: [workload.cluster], namespaces: [workload.namespace], owners: within.owners ?? [] },
          scope,
          (pod) => podNames.push(pod.name),
        );
      }
      found.push({ cluster: workload.cluster, namespace: workload.namespace, selector, podNames });
    }
    return found;
  }
}

function workloadClause(group: StoreGroup, workloads: readonly WorkloadPods[]): Clause {
  const clusters = new Set(group.targets.map((t: LogTarget) => t.cluster));
  const parts: Clause[] = [];
  for (const w of workloads) {
    if (!clusters.has(w.cluster)) continue;
    const clauses: Clause[] = [anyOf(LOG_FIELDS.namespace, [w.namespace])];
    if (group.clusterKeyword !== undefined) clauses.push(anyOf(group.clusterKeyword, [w.cluster]));
    if (w.selector.length > 0) clauses.push(...w.selector.map(requirementClause));
    else clauses.push(w.podNames.length > 0 ? anyOf(LOG_FIELDS.pod, w.podNames) : { match_none: {} });
    parts.push(allOf(clauses));
  }
  if (parts.length === 0) return { match_none: {} };
  return parts.length === 1 ? parts[0]! : { bool: { should: parts, minimum_should_match: 1 } };
}

function requirementClause(r: LabelSelector[number]): Clause {
  const field = LOG_FIELDS.label(r.key);
  switch (r.operator) {
    case "=":
    case "in":
      return anyOf(field, r.values);
    case "!=":
    case "notin":
      return noneOf(field, r.values);
    case "exists":
      return exists(field);
    case "!exists":
      return { bool: { must_not: [exists(field)] } };
  }
}

function intersect(asked: string[] | null | undefined, within: string[]): string[] {
  return asked ? within.filter((c) => asked.includes(c)) : within;
}

function toLogEntry(cluster: string, key: SortKey, source: unknown, order: Order): LogEntry {
  return {
    time: new Date(key[0]),
    message: (stringAt(source, "log") ?? "").replace(/\r?\n$/, ""),
    cluster,
    namespace: stringAt(source, "kubernetes.namespace_name") ?? "",
    podName: stringAt(source, "kubernetes.pod_name") ?? "",
    container: stringAt(source, "kubernetes.container_name") ?? "",
    node: stringAt(source, "kubernetes.host") ?? null,
    stream: stringAt(source, "stream") ?? null,
    source: "LOG_STORE",
    cursor: encodeEntryCursor(key, order, "logs"),
  };
}
