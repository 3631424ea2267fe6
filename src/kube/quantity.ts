/**
 * Kubernetes resource quantities ("3800m", "16Gi", "15.5Gi", "1k", "1e3") as numbers, following
 * the grammar of k8s.io/apimachinery/pkg/api/resource. @kubernetes/client-node's quantityToScalar
 * refuses fractional binary quantities ("15.5Gi"), which nodes do report, hence this parser.
 * Results are floats: memory sums of a whole fleet stay far below 2^53 bytes, so no precision is
 * lost where it matters.
 */
export class QuantityError extends Error {
  override readonly name = "QuantityError";

  constructor(readonly quantity: string) {
    super(`invalid Kubernetes quantity "${quantity}"`);
  }
}

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Decimal suffixes as powers of ten. */
const DECIMAL: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

// sign, number (digits[.digits] | .digits), then a binary/decimal suffix or an exponent.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

export function parseQuantity(quantity: string): number {
  const match = QUANTITY.exec(quantity.trim());
  if (!match) throw new QuantityError(quantity);
  const value = Number(match[1]);
  const suffix = match[2];
  if (suffix !== undefined && suffix in BINARY) return value * BINARY[suffix]!;
  const exponent = match[3] !== undefined ? Number(match[3]) : suffix !== undefined ? DECIMAL[suffix]! : 0;
  // Dividing by 10^3 rather than multiplying by 1e-3 keeps "3800m" exactly 3.8.
  return exponent >= 0 ? value * 10 ** exponent : value / 10 ** -exponent;
}

/**
 * A quantity exactly, in nano units (as apimachinery stores it: a finer amount rounds up to the
 * next nano), for comparing amounts however written: "1.07G" and "1070M" are the same, which
 * floats cannot promise (1.07 x 1e9 is not 1070 x 1e6).
 */
export function quantityInNanos(quantity: string): bigint {
  const match = QUANTITY.exec(quantity.trim());
  if (!match) throw new QuantityError(quantity);
  const [whole = "", fraction = ""] = match[1]!.replace(/^[+-]/, "").split(".");
  const negative = match[1]!.startsWith("-");
  let numerator = BigInt(`${whole || "0"}${fraction}`);
  let denominator = 10n ** BigInt(fraction.length);
  const suffix = match[2];
  if (suffix !== undefined && suffix in BINARY) numerator *= BigInt(BINARY[suffix]!);
  else {
    const exponent = match[3] !== undefined ? Number(match[3]) : suffix !== undefined ? DECIMAL[suffix]! : 0;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  numerator *= 10n ** 9n;
  const nanos = (numerator + denominator - 1n) / denominator;
  return negative ? -nanos : nanos;
}

/** A quantity as a number, or null when it does not parse (shown as null, left out of sums). */
export function quantityOrNull(quantity: string): number | null {
  try {
    return parseQuantity(quantity);
  } catch {
    return null;
  }
}

/** For sums over many nodes: a missing or malformed quantity counts as 0 instead of failing the sum. */
export function quantityOrZero(quantity: string | undefined): number {
  if (quantity === undefined || quantity === "") return 0;
  try {
    return parseQuantity(quantity);
  } catch {
    return 0;
  }
}

/**
 * Float sums of "3800m" + "3800m" give 7.6000000000000005; Kubernetes quantities have no finer
 * unit than the nano, so totals are rounded to it (bytes to whole bytes) before they are shown.
 */
export function roundToNano(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
