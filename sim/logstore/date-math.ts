/**
 * Dates as Elasticsearch reads them: the default `strict_date_optional_time||epoch_millis`
 * formats (ISO 8601 with optional time, fraction and offset; epoch milliseconds as a number or a
 * string of digits), `epoch_second`, and date math — an anchor (`now` or `<date>||`) followed by
 * `+N<unit>`, `-N<unit>` and `/<unit>` rounding (units y M w d h H m s). Rounding and missing
 * date components depend on the range operator: `gt` and `lte` round up (to the last millisecond
 * of the unit), `gte` and `lt` round down, as ES documents for range queries.
 */
import { esErrors } from "./errors.js";

export const DEFAULT_DATE_FORMAT = "strict_date_optional_time||epoch_millis";

const ISO =
  /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses one ISO 8601 date; with roundUp, missing time components are the unit's last instant. */
export function parseIsoDate(text: string, roundUp = false): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // A bare year or year-month with a zone makes no sense; ES's strict format requires a day before a time.
  if (zone && !d) return undefined;
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? (roundUp ? 23 : 0) : Number(h);
  const minute = mi === undefined ? (roundUp ? 59 : 0) : Number(mi);
  const second = s === undefined ? (roundUp ? 59 : 0) : Number(s);
  const millis = frac === undefined ? (roundUp ? 999 : 0) : Number(frac.slice(0, 3).padEnd(3, "0"));
  if (month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  let t = Date.UTC(year, month, day, hour, minute, second, millis);
  if (year >= 0 && year < 100) t = new Date(t).setUTCFullYear(year);
  if (new Date(t).getUTCDate() !== day) return undefined;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0")) * 60_000;
  }
  return t;
}

/** Parses a date value with a format list (`a||b`), as a date field or a range query does. */
export function parseDate(value: unknown, format = DEFAULT_DATE_FORMAT, roundUp = false): number | undefined {
  for (const f of format.split("||")) {
    const t = parseWithFormat(value, f.trim(), roundUp);
    if (t !== undefined) return t;
  }
  return undefined;
}

function parseWithFormat(value: unknown, format: string, roundUp: boolean): number | undefined {
  switch (format) {
    case "epoch_millis":
      if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
      if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Math.trunc(Number(value));
      return undefined;
    case "epoch_second":
      if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value * 1000);
      if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Math.trunc(Number(value) * 1000);
      return undefined;
    case "strict_date_optional_time":
    case "date_optional_time":
    case "strict_date_optional_time_nanos":
    case "strict_date_time":
    case "date_time":
    case "iso8601":
      return typeof value === "string" ? parseIsoDate(value, roundUp) : undefined;
    case "strict_date":
    case "date":
    case "yyyy-MM-dd":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? parseIsoDate(value, roundUp)
        : undefined;
    case "yyyy.MM.dd":
      return typeof value === "string" && /^\d{4}\.\d{2}\.\d{2}$/.test(value)
        ? parseIsoDate(value.replace(/\./g, "-"), roundUp)
        : undefined;
    default:
      // Custom Java patterns are not simulated; ISO text still parses.
      return typeof value === "string" ? parseIsoDate(value, roundUp) : undefined;
  }
}

const UNITS = new Set(["y", "M", "w", "d", "h", "H", "m", "s"]);

function addUnit(t: number, n: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case "y":
      return d.setUTCFullYear(d.getUTCFullYear() + n);
    case "M":
      return d.setUTCMonth(d.getUTCMonth() + n);
    case "w":
      return t + n * 7 * 86_400_000;
    case "d":
      return t + n * 86_400_000;
    case "h":
    case "H":
      return t + n * 3_600_000;
    case "m":
      return t + n * 60_000;
    default:
      return t + n * 1000;
  }
}

/** The start of the unit holding t (UTC). */
export function roundDown(t: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case "y":
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case "M":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "w": {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      // ISO weeks start on Monday.
      return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    }
    case "d":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case "h":
    case "H":
      return t - (((t % 3_600_000) + 3_600_000) % 3_600_000);
    case "m":
      return t - (((t % 60_000) + 60_000) % 60_000);
    default:
      return t - (((t % 1000) + 1000) % 1000);
  }
}

/**
 * Resolves a date or date-math expression to epoch milliseconds. `roundUp` is true for the
 * `gt`/`lte` ends of a range. Throws ES's parse error when the text is neither.
 */
export function resolveDateMath(
  value: unknown,
  options: { now: number; format?: string; roundUp?: boolean; field?: string },
): number {
  const roundUp = options.roundUp ?? false;
  if (typeof value !== "string") {
    const t = parseDate(value, options.format ?? DEFAULT_DATE_FORMAT, roundUp);
    if (t === undefined) throw unparsable(value, options.format);
    return t;
  }
  let anchor: number;
  let math: string;
  if (value.startsWith("now")) {
    anchor = options.now;
    math = value.slice(3);
  } else {
    const split = value.indexOf("||");
    const text = split < 0 ? value : value.slice(0, split);
    math = split < 0 ? "" : value.slice(split + 2);
    // With math after it, the anchor date is parsed as is (rounding applies to the math's `/unit`).
    const t = parseDate(text, options.format ?? DEFAULT_DATE_FORMAT, roundUp && math === "");
    if (t === undefined) throw unparsable(value, options.format);
    anchor = t;
  }
  let t = anchor;
  let i = 0;
  while (i < math.length) {
    const op = math[i++]!;
    if (op === "/") {
      const unit = math[i++];
      if (!unit || !UNITS.has(unit)) throw badMath(value, `rounding `);
      t = roundUp ? addUnit(roundDown(t, unit), 1, unit) - 1 : roundDown(t, unit);
      continue;
    }
    if (op !== "+" && op !== "-") throw badMath(value, `operator [${op}] `);
    let digits = "";
    while (i < math.length && /\d/.test(math[i]!)) digits += math[i++]!;
    const unit = math[i++];
    if (!unit || !UNITS.has(unit)) throw badMath(value, "unit ");
    const n = digits === "" ? 1 : Number(digits);
    t = addUnit(t, op === "+" ? n : -n, unit);
  }
  return t;
}

function unparsable(value: unknown, format?: string) {
  return esErrors.parsing(
    `failed to parse date field [${String(value)}] with format [${format ?? DEFAULT_DATE_FORMAT}]`,
  );
}

function badMath(value: string, what: string) {
  return esErrors.parsing(`operation failed while parsing date math [${value}]: invalid ${what.trim()}`);
}

/** `2024-05-01T10:00:00.000Z`: how ES prints a date of the default format (key_as_string, value_as_string). */
export function formatDate(t: number): string {
  return new Date(t).toISOString();
}

/** `YYYY.MM.DD` of an instant, UTC: the suffix of a daily index. */
export function dailySuffix(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 4)}.${iso.slice(5, 7)}.${iso.slice(8, 10)}`;
}
