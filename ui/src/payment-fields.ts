// Reading what a member typed into a payment form (pay, write a voucher): the payee, the amount in
// exact units (never a float) or the sentence saying what is wrong with it, and the memo.
import { hashText, REFUSAL_SENTENCES, parseAmount, type Member, type Village } from "../../client/src/page.js";

export interface PaymentFields {
  /** The amount in units, or the problem to show next to the field. */
  amount: bigint | string;
  payee: Member | undefined;
  memo: string;
}

/** The `payee`, `amount` and `memo` fields of `form`; `payees` are the members it offers. */
export function readPaymentFields(form: HTMLFormElement, payees: Member[], village: Village, verb: string): PaymentFields {
  const fields = new FormData(form);
  return {
    amount: readAmount(String(fields.get("amount") ?? ""), village, verb),
    payee: payees.find((m) => hashText(m.agent) === fields.get("payee")),
    memo: String(fields.get("memo") ?? "").trim(),
  };
}

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
  if (amount <= 0n) return REFUSAL_SENTENCES.invalid_amount;
  return amount;
}
