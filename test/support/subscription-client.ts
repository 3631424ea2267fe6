/**
 * A graphql-ws client (the real `graphql-ws` package over `ws`) for subscription tests: it
 * collects every event of one subscription, waits for what a test expects, and records how the
 * socket closed.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface SubscriptionEvent<D = Record<string, unknown>> {
  data?: D | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

export interface Subscriber<D> {
  readonly events: SubscriptionEvent<D>[];
  /** The errors the operation ended with (graphql-ws `error` message or a socket failure). */
  readonly failure: () => unknown;
  readonly closed: () => { code: number; reason: string } | undefined;
  /** The server acknowledged the connection (connection_ack: the token was accepted). */
  readonly acknowledged: () => boolean;
  /** The server completed the operation (its stream ended) or it failed. */
  readonly completed: () => boolean;
  /** Resolves when `predicate` holds over the events so far; rejects after `timeoutMs`. */
  until(predicate: (events: SubscriptionEvent<D>[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server has completed the operation (or it failed). */
  whenCompleted(timeoutMs?: number): Promise<void>;
  /** Resolves when the socket has closed, with its code. */
  whenClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export interface SubscribeOptions {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The subscribe message's extensions (APQ's `persistedQuery`, say). */
  extensions?: Record<string, unknown>;
  /** Sent in connection_init as `authorization: Bearer <token>`. */
  token?: string;
  /** Headers of the upgrade request (an Origin, say). */
  headers?: Record<string, string>;
}

export function subscribe<D = Record<string, unknown>>(options: SubscribeOptions): Subscriber<D> {
  const events: SubscriptionEvent<D>[] = [];
  let failure: unknown;
  let closed: { code: number; reason: string } | undefined;
  let completed = false;
  let acknowledged = false;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const headers = options.headers;
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, headers ? { headers } : {});
    }
  }
  const client: Client = createClient({
    url: options.url.replace(/^http/, "ws"),
    webSocketImpl: HeaderSocket,
    retryAttempts: 0,
    lazy: false,
    // A socket closed before or between operations is recorded by `on.closed`, not printed.
    onNonLazyError: () => {},
    ...(options.token ? { connectionParams: { authorization: `Bearer ${options.token}` } } : {}),
    on: {
      connected: () => {
        acknowledged = true;
        wake();
      },
      closed: (event) => {
        const e = event as { code: number; reason: string };
        closed = { code: e.code, reason: String(e.reason) };
        wake();
      },
    },
  });
  client.subscribe<D>(
    {
      query: options.query,
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.extensions ? { extensions: options.extensions } : {}),
    },
    {
      next: (value) => {
        events.push(value);
        wake();
      },
      error: (error) => {
        failure = error;
        completed = true;
        wake();
      },
      complete: () => {
        completed = true;
        wake();
      },
    },
  );
  const waitFor = (check: () => boolean, timeoutMs: number, what: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${events.length} events so far)`),
        );
      }, timeoutMs);
      waiters.add(waiter);
      waiter();
    });
  return {
    events,
    failure: () => failure,
    closed: () => closed,
    completed: () => completed,
    acknowledged: () => acknowledged,
    until: (predicate, timeoutMs = 15_000) =>
      waitFor(() => predicate(events) || failure !== undefined, timeoutMs, "the expected events").then(() => {
        if (!predicate(events)) throw new Error(`the subscription failed: ${JSON.stringify(failure)}`);
      }),
    whenCompleted: (timeoutMs = 15_000) => waitFor(() => completed, timeoutMs, "the operation to complete"),
    whenClosed: async (timeoutMs = 15_000) => {
      await waitFor(() => closed !== undefined, timeoutMs, "the socket to close");
      return closed!;
    },
    close: () => client.dispose() as Promise<void>,
  };
}
