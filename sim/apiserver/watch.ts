/**
 * Watch streams: newline-delimited JSON events over one chunked response, flushed per event.
 * Without a resourceVersion (or "0") the stream starts with a synthetic ADDED per current object;
 * with one it replays the store's history, and a version older than the history gets the real
 * server's answer: HTTP 200 carrying a single ERROR event with a 410 Expired Status.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { StatusError, statusErrors } from "../errors.js";
import { apiVersionOf } from "../kinds.js";
import type { Predicate, StoreEvent } from "../store/cluster-store.js";
import type { ListOptions } from "./list-options.js";
import type { ResourceRequest } from "./resource-request.js";
import { objectJson, typedJson, watchEventLine, type WatchEventType } from "./serialize.js";
import { tableJson, tableRequest } from "./table/index.js";

/** How long before a watch's timeoutSeconds its last bookmark is sent (kube-apiserver: 2 s). */
const PRE_TIMEOUT_BOOKMARK_MS = 2000;

/** The annotation on the bookmark that closes the initial events of a `sendInitialEvents` watch. */
const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

export function serveWatch(r: ResourceRequest, options: ListOptions): Promise<void> {
  const { kind, reply, ctx } = r;
  const res = reply.res;
  const predicate = namePinned(options.predicate, r.info.verb === "watch" ? r.name : "");
  const table = tableRequest(r.req.headers.accept, r.query);
  // As a Table (kubectl get -w), each event is a one-row table; only the first carries the columns.
  let headers = true;
  const encode = (obj: KubeObject): string => {
    if (!table) return objectJson(kind, obj);
    const metadata = { resourceVersion: obj.metadata.resourceVersion ?? "" };
    const text = tableJson(kind, [obj], metadata, table, { headers });
    headers = false;
    return text;
  };
  reply.startStream("application/json");

  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  let unregister: () => void = () => undefined;
  const close = (abrupt: boolean): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    for (const timer of timers) clearTimeout(timer);
    if (abrupt) res.destroy();
    else res.end();
  };
  res.on("close", () => close(true));

  const send = (type: WatchEventType, text: string): void => {
    if (!closed) reply.write(watchEventLine(type, text));
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata = { resourceVersion: String(ctx.store.revision), ...(annotations ? { annotations } : {}) };
    if (table) send("BOOKMARK", tableJson(kind, [], metadata, table, { headers: false }));
    else send("BOOKMARK", typedJson(apiVersionOf(kind), kind.kind, { metadata }));
  };
  const onEvent = (event: StoreEvent): void => send(event.type, encode(event.object));
  const scope = {
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(predicate ? { predicate } : {}),
  };

  const fromScratch =
    options.resourceVersion === undefined || options.resourceVersion === "0" || options.sendInitialEvents;
  try {
    if (fromScratch) {
      // Listing and subscribing happen in one synchronous step, so no change can fall between them.
      for (const obj of ctx.store.list(kind, scope).items) send("ADDED", encode(obj));
      unsubscribe = ctx.store.watch(kind, scope, onEvent);
      if (options.sendInitialEvents && options.allowWatchBookmarks)
        bookmark({ [INITIAL_EVENTS_END]: "true" });
    } else if (ctx.faults.settings.expiredWatches) {
      // The injected 410 storm: the same answer as a resourceVersion older than the history.
      throw statusErrors.expired(
        `too old resource version: ${options.resourceVersion} (${ctx.store.revision})`,
      );
    } else {
      unsubscribe = ctx.store.watch(
        kind,
        { ...scope, fromRevision: Number(options.resourceVersion) },
        onEvent,
      );
    }
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    send("ERROR", JSON.stringify(error.toStatus()));
    close(false);
    return Promise.resolve();
  }

  unregister = r.streams.add("watch", close);
  if (options.allowWatchBookmarks && ctx.bookmarkIntervalMs > 0) {
    const interval = setInterval(() => bookmark(), ctx.bookmarkIntervalMs);
    timers.push(interval);
  }
  if (options.timeoutSeconds !== undefined) {
    // As kube-apiserver's watch cache does, a bookmark 2 s before the deadline: the client resumes
    // from a current resourceVersion, not from its last event's, which may have left the history.
    const deadlineMs = options.timeoutSeconds * 1000;
    if (options.allowWatchBookmarks && deadlineMs > PRE_TIMEOUT_BOOKMARK_MS)
      timers.push(setTimeout(() => bookmark(), deadlineMs - PRE_TIMEOUT_BOOKMARK_MS));
    timers.push(setTimeout(() => close(false), deadlineMs));
  }
  return Promise.resolve();
}

/** A watch on /watch/.../<name> (the legacy path form) sees only that object. */
function namePinned(predicate: Predicate | undefined, name: string): Predicate | undefined {
  if (!name) return predicate;
  const byName = (obj: KubeObject): boolean => obj.metadata.name === name;
  return predicate ? (obj) => byName(obj) && predicate(obj) : byName;
}
