/**
 * Per-caller rate limits at the transports: who a caller is for the limit (the authenticated
 * subject, else the client's address) and the refusal — HTTP 429 with Retry-After, and the
 * GraphQL error RATE_LIMITED with retryAfterSeconds, which graphql-ws callers get as is.
 */
import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import { AuthenticationError } from "../../auth/identity/contracts.js";
import { ANONYMOUS, subjectKey, type Subject } from "../../auth/subject.js";
import { RATE_LIMITED, type CallerRateLimit } from "../limits/index.js";

/** The key a caller's rate is counted under: its subject, or its address when anonymous. */
export function callerKey(subject: Subject, sourceIP: string | undefined): string {
  return subject.source === "anonymous" ? `ip ${sourceIP ?? "unknown"}` : `subject ${subjectKey(subject)}`;
}

export function rateLimitedError(retryAfterSeconds: number, http: boolean): GraphQLError {
  return new GraphQLError(
    `too many requests: this caller is over its rate limit; retry after ${retryAfterSeconds} s`,
    {
      extensions: {
        code: RATE_LIMITED,
        retryAfterSeconds,
        ...(http
          ? { http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) } }
          : {}),
      },
    },
  );
}

/** The refusal of `caller`'s next operation, or undefined when it is within its rate. */
export async function rateRefusal(
  limit: CallerRateLimit | undefined,
  caller: string,
  http: boolean,
): Promise<GraphQLError | undefined> {
  const refusal = await limit?.consume(caller);
  return refusal ? rateLimitedError(refusal.retryAfterSeconds, http) : undefined;
}

/**
 * The refusal of a request whose token was refused, counted against its address as an anonymous
 * caller's: a flood of bad tokens meets the rate limit instead of costing an authentication each.
 * A provider that cannot answer is not the caller's failure and is not counted.
 */
export async function failedAuthenticationRefusal(
  limit: CallerRateLimit | undefined,
  error: unknown,
  sourceIP: string | undefined,
): Promise<GraphQLError | undefined> {
  if (!(error instanceof AuthenticationError) || error.reason === "provider-unavailable") return undefined;
  return rateRefusal(limit, callerKey(ANONYMOUS, sourceIP), true);
}
