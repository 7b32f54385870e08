// Amounts are integers of the village's smallest unit (10^-decimals of the unit), held as bigint.
// Never a float: text is parsed digit by digit.

/** Largest magnitude an amount or balance may have: what a JS number carries exactly on the wire. */
export const MAX_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);

/** "1.5" with 5 decimals -> 150000n. Throws on anything that is not a plain decimal number. */
export function parseAmount(text: string, decimals: number): bigint {
  const match = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new RangeError(`"${text}" is not an amount`);
  }
  const [, sign, whole = "", fraction = ""] = match;
  if (fraction.length > decimals) {
    throw new RangeError(`"${text}" has more than ${decimals} decimal places`);
  }
  const units = BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  const signed = sign === "-" ? -units : units;
  if (signed > MAX_AMOUNT || signed < -MAX_AMOUNT) throw new RangeError(`"${text}" is too large`);
  return signed;
}

/** 150000n with 5 decimals -> "1.5"; trailing zeros dropped, at least `minDecimals` kept. */
export function formatAmount(units: bigint, decimals: number, minDecimals = 0): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = (magnitude / scale).toString();
  let fraction = (magnitude % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  fraction = fraction.padEnd(Math.min(minDecimals, decimals), "0");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** bigint -> the integer the zome reads as i64. Refuses what a JS number cannot carry exactly. */
export function toWire(units: bigint): number {
  if (units > MAX_AMOUNT || units < -MAX_AMOUNT) throw new RangeError(`amount ${units} is out of range`);
  return Number(units);
}

/** An i64 from the zome (number, or bigint if the decoder made one) -> bigint. */
export function fromWire(value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an exact integer amount`);
  return BigInt(value);
}
