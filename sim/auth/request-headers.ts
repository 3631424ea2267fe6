/**
 * HTTP request headers as the auth filters read them: names case-insensitive, each header a list
 * of values. Node's IncomingMessage.headers joins a repeated header with ", " while
 * `headersDistinct` keeps one entry per line; both are accepted, and a joined string is split
 * back into values (so `Impersonate-Group: a, b` is the groups a and b, as two header lines are).
 */
export type RawHeaders = Record<string, string | string[] | undefined>;

export class RequestHeaders {
  private readonly values = new Map<string, string[]>();

  constructor(raw: RawHeaders) {
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      const list = this.values.get(key) ?? [];
      list.push(...(Array.isArray(value) ? value : [value]));
      this.values.set(key, list);
    }
  }

  /** The first value, as Go's Header.Get (undefined when absent). */
  first(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }

  /** Every value of a list-valued header; a single joined string is split on commas. */
  list(name: string): string[] {
    return splitJoined(this.values.get(name.toLowerCase()) ?? []);
  }

  /** Every header whose (lower-cased) name starts with `prefix`, values split as in `list`. */
  withPrefix(prefix: string): { name: string; values: string[] }[] {
    const lower = prefix.toLowerCase();
    const out: { name: string; values: string[] }[] = [];
    for (const [name, values] of this.values) {
      if (name.startsWith(lower)) out.push({ name, values: splitJoined(values) });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function splitJoined(values: string[]): string[] {
  if (values.length !== 1) return values;
  return values[0]!
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
