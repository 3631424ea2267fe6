/**
 * graphql-ws (protocol graphql-transport-ws) on the HTTP server's port and path. Apollo's
 * pipeline does not run here, so this does what it does for HTTP: authentication (the token in
 * connection_init's payload, or the upgrade's Authorization header), the same request context
 * and Scope, the same depth and cost limits, and per-event execution with a fresh context (the
 * loaders of one event never serve the next). Connections close with a documented code when
 * their token expires or is revoked, or when a subscriber cannot keep up (docs/subscriptions.md).
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from "graphql";
import { CloseCode, type Context as WsContext, type SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { AuthenticationError } from "../../auth/identity/contracts.js";
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../cache/scope.js";
import {
  checkCountedSource,
  checkSource,
  countTokens,
  withinBudget,
  type CostModel,
  type LimitCache,
  type QueryLimits,
  type RequestBudget,
} from "../limits/index.js";
import type { RequestContextFactory } from "../request/context-factory.js";
import { CLOSE_SUBSCRIBER_TOO_SLOW, SubscriberTooSlowError } from "../subscriptions/event-queue.js";
import { admitDocument, type TrustedDocumentsPolicy } from "../trusted-documents/admission.js";
import { bearerToken } from "./authentication.js";
import { MASKED_MESSAGE, maskedErrors } from "./error-masking.js";
import { isGraphQLPath } from "./graphql-handler.js";
import { introspectionRefusal } from "./introspection.js";
import { originAllowed } from "./origin.js";
import type { ProductionMode } from "./production-mode.js";

/** Close codes beyond graphql-ws's own (docs/subscriptions.md). */
export const CLOSE_TOKEN_EXPIRED = CloseCode.Unauthorized; // 4401

export interface SubscriptionServerOptions<X extends object> {
  httpServer: Server;
  schema: GraphQLSchema;
  /** Resolves once authentication has started (the same factory as HTTP's). */
  contexts: Promise<RequestContextFactory<X>>;
  /** The subscriber's Scope now: a running subscription follows RBAC and binding changes. */
  scopeOf(subject: Subject): () => Scope | Promise<Scope>;
  limits(): QueryLimits;
  model: CostModel;
  limitCache: LimitCache;
  /** Told of each refusal by a limit (the refusal counter). */
  refused?: (error: GraphQLError) => void;
  /** The refusal of a subscriber over its rate, or undefined (the same limit as HTTP's). */
  rateLimit?: (subject: Subject, request: IncomingMessage) => Promise<GraphQLError | undefined>;
  /** The upstream budget of one event's execution. */
  budget?: () => RequestBudget;
  /** Introspection and error masking, as for HTTP (docs/security.md, "Production mode"). */
  production: ProductionMode;
  /** Only registered operations run, as for HTTP (docs/security.md, "Trusted documents"). */
  trustedDocuments?: TrustedDocumentsPolicy;
  /** Browser origins allowed beyond the gateway's own host; "*" allows any. */
  allowedOrigins(): readonly string[];
  logger: Logger;
}

export interface SubscriptionServer {
  /** Closes every socket (1001 Going away) and stops accepting. */
  close(): Promise<void>;
  /** Closes the sockets whose credential `tokenId` names (a revoked session or API token). */
  revoke(tokenId: string, source: Subject["source"]): void;
  /**
   * Checks every open socket's token against the store again and closes those refused (revoked
   * while a revocation message could not arrive); a store that cannot answer closes none.
   */
  recheck(): Promise<void>;
  readonly connections: number;
}

interface Extra extends Record<PropertyKey, unknown> {
  socket: WebSocket;
  request: IncomingMessage;
  subject?: Subject;
  /** The bearer token, kept (in memory, like the socket) to check it again: see recheck. */
  token?: string;
  expiry?: NodeJS.Timeout;
}

type Ctx = WsContext<Record<string, unknown> | undefined, Extra>;

