/** Turning flag strings into checked numbers, with messages that name the flag and the rule. */
import { UsageError } from "./usage.js";

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
