/**
 * GET and POST /graphql served straight from node:http into Apollo's
 * `executeHTTPGraphQLRequest` (Apollo's "building integrations" contract): the JSON body read
 * with a size cap, the query string handed over undecoded, Apollo's answer written back in one
 * piece or, for incremental delivery, chunk by chunk. Express and its integration cost a fifth of
 * the gateway's CPU on small queries (router, body-parser, the legacy `url.parse`) for nothing
 * this route needs. CSRF prevention is applied here (csrf.ts) with the media type the body
 * reader parses anyway; method and content negotiation stay Apollo's.
 */
import { requestLogger } from "../telemetry/request-scope.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from "@apollo/server";
import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { REQUEST_TOO_LARGE } from "../limits/errors.js";
import type { TrustedDocumentsPolicy } from "../trusted-documents/admission.js";
import { csrfRefusal } from "./csrf.js";
import { admitHttpOperation } from "./trusted-documents.js";

export interface GraphQLHandlerOptions<C extends BaseContext> {
  /** A started ApolloServer (only its HTTP entry point is used). */
  apollo: Pick<ApolloServer<C>, "executeHTTPGraphQLRequest">;
  /** The context of one operation; called by Apollo after its own request checks. */
  context: (req: IncomingMessage) => Promise<C>;
  /** Larger request bodies are refused with 413 (read per request: reloads apply). Default 1 MiB. */
  maxBodyBytes?: number | (() => number);
  /**
   * Limits of the document and variables, checked before Apollo parses anything (its plugins
   * cannot refuse a request before parsing); the error is answered with status 400.
   */
  checkSource?: (
    query: string | undefined,
    variables: Record<string, unknown> | undefined,
  ) => GraphQLError | undefined;
  /** Told of a request refused here by a limit (the refusal counter). */
  refused?: (error: { extensions: Record<string, unknown> }) => void;
  /** Only registered operations run (docs/security.md, "Trusted documents"). Default: any. */
  trustedDocuments?: TrustedDocumentsPolicy;
  logger?: Logger;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** An HTTP error of the request itself, answered before Apollo sees it. */
export class RequestBodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "RequestBodyError";
  }
}

/** True when `url` (a request target: path and query) is the GraphQL endpoint. */
export function isGraphQLPath(url: string | undefined): boolean {
  if (url === undefined) return false;
  const end = url.indexOf("?");
  const path = end === -1 ? url : url.slice(0, end);
  return path === "/graphql" || path === "/graphql/";
}

export function graphqlHandler<C extends BaseContext>(options: GraphQLHandlerOptions<C>): RequestHandler {
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const contentType = mediaType(req.headers["content-type"]);
    const refusal = csrfRefusal(contentType?.essence, (name) => req.headers[name]);
    if (refusal !== undefined) {
      // Read (and drop) the body so the connection can carry the next request.
      req.resume();
      return sendError(res, 400, refusal);
    }
    let body: unknown;
    try {
      const limit = typeof maxBodyBytes === "number" ? maxBodyBytes : maxBodyBytes();
      body = req.method === "POST" ? await readJsonBody(req, limit, contentType) : undefined;
    } catch (error) {
      if (!(error instanceof RequestBodyError)) throw error;
      if (error.status === 413) {
        // After a refused body the connection may still carry the rest of it: do not reuse it.
        res.shouldKeepAlive = false;
        options.refused?.({ extensions: { code: REQUEST_TOO_LARGE } });
      }
      return sendError(res, error.status, error.message);
    }
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const method = (req.method ?? "GET").toUpperCase();
    // Everything after "?", not %-decoded (Apollo parses it).
    let operation = { body, search: query === -1 ? "" : url.slice(query) };
    if (options.trustedDocuments) {
      const admitted = admitHttpOperation(method, operation, options.trustedDocuments);
      if ("code" in admitted) {
        options.refused?.({ extensions: { code: admitted.code } });
        return sendError(res, 400, admitted.message, admitted.code);
      }
      operation = admitted;
    }
    // Checked on what Apollo will run: a registered document's text when one was named.
    const tooLarge =
      options.checkSource && checkSource(options.checkSource, operation.body, operation.search);
    if (tooLarge) {
      options.refused?.(tooLarge);
      const { http: _http, ...extensions } = tooLarge.extensions;
      return sendJson(res, 400, { errors: [{ message: tooLarge.message, extensions }] });
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers: headerMap(req), ...operation },
      context: () => options.context(req),
    });
    await writeResponse(res, response);
  };
  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      // The client went away mid-request: there is no one to answer.
      if (res.destroyed) return;
      if (options.logger)
        requestLogger(options.logger).error(
          { err: error, url: req.url },
          "GraphQL request failed outside Apollo",
        );
      if (!res.headersSent) sendError(res, 500, "internal server error");
      else res.destroy();
    });
  };
}