/** What the subscription's context carries for its events. */
interface EventContexts {
  /** A fresh context per event: loaders never outlive one event. */
  eventContext?: () => Promise<object>;
  closeConnection?: (code: number, reason: string) => void;
  /** Each event's execution runs under a budget of its own. */
  budget?: () => RequestBudget;
}

export function serveSubscriptions<X extends object>(
  options: SubscriptionServerOptions<X>,
): SubscriptionServer {
  const { httpServer, schema, logger } = options;
  // A message larger than a request body may be is refused by ws itself (close 1009); read at start.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.limits().maxBodyBytes });
  const open = new Set<Extra>();
  /** Parsed, valid documents by text, with their tokens (checked against the limit of each use). */
  const documents = new Map<string, { document: DocumentNode; tokens: number }>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!isGraphQLPath(request.url)) {
      refuseUpgrade(socket, 404, "Not Found");
      return;
    }
    if (!originAllowed(request.headers.origin, request.headers.host, options.allowedOrigins())) {
      logger.info({ origin: request.headers.origin }, "subscription socket refused: origin not allowed");
      refuseUpgrade(socket, 403, "Forbidden");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  };
  httpServer.on("upgrade", onUpgrade);

  const close = (extra: Extra, code: number, reason: string): void => {
    if (extra.expiry) clearTimeout(extra.expiry);
    open.delete(extra);
    extra.socket.close(code, reason);
  };

  /** setTimeout waits at most 2^31-1 ms (24.8 days): a token living longer is checked again then. */
  const closeAtExpiry = (extra: Extra, at: number): void => {
    const ms = at - Date.now();
    extra.expiry = setTimeout(
      () =>
        Date.now() >= at
          ? close(extra, CLOSE_TOKEN_EXPIRED, "Unauthorized: the token expired")
          : closeAtExpiry(extra, at),
      Math.max(0, Math.min(ms, 2 ** 31 - 1)),
    );
    extra.expiry.unref();
  };

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx: Ctx) => {
        const extra = ctx.extra;
        try {
          const factory = await options.contexts;
          const token = tokenOf(ctx.connectionParams) ?? bearerToken(extra.request.headers.authorization);
          const { subject } = await factory.forBearer(token);
          extra.subject = subject;
          extra.token = token;
        } catch (error) {
          if (error instanceof AuthenticationError) {
            // graphql-ws would answer 4403 Forbidden; an unusable token is 4401, as for HTTP's 401.
            close(extra, CloseCode.Unauthorized, limitReason(`Unauthorized: ${error.message}`));
            return false;
          }
          // Closed here rather than thrown: graphql-ws would console.error it, past the log redaction.
          logger.error({ err: error }, "subscription socket refused: unexpected error");
          close(extra, CloseCode.InternalServerError, internalReason(error, options.production));
          return false;
        }
        const expiresAt = extra.subject.expiresAt;
        if (expiresAt !== undefined) closeAtExpiry(extra, expiresAt * 1000);
        open.add(extra);
        return true;
      },
      onClose: (ctx: Ctx) => {
        if (ctx.extra.expiry) clearTimeout(ctx.extra.expiry);
        open.delete(ctx.extra);
      },
      onSubscribe: (ctx: Ctx, _id, payload) =>
        prepare(ctx, payload).catch((error: unknown) =>
          // An unexpected failure fails this operation (masked by onError), not the socket.
          error instanceof GraphQLError ? [error] : [unexpectedError(error)],
        ),
      subscribe: (args: ExecutionArgs) =>
        perEventExecution(args).catch((error: unknown) => ({ errors: [unexpectedError(error)] })),
      ...(options.production.maskErrors
        ? {
            onNext: (_ctx: Ctx, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
              result.errors?.length ? { ...result, errors: maskedErrors(result.errors, logger) } : undefined,
          }
        : {}),
      // The errors of an operation's `error` message: refusals, and failures while it streamed.
      onError: (_ctx, _id, _payload, errors) => {
        if (options.production.maskErrors) return maskedErrors(errors, logger);
        for (const error of errors)
          if (!error.extensions?.code) logger.warn({ err: error }, "subscription error");
        return undefined;
      },
      // Without it graphql-ws reads NODE_ENV to decide whether a close reason may carry a message.
      isProd: options.production.maskErrors,
    },
    wss,
  );

  /** onSubscribe's work: the operation's execution arguments, or why it is refused. */
  async function prepare(
    ctx: Ctx,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const subject = ctx.extra.subject;
    if (!subject) return [new GraphQLError("not authenticated", { extensions: { code: "UNAUTHENTICATED" } })];
    const refuse = (error: GraphQLError): GraphQLError[] => {
      options.refused?.(error);
      return [error];
    };
    const overRate = await options.rateLimit?.(subject, ctx.extra.request);
    if (overRate) return refuse(overRate);
    let text = payload.query;
    if (options.trustedDocuments) {
      // The APQ hash in `extensions` (or a documentId) names the registered document to run.
      const admission = admitDocument(payload, options.trustedDocuments);
      if ("refusal" in admission)
        return refuse(
          new GraphQLError(admission.refusal.message, { extensions: { code: admission.refusal.code } }),
        );
      if (admission.query === undefined)
        return refuse(
          new GraphQLError("send a registered operation's id or text", {
            extensions: { code: "OPERATION_NOT_TRUSTED" },
          }),
        );
      text = admission.query;
    }
    const variables = payload.variables ?? undefined;
    const limits = options.limits();
    const kept = documents.get(text);
    let document = kept?.document;
    // A kept document's tokens were counted when it was parsed; the variables are new each time.
    const tooLarge = kept
      ? checkCountedSource(kept.tokens, variables, limits)
      : checkSource(text, variables, limits);
    if (tooLarge) return refuse(withoutHttp(tooLarge));
    if (!document) {
      try {
        document = parse(text);
      } catch (error) {
        return [
          error instanceof GraphQLError
            ? withCode(error, "GRAPHQL_PARSE_FAILED")
            : new GraphQLError(String(error)),
        ];
      }
      // Production mode names no fields or types the caller could not look up (no "Did you mean").
      const invalid = validate(schema, document, specifiedRules, {
        hideSuggestions: !options.production.introspection,
      });
      if (invalid.length > 0) return invalid.map((e) => withCode(e, "GRAPHQL_VALIDATION_FAILED"));
      if (documents.size >= 1000) documents.clear();
      // Within the limit (checked above), so counted exactly.
      documents.set(text, { document, tokens: countTokens(text, limits.maxTokens) });
    }
    if (!options.production.introspection) {
      const refusal = introspectionRefusal(document);
      if (refusal) return refuse(refusal);
    }
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [
        new GraphQLError("name the operation to run (operationName)", {
          extensions: { code: "BAD_USER_INPUT" },
        }),
      ];
    }
    const judged = options.limitCache.check(
      { schema, document, operation, variables },
      limits,
      options.model,
    );
    if (judged instanceof GraphQLError) return refuse(withoutHttp(judged));
    const factory = await options.contexts;
    const scopeNow = options.scopeOf(subject);
    // Added in place (a spread would make the context's lazy parts at once).
    const contextOf = async (): Promise<object> =>
      Object.assign(await factory.forSubject(subject), { scopeNow });
    const extras: EventContexts = {
      eventContext: contextOf,
      ...(options.budget ? { budget: options.budget } : {}),
      closeConnection: (code: number, reason: string) => close(ctx.extra, code, limitReason(reason)),
    };
    const contextValue: object & EventContexts = Object.assign(await contextOf(), extras);
    return {
      schema,
      document,
      operationName: payload.operationName ?? null,
      variableValues: variables ?? null,
      contextValue,
    } satisfies ExecutionArgs;
  }

  return {
    async close() {
      httpServer.off("upgrade", onUpgrade);
      for (const extra of open) if (extra.expiry) clearTimeout(extra.expiry);
      open.clear();
      await server.dispose();
    },
    revoke(tokenId, source) {
      for (const extra of [...open]) {
        if (extra.subject?.tokenId === tokenId && extra.subject.source === source)
          close(extra, CLOSE_TOKEN_EXPIRED, "Unauthorized: the token was revoked");
      }
    },
    async recheck() {
      const factory = await options.contexts;
      await Promise.all(
        [...open].map(async (extra) => {
          try {
            await factory.forBearer(extra.token);
          } catch (error) {
            if (!(error instanceof AuthenticationError) || error.reason === "provider-unavailable") return;
            logger.info({ reason: error.reason }, "subscription socket closed: its token is no longer valid");
            close(extra, CLOSE_TOKEN_EXPIRED, "Unauthorized: the token was revoked");
          }
        }),
      );
    },
    get connections() {
      return open.size;
    },
  };
}

