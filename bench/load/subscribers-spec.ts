/**
 * The control API of the subscribers' load process (bench/load/subscribers.ts): the harness asks
 * it over HTTP on 127.0.0.1 to open graphql-ws subscribers, hands it nothing else, and collects
 * what each subscriber received and when.
 *
 *   POST /subscribe  SubscribeRequest -> SubscribeAnswer   (opens more subscribers)
 *   POST /close      {count}          -> {closed, open}     (closes the newest `count`)
 *   GET  /stats                       -> SubscriberStats
 *   GET  /samples                     -> ReceivedSamples    (and starts a new collection)
 */

export interface SubscribeRequest {
  /** The GraphQL endpoint (http:// or ws://); graphql-ws connects to the same path. */
  url: string;
  /** Sent in connection_init as `{authorization: "Bearer <token>"}`. */
  token?: string;
  query: string;
  /** One `filter` variable per subscriber to open. */
  filters: Record<string, unknown>[];
  /** Subscribers connecting at once. */
  concurrency: number;
  /** Stop opening after this long: the answer says how many made it. */
  deadlineMs: number;
}

export interface SubscribeAnswer {
  requested: number;
  /** Acknowledged by the server (connection_ack) with the subscription sent. */
  connected: number;
  failed: number;
  /** Left unopened when the deadline passed. */
  skipped: number;
  ms: number;
  /** The distinct failures, with how often each happened. */
  errors: Record<string, number>;
}

export interface SubscriberStats {
  /** Subscribers opened and not closed by the harness. */
  open: number;
  /** Of those, with the socket still up. */
  connected: number;
  /** Change events received since the process started, by type (ADDED, UPDATED, ...). */
  events: Record<string, number>;
  /** Operations that ended with a GraphQL error. */
  errors: number;
  /** Sockets closed by the other side, by close code. */
  closes: Record<string, number>;
}

/**
 * Every ADDED or UPDATED event received since the last collection that carried an object: its
 * cluster (an index into `clusters`), the object's resourceVersion (the simulator's revision of
 * the change) and the wall-clock time it arrived (epoch ms, sub-millisecond). DELETED events carry
 * no object, so no revision: they are only counted.
 */
export interface ReceivedSamples {
  clusters: string[];
  /** [cluster index, resourceVersion, received at] */
  samples: [number, number, number][];
  /** Events by type in this collection, samples or not. */
  events: Record<string, number>;
}
