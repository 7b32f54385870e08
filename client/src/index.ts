export * from "./amounts.js";
export * from "./errors.js";
export { ERROR_CODES, isErrorCode, MAX_MEMO_CHARS, MAX_NAME_CHARS, type ErrorCode } from "./error-codes.js";
export * from "./ledger-client.js";
export * from "./retry.js";
export type * from "./types.js";
export * from "./levies.js";
export * from "./demurrage.js";
export * from "./wire.js";
