/** Turning flag strings into checked values, with messages that name the flag and the rule. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Level } from "pino";
import { UsageError } from "./usage.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A command's flags (no positionals); an unknown or malformed flag is a UsageError. */
export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    // parseArgs's own message names the flag ("Unknown option '--x'", "Option '--pods <value>' argument missing").
    throw new UsageError((error as Error).message);
  }
}

const LOG_LEVELS = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
] as const satisfies readonly (Level | "silent")[];

/** --log-level, else $LOG_LEVEL, else info. */
export function logLevelFlag(raw: string | undefined): (typeof LOG_LEVELS)[number] {
  return oneOfFlag("log-level", raw ?? process.env.LOG_LEVEL, "info", LOG_LEVELS);
}

export function integerFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function rateFlag(name: string, raw: string | undefined, max: number): number {
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < 0 || value > max) {
    throw new UsageError(
      `--${name} must be a number of changes per second between 0 and ${max}, got "${raw}"`,
    );
  }
  return value;
}

export function oneOfFlag<T extends string>(
  name: string,
  raw: string | undefined,
  fallback: T,
  allowed: readonly T[],
): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}
