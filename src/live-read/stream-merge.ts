/**
 * The k-way merge of a STRONG list: API list streams, each in name order within one namespace,
 * merged into one order. Streams are read lazily: a stream is listed only when its lower bound
 * (the smallest position it could hold) comes before every item already in hand, so a CLUSTER
 * ordered page reads the namespaces it spans rather than the whole fleet, while a NAME ordered
 * page reads every stream's head (it has to). Each emitted item carries the resume state of the
 * streams its cursor needs (see merged-cursor.ts).
 */
import type { CacheEntry } from "../cache/entry.js";
import { QueryInputError } from "../cache/query/index.js";
import { toEntry } from "../cache/entry.js";
import { kindOf, pathOf } from "../kinds/index.js";
import { ClusterError, ClusterUnavailableError } from "../fleet/errors.js";
import type { Impersonation } from "../fleet/impersonation.js";
import type { ClusterConnection, ListPage } from "../fleet/cluster-connection.js";
import type { KubeObject } from "../kube/object.js";
import type { ClusterOutcomes } from "../query-service/index.js";
import { invalidTokenError, reportClusterFailure } from "./cluster-failure.js";
import type { LiveFleet } from "./list-streams.js";
import { streamId, type MergedCursor, type ResumeState, type StreamKey } from "./merged-cursor.js";
import type { Position, StreamOrder } from "./stream-order.js";

export interface MergeOptions {
  fleet: LiveFleet;
  order: StreamOrder;
  /** Where the page starts; undefined for the first page. */
  after: MergedCursor | undefined;
  /** Local conditions the API server cannot apply (name contains, phase, ...). */
  accept: (entry: CacheEntry) => boolean;
  /** Kubernetes label selector syntax, validated; sent to the API servers. */
  labelSelector: string | undefined;
  /** Clusters that already failed (while planning); their streams are kept for the cursor. */
  failed: Set<string>;
  outcomes: ClusterOutcomes;
  /** The caller every list is made for; undefined: as the gateway (authentication off). */
  impersonate: Impersonation | undefined;
  /** Items asked of one list request when `needed` more items are wanted. */
  chunkSize: (needed: number) => number;
}

export interface Emitted {
  entry: CacheEntry;
  cursor: MergedCursor;
}

type Status = "pending" | "loaded" | "done" | "failed";

interface Stream extends StreamKey {
  status: Status;
  bound: Position;
  /** pending: the token to list from. loaded: the token the buffered chunk was listed from. */
  token: string | null;
  /** The buffered chunk's continue token. */
  next: string | undefined;
  buffer: { entry: CacheEntry; position: Position }[];
  at: number;
  /** Objects in the stream, when its first chunk said (items + remainingItemCount). */
  total: number | undefined;
}

/** When no item is in hand yet, list this many of the lowest streams at once. */
const PREFETCH = 4;

export class StreamMerge {
  private readonly streams: Stream[];
  /** The newest list resourceVersion seen per cluster. */
  readonly resourceVersions = new Map<string, string>();

  constructor(
    keys: readonly StreamKey[],
    private readonly options: MergeOptions,
  ) {
    const { order, after, failed } = options;
    const resume = new Map(after?.streams.map((s) => [streamId(s), s.token]));
    this.streams = keys.map((k) => {
      let status: Status = "pending";
      let token: string | null = null;
      if (after) {
        const listed = resume.get(streamId(k));
        if (listed !== undefined) token = listed;
        else if (!(order.constantPerStream && order.comparePlace(k, after.position) > 0)) status = "done";
      }
      if (status === "pending" && failed.has(k.cluster)) status = "failed";
      return {
        ...k,
        status,
        bound: order.lowerBound(k),
        token,
        next: undefined,
        buffer: [],
        at: 0,
        total: undefined,
      };
    });
  }

  /** Merges until `want` items are emitted or every stream is finished or failed. */
  async run(want: number): Promise<Emitted[]> {
    const { order } = this.options;
    const emitted: Emitted[] = [];
    while (emitted.length < want) {
      let head: Stream | undefined;
      const pending: Stream[] = [];
      for (const s of this.streams) {
        if (s.status === "loaded" && (!head || order.compare(headOf(s), headOf(head)) < 0)) head = s;
        else if (s.status === "pending") pending.push(s);
      }
      const due = head
        ? pending.filter((s) => order.compare(s.bound, headOf(head)) < 0)
        : lowest(pending, order);
      if (due.length > 0) {
        const needed = want - emitted.length;
        await Promise.all(due.map((s) => this.fetch(s, needed)));
        continue;
      }
      if (!head) break;
      const { entry, position } = head.buffer[head.at++]!;
      if (head.at === head.buffer.length) this.advance(head);
      emitted.push({ entry, cursor: { position, streams: this.resumeStates(position) } });
    }
    return emitted;
  }

  /** The sum of every stream's size, when each stream's first chunk told it; else undefined. */
  total(): number | undefined {
    let sum = 0;
    for (const s of this.streams) {
      if (s.total === undefined || Number.isNaN(s.total)) return undefined;
      sum += s.total;
    }
    return sum;
  }

