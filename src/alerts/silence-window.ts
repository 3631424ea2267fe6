/**
 * When a silence made through the gateway ends: a duration from now ("2h", "1h30m", "7d" as Go
 * and amtool write them, or ISO 8601's "PT2H", "P1DT12H") or a time, bounded: a silence
 * forgotten for a year hides a real outage, so at most 30 days.
 */

export const MAX_SILENCE_MS = 30 * 24 * 3_600_000;
/**
 * At least a minute: Alertmanager refuses a silence whose end has passed when it arrives ("end
 * time can't be in the past"), so a window of milliseconds ("1ms", "0.5s", an endsAt just ahead)
 * would fail there as INVALID after every check here passed; and one shorter than a rule's
 * evaluation interval mutes nothing anyway.
 */
export const MIN_SILENCE_MS = 60_000;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};
const GO_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
/** Weeks, days, hours, minutes, seconds: no years or months, whose length depends on the date. */
const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export class SilenceWindowError extends Error {
  constructor(
    readonly field: "duration" | "endsAt",
    message: string,
  ) {
    super(message);
    this.name = "SilenceWindowError";
  }
}

/** A duration in milliseconds; undefined when the text is neither Go's nor ISO 8601's form. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > 64) return undefined;
  const iso = ISO_DURATION.exec(trimmed);
  if (iso) {
    if (!iso.slice(1).some((part) => part !== undefined) || /T$/i.test(trimmed)) return undefined;
    const [w, d, h, m, s] = iso.slice(1).map((part) => Number(part ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    return w * UNIT_MS.w! + d * UNIT_MS.d! + h * UNIT_MS.h! + m * UNIT_MS.m! + s * UNIT_MS.s!;
  }
  let total = 0;
  GO_PART.lastIndex = 0;
  while (GO_PART.lastIndex < trimmed.length) {
    const part = GO_PART.exec(trimmed);
    if (!part) return undefined;
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  return total;
}

export interface SilenceWindow {
  startsAt: Date;
  endsAt: Date;
}

/** From now until `duration` later or `endsAt`: exactly one of the two, a minute to 30 days. */
export function silenceWindow(
  input: { duration?: string | null; endsAt?: Date | null },
  now = Date.now(),
): SilenceWindow {
  const { duration, endsAt } = input;
  if ((duration == null) === (endsAt == null))
    throw new SilenceWindowError("duration", 'give duration (e.g. "2h") or endsAt, not both');
  let ends: number;
  if (duration != null) {
    const ms = duration.trim().startsWith("-") ? -1 : parseDuration(duration);
    if (ms === undefined)
      throw new SilenceWindowError(
        "duration",
        `"${duration.slice(0, 40)}" is not a duration: write it as Go does ("2h", "1h30m", "7d") or as ISO 8601 ("PT2H", "P1DT12H")`,
      );
    if (ms <= 0) throw new SilenceWindowError("duration", "a silence's duration must be positive");
    if (ms < MIN_SILENCE_MS)
      throw new SilenceWindowError("duration", 'a silence lasts at least a minute: give e.g. "1m" or "PT1M"');
    if (ms > MAX_SILENCE_MS) throw new SilenceWindowError("duration", "a silence lasts at most 30 days");
    ends = now + ms;
  } else {
    ends = endsAt!.getTime();
    if (Number.isNaN(ends)) throw new SilenceWindowError("endsAt", "endsAt is not a valid time");
    if (ends <= now) throw new SilenceWindowError("endsAt", "endsAt must be in the future");
    if (ends - now < MIN_SILENCE_MS)
      throw new SilenceWindowError("endsAt", "a silence lasts at least a minute: endsAt is too close");
    if (ends - now > MAX_SILENCE_MS)
      throw new SilenceWindowError("endsAt", "a silence lasts at most 30 days: endsAt is too far ahead");
  }
  return { startsAt: new Date(now), endsAt: new Date(ends) };
}
