import { describe, expect, it } from "vitest";
import { MAX_AMOUNT, formatAmount, fromWire, parseAmount, toWire } from "../../client/src/amounts.js";

describe("amounts are exact integers of the smallest unit", () => {
  it("parses decimal text without floating point", () => {
    expect(parseAmount("1.5", 5)).toBe(150_000n);
    expect(parseAmount("0.00001", 5)).toBe(1n);
    expect(parseAmount("-2", 5)).toBe(-200_000n);
    expect(parseAmount(".5", 5)).toBe(50_000n);
    expect(parseAmount("0.1", 5) + parseAmount("0.2", 5)).toBe(parseAmount("0.3", 5));
  });

  it("refuses text that is not an amount or has too many decimals", () => {
    for (const bad of ["", "abc", "1.2.3", "1e5", "0.000001", "1,5", " - 1"]) {
      expect(() => parseAmount(bad, 5), bad).toThrow(RangeError);
    }
    expect(() => parseAmount("90071992547.40992", 5)).toThrow(/too large/);
  });

  it("formats without losing a unit", () => {
    expect(formatAmount(150_000n, 5)).toBe("1.5");
    expect(formatAmount(-50_000n, 5)).toBe("-0.5");
    expect(formatAmount(1n, 5)).toBe("0.00001");
    expect(formatAmount(200_000n, 5, 2)).toBe("2.00");
    expect(formatAmount(MAX_AMOUNT, 5)).toBe("90071992547.40991");
  });

  it("crosses the wire as exact integers and refuses what a JS number would round", () => {
    expect(toWire(MAX_AMOUNT)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toWire(MAX_AMOUNT + 1n)).toThrow(RangeError);
    expect(fromWire(42)).toBe(42n);
    expect(() => fromWire(0.5)).toThrow(RangeError);
    expect(() => fromWire(2 ** 60)).toThrow(RangeError);
  });
});
