/**
 * CronJob.spec.schedule, read as the CronJob controller reads it (robfig/cron's standard
 * parser): exactly five fields (minute hour day-of-month month day-of-week), the @yearly …
 * @hourly macros, and no TZ=/CRON_TZ= prefix (spec.timeZone says that). The fields themselves
 * and the next time are cron-parser's: the same ranges, steps, lists, names, `?`, Sunday as 0 or
 * 7, and a day matching either day field when both are restricted (Vixie cron). Times are UTC.
 *
 * cron-parser accepts more than Kubernetes does (a seconds field, L, W, #, H): that is refused
 * here first, so a schedule the real API server would not run is reported here too.
 */
import { CronExpressionParser, type CronExpression } from "cron-parser";

export class CronSyntaxError extends Error {}

/** robfig/cron's descriptors; cron-parser has no @midnight and, beyond these, macros Kubernetes lacks. */
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/** The names each field may use (robfig/cron: months and weekdays only). */
const FIELD_NAMES: readonly (readonly string[])[] = [[], [], [], MONTH_NAMES, DAY_NAMES];

/** How far ahead `next` looks, as robfig/cron's Next gives up after five years. */
const HORIZON_MS = 5 * 366 * 24 * 3600 * 1000;

export interface CronSchedule {
  /** The first scheduled time strictly after `after` (whole minutes), or undefined within five years. */
  next(after: Date): Date | undefined;
}

export function parseCronSchedule(text: string): CronSchedule {
  const trimmed = text.trim();
  if (/^(TZ|CRON_TZ)=/.test(trimmed))
    throw new CronSyntaxError("TZ is not allowed in schedule; use spec.timeZone");
  const expression = MACROS[trimmed] ?? trimmed;
  const fields = expression.split(/\s+/);
  if (fields.length !== 5)
    throw new CronSyntaxError(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  fields.forEach((field, index) => checkVocabulary(field, FIELD_NAMES[index]!));
  const parse = (currentDate: Date, endDate?: Date): CronExpression => {
    try {
      return CronExpressionParser.parse(expression, {
        currentDate,
        tz: "UTC",
        ...(endDate ? { endDate } : {}),
      });
    } catch (error) {
      throw new CronSyntaxError(`${error instanceof Error ? error.message : String(error)}: ${text}`);
    }
  };
  parse(new Date()); // invalid values, ranges and steps are refused now, not at the first run
  return {
    next(after) {
      try {
        return parse(after, new Date(after.getTime() + HORIZON_MS))
          .next()
          .toDate();
      } catch {
        return undefined; // nothing within the horizon (cron-parser: out of the time span)
      }
    },
  };
}

/** Numbers, `* ? , - /` and the field's names: what robfig/cron accepts (no L, W, #, H). */
function checkVocabulary(field: string, names: readonly string[]): void {
  if (!/^[0-9A-Za-z*?,/-]+$/.test(field)) throw new CronSyntaxError(`invalid characters in "${field}"`);
  for (const word of field.match(/[A-Za-z]+/g) ?? []) {
    if (!names.includes(word.toLowerCase()))
      throw new CronSyntaxError(`failed to parse "${word}" in "${field}"`);
  }
}
