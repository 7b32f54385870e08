// Amounts cross the wire as exact integers (msgpack ints) and live in TypeScript as bigint. One
// codec for every shape: fields named in AMOUNT_FIELDS (or arrays of them) are amounts; everything
// else (times, counts, basis points, hashes) passes through unchanged.
import { fromWire, toWire } from "./amounts.js";

const AMOUNT_FIELDS = new Set([
  "amount", "balance", "care", "commons", "earned", "fee", "floor", "ceiling", "floor_cap", "cashable", "total",
  "labour", "ecological", "price", "cash_paid", "cash_in", "cash_paid_out", "fees", "cash_held", "credit_outstanding",
  "total_paid", "stewardship_paid",
]);

/** The client's view of a zome value: every amount field becomes a bigint. */
export function amountsFromWire<T>(value: unknown): T {
  return mapAmounts(value, (n) => fromWire(n as number | bigint)) as T;
}

/** The zome's view of a client value: every bigint amount becomes an exact integer. */
export function amountsToWire(value: unknown): unknown {
  return mapAmounts(value, (n) => (typeof n === "bigint" ? toWire(n) : n));
}

function mapAmounts(value: unknown, convert: (n: unknown) => unknown, isAmount = false): unknown {
  if (value === null || value === undefined || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v) => mapAmounts(v, convert, isAmount));
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapAmounts(v, convert, AMOUNT_FIELDS.has(k))]));
  }
  return isAmount && (typeof value === "number" || typeof value === "bigint") ? convert(value) : value;
}
