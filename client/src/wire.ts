// Amounts cross the wire as exact integers (msgpack ints) and live in TypeScript as bigint. One
// codec for every shape: reading, fields named in AMOUNT_FIELDS (or arrays of them) are amounts and
// everything else (times, counts, basis points, hashes) passes through unchanged; writing, every
// bigint is an amount.
import { fromWire, toWire } from "./amounts.js";

const AMOUNT_FIELDS = new Set([
  "amount",
  "balance",
  "care",
  "commons",
  "earned",
  "fee",
  "floor",
  "ceiling",
  "floor_cap",
  "cashable",
  "total",
  "labour",
  "ecological",
  "price",
  "cash_paid",
  "cash_in",
  "cash_paid_out",
  "fees",
  "cash_held",
  "credit_outstanding",
  "total_paid",
  "stewardship_paid",
  "owes",
  "fund_held",
]);

/** The client's view of a zome value: every amount field becomes a bigint. */
export function amountsFromWire<T>(value: unknown): T {
  return mapAmounts(value, (n) => fromWire(n as number | bigint), false) as T;
}

/** The zome's view of a client value: every bigint (amounts are the only ones) becomes an exact integer. */
export function amountsToWire(value: unknown): unknown {
  if (typeof value === "bigint") return toWire(value);
  if (value === null || value === undefined || value instanceof Uint8Array || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(amountsToWire);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, amountsToWire(v)]));
}

function mapAmounts(value: unknown, convert: (n: unknown) => unknown, isAmount: boolean): unknown {
  if (value === null || value === undefined || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v) => mapAmounts(v, convert, isAmount));
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapAmounts(v, convert, AMOUNT_FIELDS.has(k))]));
  }
  return isAmount && (typeof value === "number" || typeof value === "bigint") ? convert(value) : value;
}