  private async fetch(stream: Stream, needed: number): Promise<void> {
    const { fleet, labelSelector, after, accept, order, impersonate } = this.options;
    const connection = fleet.get(stream.cluster);
    let page;
    try {
      if (!connection) throw new ClusterUnavailableError(stream.cluster, "removed from the fleet");
      const options = {
        limit: this.options.chunkSize(needed),
        ...(stream.namespace ? { namespace: stream.namespace } : {}),
        ...(labelSelector ? { labelSelector } : {}),
        ...(impersonate ? { impersonate } : {}),
      };
      if (stream.kind === "Namespace" && stream.namespace !== "") {
        page = await namespaceByName(connection, stream.namespace, impersonate);
      } else
        try {
          page = await connection.listPage(pathOf(stream.kind), {
            ...options,
            ...(stream.token ? { continue: stream.token } : {}),
          });
        } catch (error) {
          if (error instanceof ClusterError && error.invalidContinue && stream.token)
            throw invalidTokenError(stream.cluster);
          // The snapshot behind the token was compacted away: list the stream again from its
          // start; the position skip below drops what earlier pages emitted.
          if (!(error instanceof ClusterError && error.expired && stream.token)) throw error;
          stream.token = null;
          page = await connection.listPage(pathOf(stream.kind), options);
        }
    } catch (error) {
      // The caller's cursor, not the cluster, is at fault: the whole read is refused.
      if (error instanceof QueryInputError) throw error;
      this.fail(stream.cluster, error);
      return;
    }
    if (stream.status !== "pending") return; // its cluster failed while this list was in flight
    this.noteVersion(stream.cluster, page.resourceVersion);
    if (stream.token === null && stream.total === undefined) {
      stream.total = page.items.length + (page.remainingItemCount ?? (page.continue ? NaN : 0));
    }
    const buffer: Stream["buffer"] = [];
    for (const item of page.items) {
      const entry = toEntry(stream.cluster, kindOf(stream.kind), item);
      const position = order.positionOf(entry);
      if (after && order.compare(position, after.position) <= 0) continue;
      if (accept(entry)) buffer.push({ entry, position });
    }
    stream.buffer = buffer;
    stream.at = 0;
    // A server that hands back the token it was given would page forever: treat it as the end.
    stream.next = page.continue === stream.token ? undefined : page.continue;
    if (buffer.length > 0) stream.status = "loaded";
    else this.advance(stream);
  }

  /** The buffered chunk is used up: list the next one, or the stream is finished. */
  private advance(stream: Stream): void {
    stream.buffer = [];
    stream.at = 0;
    if (stream.next) {
      stream.token = stream.next;
      stream.next = undefined;
      stream.status = "pending";
    } else {
      stream.status = "done";
    }
  }

  private fail(cluster: string, error: unknown): void {
    if (this.options.failed.has(cluster)) return;
    this.options.failed.add(cluster);
    reportClusterFailure(this.options.outcomes, cluster, "STRONG read", error);
    // Its streams keep their tokens so the next page tries them again.
    for (const s of this.streams) {
      if (s.cluster !== cluster || s.status === "done") continue;
      s.status = "failed";
      s.buffer = [];
      s.at = 0;
    }
  }

  /** The streams a cursor at `position` must carry: see merged-cursor.ts for which. */
  private resumeStates(position: Position): ResumeState[] {
    const { order } = this.options;
    const states: ResumeState[] = [];
    for (const s of this.streams) {
      if (s.status === "done") continue;
      if (order.constantPerStream && order.comparePlace(s, position) !== 0) continue;
      states.push({ kind: s.kind, cluster: s.cluster, namespace: s.namespace, token: s.token });
    }
    return states;
  }

  private noteVersion(cluster: string, version: string): void {
    const seen = this.resourceVersions.get(cluster);
    if (seen === undefined || newer(version, seen)) this.resourceVersions.set(cluster, version);
  }
}

function headOf(s: Stream): Position {
  return s.buffer[s.at]!.position;
}

function lowest(pending: Stream[], order: StreamOrder): Stream[] {
  return [...pending].sort((a, b) => order.compare(a.bound, b.bound)).slice(0, PREFETCH);
}

/** resourceVersions are opaque; every real API server and the simulator use increasing integers. */
function newer(candidate: string, current: string): boolean {
  if (!/^\d+$/.test(candidate) || !/^\d+$/.test(current)) return current === "";
  return candidate.length !== current.length ? candidate.length > current.length : candidate > current;
}

/**
 * One namespace read by name, as a one-item page (none when it does not exist, or when the
 * cluster does not let the caller get it: absent, not a failure of the whole read).
 */
async function namespaceByName(
  connection: ClusterConnection,
  name: string,
  impersonate: Impersonation | undefined,
): Promise<ListPage> {
  try {
    const object = await connection.request<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(name)}`, {
      ...(impersonate ? { impersonate } : {}),
    });
    return { items: [object], resourceVersion: "", continue: undefined, remainingItemCount: undefined };
  } catch (error) {
    if (error instanceof ClusterError && (error.httpStatus === 404 || error.httpStatus === 403))
      return { items: [], resourceVersion: "", continue: undefined, remainingItemCount: undefined };
    throw error;
  }
}
