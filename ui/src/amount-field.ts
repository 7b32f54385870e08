// Reading an amount a member typed: exact units (never a float), or the sentence saying what is wrong.
import { REFUSAL_SENTENCES, parseAmount, type Village } from "../../client/src/index.js";

/** The amount in units, or the problem to show next to the field. `verb` says what the amount is for. */
export function readAmount(text: string, village: Village, verb: string): bigint | string {
  if (text.trim() === "") return `Enter an amount to ${verb}.`;
  let amount: bigint;
  try {
    amount = parseAmount(text, village.decimals);
  } catch (error) {
    const reason = error instanceof RangeError ? error.message : String(error);
    return `${reason}. Enter a number of ${village.unit}, like 1.5.`;
  }
  if (amount <= 0n) return REFUSAL_SENTENCES.invalid_amount!;
  return amount;
}
