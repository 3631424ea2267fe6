/** How figures are written in docs/benchmarks.md's tables. */
const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** A count with thousands separators; "—" when not measured. */
export const n = (v: unknown, digits = 0): string =>
  typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: digits }) : "—";

export const ms = (v: unknown): string =>
  typeof v === "number" ? `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms` : "—";

export const size = (v: unknown): string => {
  if (typeof v !== "number") return "—";
  if (Math.abs(v) >= GiB) return `${(v / GiB).toFixed(2)} GiB`;
  return Math.abs(v) >= MiB ? `${(v / MiB).toFixed(1)} MiB` : `${(v / KiB).toFixed(1)} KB`;
};

/** A row of a fleetgraph-beside-one-peer table: label, figure, whether lower is better, how written. */
export type ComparedRow = [
  label: string,
  key: string,
  lowerIsBetter: boolean,
  format: (v: unknown) => string,
];

/**
 * "| label | fleetgraph's | the peer's (×) |" for each row, where (×) is how many times better
 * fleetgraph's figure is (> 1: fleetgraph better), as in the query tables; counts get no ratio.
 */
export function comparedRows(
  own: Record<string, unknown>,
  other: Record<string, unknown>,
  rows: readonly ComparedRow[],
): string[] {
  return rows.map(([label, key, lower, format]) => {
    const a = own[key];
    const b = other[key];
    const ratio =
      typeof a === "number" && typeof b === "number" && a > 0 && b > 0 && key !== "samples"
        ? ` (${(lower ? b / a : a / b).toFixed(1)})`
        : "";
    return `| ${label} | ${format(a)} | ${format(b)}${ratio} |`;
  });
}