/**
 * graphql-js's subscribe, with a context per event: the source stream (createSourceEventStream)
 * is the subscription's, each event is executed on its own. A subscriber that fell too far behind
 * has its socket closed with CLOSE_SUBSCRIBER_TOO_SLOW (it resumes with its last cursor).
 */
async function perEventExecution(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const contexts = args.contextValue as EventContexts;
  const iterator = source[Symbol.asyncIterator]();
  const done = (): IteratorResult<ExecutionResult> => ({ done: true, value: undefined });
  const events: AsyncIterableIterator<ExecutionResult> = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      let event: IteratorResult<unknown>;
      try {
        event = await iterator.next();
      } catch (error) {
        if (!(error instanceof SubscriberTooSlowError)) throw error;
        contexts.closeConnection?.(CLOSE_SUBSCRIBER_TOO_SLOW, error.message);
        return done();
      }
      if (event.done) return done();
      const contextValue = contexts.eventContext ? await contexts.eventContext() : args.contextValue;
      const run = () => execute({ ...args, rootValue: event.value, contextValue });
      const value = await (contexts.budget ? withinBudget(contexts.budget(), run) : run());
      return { done: false, value };
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await iterator.return?.();
      return done();
    },
    async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
      await iterator.return?.();
      throw error instanceof Error ? error : new Error(String(error));
    },
    [Symbol.asyncIterator]: () => events,
  };
  return events;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * The token of connection_init's payload, as clients put it there: `authorization: "Bearer <token>"`
 * (Apollo Client, urql), the same under `headers` (clients that mirror HTTP), or `token`.
 */
