// Paying another member: who, how much, what for. Bad amounts are caught here and nothing is
// sent; refusals from the ledger are explained with the sentence for their code.
import { LitElement, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { consume } from "@lit/context";
import {
  MAX_MEMO_CHARS,
  explain,
  formatAmount,
  toLedgerError,
  type ConnectionState,
  type LedgerError,
  type Member,
  type PaymentStage,
} from "../../../client/src/page.js";
import { PAYMENT_MADE_EVENT, ledgerSessionContext, tradingPartners, type LedgerSession } from "../context.js";
import { readPaymentFields } from "../payment-fields.js";
import { payeeOptions } from "../payee-options.js";
import { cardStyles, formStyles } from "../styles.js";

/** What the member sees while a countersigning session runs. */
const STAGE_SENTENCES: Record<PaymentStage, string> = {
  signing: "The village's witnesses check both accounts; you and the payee sign…",
  committing: "Signed by the witnesses and both of you. Writing it to both accounts…",
};

@customElement("cc-pay-form")
export class PayForm extends LitElement {
  static override styles = [cardStyles, formStyles];

  @consume({ context: ledgerSessionContext, subscribe: true })
  @state()
  private session?: LedgerSession;

  /** What the connection status last found: offline, a payment cannot be witnessed, so Pay waits. */
  @property({ attribute: false }) connection?: ConnectionState;

  @state() private paying = false;
  @state() private stage?: PaymentStage;
  @state() private amountProblem?: string;
  @state() private refusal?: LedgerError;
  @state() private paidText?: string;

  @query("form") private form!: HTMLFormElement;

  protected override render() {
    if (!this.session) return null;
    const { village } = this.session;
    const payees = this.payees();
    const offline = this.connection === "offline";
    return html`
      <section class="card">
        <h2>Pay someone</h2>
        <form @submit=${this.pay} novalidate>
          <label>
            To
            <select name="payee" data-testid="pay-payee" ?disabled=${this.paying} required>
              ${payeeOptions(payees)}
            </select>
          </label>
          <label>
            Amount
            <span class="amount-field">
              <input
                name="amount"
                data-testid="pay-amount"
                inputmode="decimal"
                autocomplete="off"
                placeholder="0"
                aria-invalid=${this.amountProblem ? "true" : "false"}
                aria-describedby=${this.amountProblem ? "amount-problem" : nothing}
                ?disabled=${this.paying}
                @input=${() => (this.amountProblem = undefined)}
              />
              <span class="unit">${village.unit}</span>
            </span>
          </label>
          ${this.amountProblem ? html`<p class="field-error" id="amount-problem" data-testid="pay-amount-error">${this.amountProblem}</p>` : ""}
          <label>
            What for (optional)
            <input name="memo" data-testid="pay-memo" autocomplete="off" maxlength=${MAX_MEMO_CHARS} ?disabled=${this.paying} />
          </label>
          <button type="submit" data-testid="pay-submit" ?disabled=${this.paying || payees.length === 0 || offline}>${this.paying ? "Paying..." : "Pay"}</button>
          ${payees.length === 0 ? html`<p class="field-error">Nobody else has joined the village yet.</p>` : ""}
          ${
            offline && !this.paying
              ? html`<p class="field-error" data-testid="pay-offline">
                Too few of the village's witnesses answer, so a payment cannot be witnessed now. A voucher needs no network.
              </p>`
              : ""
          }
          ${
            this.paying && this.stage
              ? html`<p class="outcome progress" role="status" data-testid="pay-progress" data-stage=${this.stage}>${STAGE_SENTENCES[this.stage]}</p>`
              : ""
          }
          ${this.paidText ? html`<p class="outcome paid" role="status" data-testid="pay-result">${this.paidText}</p>` : ""}
          ${
            this.refusal
              ? html`<p class="outcome refused" role="alert" data-testid="pay-error" data-code=${this.refusal.code}>
                ${explain(this.refusal)}
              </p>`
              : ""
          }
        </form>
      </section>
    `;
  }

  private payees(): Member[] {
    return tradingPartners(this.session!);
  }

  private async pay(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.paying || !this.session) return;
    const { ledger, village } = this.session;
    this.paidText = undefined;
    this.refusal = undefined;
    const { amount, payee, memo } = readPaymentFields(this.form, this.payees(), village, "pay");
    this.amountProblem = typeof amount === "string" ? amount : undefined;
    if (typeof amount === "string" || !payee) return;
    this.paying = true;
    try {
      await ledger.pay(payee.agent, amount, memo, undefined, (stage) => (this.stage = stage));
      this.paidText = `Paid ${formatAmount(amount, village.decimals)} ${village.unit} to ${payee.name}`;
      this.clearAmountAndMemo();
      this.dispatchEvent(new CustomEvent(PAYMENT_MADE_EVENT, { bubbles: true, composed: true }));
    } catch (error) {
      this.refusal = toLedgerError(error);
    } finally {
      this.paying = false;
      this.stage = undefined;
    }
  }

  private clearAmountAndMemo(): void {
    for (const name of ["amount", "memo"]) (this.form.elements.namedItem(name) as HTMLInputElement).value = "";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-pay-form": PayForm;
  }
}
