/**
 * Masked error details (production mode): an error the gateway did not mean to show (no code,
 * or INTERNAL_SERVER_ERROR: a bug, an unexpected library failure) reaches the client as a
 * generic message with the id a person can find the full error under in the logs. Typed errors
 * (BAD_USER_INPUT, FORBIDDEN, CLUSTER_UNAVAILABLE, ...) are the caller's to act on and keep their
 * messages. The same for HTTP (Apollo's formatError) and graphql-ws (each event's result).
 */
import { randomUUID } from "node:crypto";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";

export const MASKED_MESSAGE = "Internal server error";

/** True when `error` describes the gateway's insides rather than the caller's request. */
export function isUnexpected(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return code === undefined || code === null || code === "INTERNAL_SERVER_ERROR";
}

/**
 * `formatted` as the client may see it: unexpected ones replaced by the generic message and
 * `errorId` (logged with the full error by the caller), where in the operation kept.
 */
export function maskedError(formatted: GraphQLFormattedError, errorId: string): GraphQLFormattedError {
  if (!isUnexpected(formatted)) return formatted;
  return {
    message: `${MASKED_MESSAGE} (request id ${errorId})`,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", requestId: errorId },
  };
}

/**
 * A formatError for Apollo: masks as above with the request's id (`requestId()`, else a new
 * one) and logs the original error under it, so the line can be found from the answer.
 */
export function maskingFormatError(
  logger: Logger,
  requestId: () => string | undefined,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    // A typed error is the caller's to read, but not the addresses of the gateway's network its
    // backend's failure may name (a Prometheus or log store URL, a socket's peer).
    if (!isUnexpected(formatted)) return { ...formatted, message: withoutAddresses(formatted.message) };
    const errorId = requestId() ?? randomUUID();
    logger.error({ err: error, requestId: errorId, path: formatted.path }, "unexpected error (masked)");
    return maskedError(formatted, errorId);
  };
}

/** A graphql-ws event's errors, masked the same way (each a GraphQLError of graphql-js). */
export function maskedErrors(errors: readonly GraphQLError[], logger: Logger): GraphQLFormattedError[] {
  const format = maskingFormatError(logger, () => undefined);
  return errors.map((error) => format(error.toJSON(), error));
}

/** What a socket error code means, said without the address it was about. */
const SOCKET_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  UND_ERR_SOCKET: "socket error",
  UND_ERR_CLOSED: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

/** "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6443", Node's socket error with its address. */
const SOCKET_ERROR = /\b([A-Z][A-Z_]{3,}): (?:connect|getaddrinfo|read|write|socket) \1(?: [^\s,;()]+)?/g;
const ADDRESS =
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s,;()]+|\[[0-9a-f:.]+\](?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/gi;

/**
 * A cluster's failure as every tenant may read it in production mode: socket errors said in
 * words, and no address (IP, URL) of the gateway's network. The full text stays in the logs.
 */
export function withoutAddresses(message: string): string {
  return message
    .replace(SOCKET_ERROR, (whole, code: string) => SOCKET_FAILURES[code] ?? code)
    .replace(ADDRESS, "<address>");
}