function tokenOf(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  const headers = typeof params.headers === "object" && params.headers !== null ? params.headers : {};
  const header =
    params.authorization ??
    params.Authorization ??
    (headers as Record<string, unknown>).authorization ??
    (headers as Record<string, unknown>).Authorization;
  if (typeof header === "string") return bearerToken(header);
  return typeof params.token === "string" && params.token !== "" ? params.token : undefined;
}

/** An error without a code: masked in production mode, its original kept for the logs. */
function unexpectedError(error: unknown): GraphQLError {
  const original = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(original.message, { originalError: original });
}

/** A 4500 close's reason: the error's message only while errors are not masked. */
function internalReason(error: unknown, production: ProductionMode): string {
  if (production.maskErrors) return MASKED_MESSAGE;
  return limitReason(error instanceof Error ? error.message : String(error));
}

/** A limit's error without the HTTP status Apollo would read: graphql-ws has no status to set. */
function withoutHttp(error: GraphQLError): GraphQLError {
  if (error.extensions.http === undefined) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    extensions: { ...error.extensions, code },
  });
}

/** A close reason is at most 123 bytes (RFC 6455). */
function limitReason(reason: string): string {
  const bytes = Buffer.from(reason, "utf8");
  return bytes.length <= 123
    ? reason
    : bytes
        .subarray(0, 120)
        .toString("utf8")
        .replace(/\uFFFD$/, "") + "...";
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
