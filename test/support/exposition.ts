/**
 * A gateway's /metrics, scraped and read sample by sample. The text format's sample line is
 * tokenised here (label values unescaped), because the npm parser tried first
 * (parse-prometheus-text-format) drops the labels, sums and counts of labelled histograms; that
 * the text is valid exposition is checked by Prometheus' own parser (`promtool check metrics`)
 * in the test.
 */

export interface Sample {
  /** The series name as written: `x_total`, `h_bucket`, `h_count`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class Exposition {
  readonly samples: Sample[];
  /** Family name -> TYPE. */
  readonly types = new Map<string, string>();

  constructor(readonly text: string) {
    this.samples = [];
    for (const line of text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        const [name = "", type = ""] = line.slice(7).split(" ");
        this.types.set(name, type);
      } else if (line !== "" && !line.startsWith("#")) this.samples.push(parseSample(line));
    }
  }

  static async scrape(baseUrl: string): Promise<Exposition> {
    const response = await fetch(`${baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    return new Exposition(await response.text());
  }

  has(family: string): boolean {
    return this.types.has(family);
  }

  /** The sum of the samples of series `name` whose labels include `labels` (0 when none). */
  value(name: string, labels: Record<string, string> = {}): number {
    if (!this.types.has(name) && !this.types.has(name.replace(/_(count|sum|bucket)$/, "")))
      throw new Error(`no metric family for ${name}`);
    let total = 0;
    for (const s of this.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  /** The first series of `name` with labels including `labels`. */
  find(name: string, labels: Record<string, string>): Sample | undefined {
    return this.samples.find(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  }
}

/** `name{a="x",b="y \"q\""} 12.5` (a timestamp, if any, ignored). */
function parseSample(line: string): Sample {
  const brace = line.indexOf("{");
  const space = line.indexOf(" ");
  if (brace === -1 || brace > space) {
    const [name = "", value = ""] = line.split(" ");
    return { name, labels: {}, value: parseValue(value, line) };
  }
  const name = line.slice(0, brace);
  const labels: Record<string, string> = {};
  let i = brace + 1;
  while (line[i] !== "}") {
    const equals = line.indexOf("=", i);
    const key = line.slice(i, equals);
    if (line[equals + 1] !== '"') throw new Error(`bad label in ${line}`);
    let j = equals + 2;
    let value = "";
    while (line[j] !== '"') {
      if (j >= line.length) throw new Error(`unterminated label value in ${line}`);
      if (line[j] === "\\") {
        const next = line[j + 1];
        value += next === "n" ? "\n" : next;
        j += 2;
      } else value += line[j++];
    }
    labels[key] = value;
    i = j + 1;
    if (line[i] === ",") i++;
  }
  const [value = ""] = line
    .slice(i + 1)
    .trim()
    .split(" ");
  return { name, labels, value: parseValue(value, line) };
}

function parseValue(text: string, line: string): number {
  // Go's ParseFloat, as Prometheus reads values: NaN and Inf in any case (prom-client writes "Nan").
  const lower = text.toLowerCase();
  const value = lower === "+inf" || lower === "inf" ? Infinity : lower === "-inf" ? -Infinity : Number(text);
  if (Number.isNaN(value) && lower !== "nan") throw new Error(`bad value in ${line}`);
  return value;
}