/** Request headers as Apollo wants them: lower-case names, repeated values joined with ", ". */
function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/**
 * The body parsed as JSON when it is declared as JSON, else undefined (Apollo then refuses the
 * POST, or blocks it as a possible CSRF). Always read to its end, so the connection can be reused.
 */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  type: MediaType | undefined = mediaType(req.headers["content-type"]),
): Promise<unknown> {
  const chunks = await readBody(req, maxBytes);
  if (type?.essence !== "application/json") return undefined;
  if (type.charset !== undefined && type.charset !== "utf-8" && type.charset !== "utf8")
    throw new RequestBodyError(415, `unsupported charset "${type.charset}": send the body as UTF-8`);
  const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RequestBodyError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The body's chunks, refused past `maxBytes`: at once when Content-Length says so, else when the
 * count passes it. Events rather than `for await`, whose early exit would destroy the socket
 * before the 413 is written.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer[]> {
  if (Number(req.headers["content-length"]) > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // A chunked body without a length: stop keeping it; the 413 closes the connection.
      finish();
      req.resume();
      reject(tooLarge(maxBytes));
    };
    const onEnd = (): void => {
      finish();
      resolve(chunks);
    };
    const onError = (error: Error): void => {
      finish();
      reject(error);
    };
    const finish = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function tooLarge(maxBytes: number): RequestBodyError {
  return new RequestBodyError(
    413,
    `the request body is larger than the limit of ${maxBytes} bytes (limits.maxBodyBytes): send a shorter query or smaller variables`,
  );
}

interface MediaType {
  essence: string;
  charset?: string;
}

/** The media type of a Content-Type header: its essence and charset, lower-cased. */
function mediaType(header: string | undefined): MediaType | undefined {
  if (header === undefined) return undefined;
  // What GraphQL clients send, without the general parse.
  if (header === "application/json") return { essence: header };
  const [essence = "", ...parameters] = header.split(";");
  const result: { essence: string; charset?: string } = { essence: essence.trim().toLowerCase() };
  for (const parameter of parameters) {
    const equals = parameter.indexOf("=");
    if (equals === -1 || parameter.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    result.charset = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
  }
  return result;
}

/** Apollo's answer on the wire; an incremental one chunk by chunk, stopped if the client leaves. */
async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // Answers depend on the caller and on a fleet that keeps changing: no cache may keep them.
  // (What Apollo's cache-control plugin said for unhinted fields; it is off, see server.ts.)
  if (!response.headers.has("cache-control")) res.setHeader("cache-control", "no-store");
  if (response.body.kind === "complete") {
    const text = response.body.string;
    // With the length known Node sends the head and the body in one write.
    res.setHeader("content-length", Buffer.byteLength(text));
    res.end(text);
    return;
  }
  // Incremental delivery (@defer, @stream) needs graphql 17; kept for when the schema uses it.
  for await (const chunk of response.body.asyncIterator) {
    // The client left: leaving the loop ends the iterator and with it the execution.
    if (res.destroyed) break;
    if (!res.write(chunk)) await waitForDrain(res);
  }
  if (!res.destroyed) res.end();
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * The source checks over what Apollo will read: a POST's JSON body, or a GET's query string. A
 * batch (an array) is left to Apollo, which refuses it.
 */
function checkSource(
  check: NonNullable<GraphQLHandlerOptions<BaseContext>["checkSource"]>,
  body: unknown,
  /** The URL's query string with its "?", or "". */
  search: string,
): GraphQLError | undefined {
  if (isObject(body)) {
    const variables = isObject(body.variables) ? body.variables : undefined;
    return check(typeof body.query === "string" ? body.query : undefined, variables);
  }
  if (body !== undefined || search === "") return undefined;
  const params = new URLSearchParams(search.slice(1));
  let variables: unknown;
  try {
    variables = JSON.parse(params.get("variables") ?? "null");
  } catch {
    variables = undefined; // Apollo refuses it with its own message.
  }
  return check(params.get("query") ?? undefined, isObject(variables) ? variables : undefined);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An error of ours in the shape of a GraphQL response, so clients read every failure alike. */
function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code = status === 500 ? "INTERNAL_SERVER_ERROR" : status === 413 ? REQUEST_TOO_LARGE : "BAD_REQUEST",
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

function sendJson(res: ServerResponse, status: number, answer: unknown): void {
  const text = JSON.stringify(answer);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
