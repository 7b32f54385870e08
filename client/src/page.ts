// What the payment page takes from the client: amounts, errors, vouchers and the ledger's types,
// without the conductor client (the page's node makes every call), so the page stays small.
export * from "./amounts.js";
export * from "./bytes.js";
export * from "./errors.js";
export { isErrorCode, type ErrorCode } from "./error-codes.js";
export type * from "./types.js";
export * from "./voucher.js";
export * from "./limits.js";
export type { PaymentStage } from "./ledger-client.js";
