/** Quantities parse exactly and print in the canonical form a real API server writes back. */
import { describe, expect, it } from "vitest";
import {
  addQuantities,
  canonicalQuantity,
  formatQuantity,
  milliQuantity,
  parseQuantity,
  QuantityError,
} from "../../sim/quantity.js";

describe("quantities", () => {
  it("parses decimal, binary and exponent forms to exact thousandths", () => {
    expect(parseQuantity("250m")).toEqual({ milli: 250n, format: "DecimalSI" });
    expect(parseQuantity("2")).toEqual({ milli: 2000n, format: "DecimalSI" });
    expect(parseQuantity("0.5")).toEqual({ milli: 500n, format: "DecimalSI" });
    expect(parseQuantity("1.5Gi")).toEqual({ milli: 1610612736000n, format: "BinarySI" });
    expect(parseQuantity("1e3")).toEqual({ milli: 1000000n, format: "DecimalExponent" });
    expect(parseQuantity("1n").milli).toBe(1n);
    expect(() => parseQuantity("12 cores")).toThrow(QuantityError);
    expect(() => parseQuantity("")).toThrow(QuantityError);
  });

  it("prints canonical text as resource.Quantity.String does", () => {
    expect(canonicalQuantity("1500m")).toBe("1500m");
    expect(canonicalQuantity("2000m")).toBe("2");
    expect(canonicalQuantity("0.5")).toBe("500m");
    expect(canonicalQuantity("1000")).toBe("1k");
    expect(canonicalQuantity("1024Mi")).toBe("1Gi");
    expect(canonicalQuantity("1536Mi")).toBe("1536Mi");
    expect(canonicalQuantity("1.5Ki")).toBe("1536");
    expect(canonicalQuantity("512Ki")).toBe("512Ki");
    expect(canonicalQuantity("0")).toBe("0");
    expect(canonicalQuantity("-250m")).toBe("-250m");
    expect(formatQuantity(milliQuantity(0, "BinarySI"))).toBe("0");
  });

  it("adds in the first operand's format", () => {
    const memory = ["128Mi", "256Mi", "1Gi"].map(parseQuantity).reduce(addQuantities);
    expect(formatQuantity(memory)).toBe("1408Mi");
    const cpu = ["100m", "400m", "1500m"].map(parseQuantity).reduce(addQuantities);
    expect(formatQuantity(cpu)).toBe("2");
  });
});
