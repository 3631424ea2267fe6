/**
 * The five-field cron syntax of CronJob.spec.schedule (robfig/cron's standard parser, as the
 * CronJob controller uses it): minute hour day-of-month month day-of-week, each `*`, a value, a
 * range `a-b`, a step `x/n`, or a comma list of them; month and weekday names; `?` as `*`; the
 * @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly macros. When both day fields are
 * restricted a day matches either of them, as in Vixie cron. Times are UTC.
 */
export class CronSyntaxError extends Error {}

interface Field {
  min: number;
  max: number;
  names?: string[];
}

const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const DAY: Field = { min: 1, max: 31 };
const MONTH: Field = {
  min: 1,
  max: 12,
  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const WEEKDAY: Field = { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export interface CronSchedule {
  /** The first scheduled time strictly after `after` (whole minutes), or undefined within five years. */
  next(after: Date): Date | undefined;
}

export function parseCronSchedule(text: string): CronSchedule {
  const trimmed = text.trim();
  if (/^(TZ|CRON_TZ)=/.test(trimmed))
    throw new CronSyntaxError("TZ is not allowed in schedule; use spec.timeZone");
  const fields = (MACROS[trimmed] ?? trimmed).split(/\s+/);
  if (fields.length !== 5)
    throw new CronSyntaxError(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  const [minutes, hours, days, months, weekdays] = [
    parseField(fields[0]!, MINUTE),
    parseField(fields[1]!, HOUR),
    parseField(fields[2]!, DAY),
    parseField(fields[3]!, MONTH),
    parseField(fields[4]!, WEEKDAY, 7),
  ];
  const anyDay = fields[2] === "*" || fields[2] === "?";
  const anyWeekday = fields[4] === "*" || fields[4] === "?";
  const dayMatches = (t: Date): boolean => {
    const dom = days.has(t.getUTCDate());
    const dow = weekdays.has(t.getUTCDay());
    if (anyDay || anyWeekday) return dom && dow;
    return dom || dow;
  };
  return {
    next(after) {
      const t = new Date(after.getTime());
      t.setUTCSeconds(0, 0);
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else {
          return t;
        }
      }
      return undefined;
    },
  };
}

/** One field as the set of values it allows; `sundayAlias` (7) counts as 0 for weekdays. */
function parseField(text: string, field: Field, sundayAlias?: number): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new CronSyntaxError(`bad step in "${part}"`);
    let low: number;
    let high: number;
    if (range === "*" || range === "?") {
      [low, high] = [field.min, field.max];
    } else {
      const [a, b] = range.split("-");
      low = value(a!, field, sundayAlias);
      // "5/15" means from 5 to the end, every 15.
      high = b !== undefined ? value(b, field, sundayAlias) : stepText !== undefined ? field.max : low;
    }
    if (low > high)
      throw new CronSyntaxError(`beginning of range (${low}) beyond end of range (${high}): ${part}`);
    for (let v = low; v <= high; v += step)
      values.add(sundayAlias !== undefined && v === sundayAlias ? 0 : v);
  }
  return values;
}

function value(text: string, field: Field, sundayAlias?: number): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + field.min;
  const n = Number(text);
  const max = sundayAlias ?? field.max;
  if (text === "" || !Number.isInteger(n) || n < field.min || n > max) {
    throw new CronSyntaxError(`failed to parse "${text}": must be between ${field.min} and ${max}`);
  }
  return n;
}
