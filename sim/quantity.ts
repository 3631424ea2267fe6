/**
 * Resource quantities the way the API server keeps them (k8s.io/apimachinery resource.Quantity):
 * exact sums in thousandths, and the canonical text a real server writes back ("1500m", "2",
 * "384Mi", "1k"). Controllers that add up requests (the quota controller, the HPA) must print
 * their totals exactly as kube-controller-manager would, and floats would drift.
 *
 * Anything finer than a milli-unit ("1n") is rounded up to one, as the server rounds a quantity
 * it cannot hold exactly; no simulated field needs more.
 */

/** How a quantity was written, which decides how it is printed back. */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  /** The value times 1000. */
  milli: bigint;
  format: QuantityFormat;
}

const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));

const GRAMMAR = /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

export class QuantityError extends Error {
  override readonly name = "QuantityError";
  constructor(readonly text: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  }
}

const pow = (base: bigint, exponent: number): bigint => base ** BigInt(exponent);

/** a / b rounded away from zero, so nothing non-zero becomes zero. */
function divideUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : a < 0n ? q - 1n : q + 1n;
}

export function parseQuantity(text: string): Quantity {
  const match = GRAMMAR.exec(text.trim());
  const whole = match?.[2] ?? "";
  const fraction = match?.[3] ?? "";
  if (!match || whole + fraction === "") throw new QuantityError(text);
  const sign = match[1] === "-" ? -1n : 1n;
  const digits = BigInt(whole + fraction) * sign;
  const suffix = match[4] ?? "";
  const binary = BINARY_SUFFIXES.indexOf(suffix as (typeof BINARY_SUFFIXES)[number]);
  if (suffix !== "" && binary > 0) {
    const milli = divideUp(digits * pow(1024n, binary) * 1000n, pow(10n, fraction.length));
    return { milli, format: "BinarySI" };
  }
  const exponent = match[5] !== undefined ? Number(match[5]) : DECIMAL_SUFFIXES[suffix]!;
  // value = digits × 10^(exponent - fraction digits); milli = value × 10^3.
  const shift = exponent + 3 - fraction.length;
  const milli = shift >= 0 ? digits * pow(10n, shift) : divideUp(digits, pow(10n, -shift));
  return { milli, format: match[5] !== undefined ? "DecimalExponent" : "DecimalSI" };
}

/** A quantity of `milli` thousandths (millicores, or bytes × 1000). */
export function milliQuantity(milli: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
  return { milli: BigInt(milli), format };
}

/** The sum, in the first operand's format (resource.Quantity.Add). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.format };
}

/** Quantity.String(): the canonical text, e.g. 1500m, 2, 1k, 384Mi, 1536 (not a whole KiB). */
export function formatQuantity(q: Quantity): string {
  if (q.milli === 0n) return "0";
  const negative = q.milli < 0n;
  const magnitude = negative ? -q.milli : q.milli;
  const text =
    q.format === "BinarySI" && magnitude >= 1024n * 1000n && magnitude % 1000n === 0n
      ? binaryText(magnitude / 1000n)
      : decimalText(magnitude, q.format === "DecimalExponent");
  return negative ? `-${text}` : text;
}

function binaryText(value: bigint): string {
  let power = 0;
  while (power < BINARY_SUFFIXES.length - 1 && value % pow(1024n, power + 1) === 0n) power++;
  return `${value / pow(1024n, power)}${BINARY_SUFFIXES[power]}`;
}

/** The largest exponent (a multiple of 3) that keeps the mantissa whole. */
function decimalText(milli: bigint, exponentForm: boolean): string {
  let exponent = -3;
  while (exponent < 18 && milli % pow(10n, exponent + 6) === 0n) exponent += 3;
  const mantissa = milli / pow(10n, exponent + 3);
  if (exponentForm) return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent)!}`;
}

/** The canonical text of a quantity written by hand ("0.5" -> "500m", "1024Mi" -> "1Gi"). */
export function canonicalQuantity(text: string): string {
  return formatQuantity(parseQuantity(text));
}
