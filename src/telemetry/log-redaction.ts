/**
 * What never reaches the gateway's logs (docs/security.md, "Logs"): credentials in request
 * headers, tokens, passwords, client secrets, API keys and Secret data, wherever a log line's
 * fields or a logged error carry them (pino's `redact`, a fixed set of paths: one or two levels
 * below the line, and the headers of requests and responses errors drag along). A leaf.
 */
import type { Logger, LoggerOptions } from "pino";

/** Keys whose value is a credential wherever it appears. */
const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  '["set-cookie"]',
  "password",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "id_token",
  "clientSecret",
  "client_secret",
  "apiKey",
  "bearer",
  "secret",
  "stringData",
  "keyData",
  "certData",
];

/** Up to three levels deep: `{ err: { response: { headers: { authorization } } } }`. */
export const LOG_REDACTION: NonNullable<LoggerOptions["redact"]> = {
  paths: SECRET_KEYS.flatMap((key) => {
    const at = key.startsWith("[") ? key : `.${key}`;
    return [at.replace(/^\./, ""), `*${at}`, `*.*${at}`, `*.*.*${at}`];
  }),
  censor: "[Redacted]",
};

/** `logger` with the redaction above (a child: the caller's destination and level are kept). */
export function redactedLogger(logger: Logger): Logger {
  return logger.child({}, { redact: LOG_REDACTION });
}
