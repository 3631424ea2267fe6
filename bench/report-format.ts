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
