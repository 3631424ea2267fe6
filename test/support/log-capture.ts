/** A pino logger whose JSON lines are kept in memory, for tests that assert what was logged. */
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLogs {
  logger: Logger;
  /** Every line so far, parsed. */
  lines(): LogLine[];
  /** The lines whose message matches (or contains) `pattern`, optionally only those with these fields. */
  matching(pattern: RegExp | string, fields?: Record<string, unknown>): LogLine[];
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function captureLogs(level: pino.Level = "info"): CapturedLogs {
  const lines: LogLine[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    }),
  );
  return {
    logger,
    lines: () => [...lines],
    matching: (pattern, fields = {}) =>
      lines.filter(
        (line) =>
          (typeof pattern === "string" ? line.msg.includes(pattern) : pattern.test(line.msg)) &&
          Object.entries(fields).every(([key, value]) => line[key] === value),
      ),
  };
}
