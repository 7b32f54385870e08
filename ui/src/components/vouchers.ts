// Vouchers: paying with no network at all. The payer writes one here (it needs only this
// machine's own conductor) and shows its code and QR; the payee pastes the code, this page checks
// the payer's signature on the spot (no network needed), and redeems it once it can reach a witness.
// A voucher that expired unredeemed is listed for its payer to take back.
import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { unsafeSVG } from "lit/directives/unsafe-svg.js";
import { consume } from "@lit/context";
import { renderSVG } from "uqr";
import {
  MAX_MEMO_CHARS,
  explain,
  checkVoucherCode,
  voucherCodeOf,
  voucherQrText,
  formatAmount,
  sameBytes,
  toLedgerError,
  type CheckedVoucher,
  type ConnectionState,
  type LedgerError,
  type WrittenVoucher,
} from "../../../client/src/page.js";
import { readPaymentFields } from "../payment-fields.js";
import { payeeOptions } from "../payee-options.js";
import { PAYMENT_MADE_EVENT, ledgerSessionContext, tradingPartners, type LedgerSession } from "../context.js";
import { cardStyles, formStyles } from "../styles.js";

/** How long a voucher written here stays redeemable. */
const VALID_FOR_SECS = 7 * 24 * 3600;

@customElement("cc-vouchers")
export class Vouchers extends LitElement {
  static override styles = [
    cardStyles,
    formStyles,
    css`
      textarea {
        font: inherit;
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
        min-height: 84px;
        padding: 10px 12px;
        border: 1px solid var(--cc-border);
        border-radius: 12px;
        overflow-wrap: anywhere;
        resize: vertical;
      }
      /* As wide as the card: the larger each module, the better another phone's camera reads it. */
      .qr {
        width: 100%;
        max-width: 360px;
        margin: 0 auto;
      }
      .qr svg {
        display: block;
        width: 100%;
        height: auto;
      }
      .hint {
        margin: 0;
        font-size: 0.85rem;
        color: var(--cc-muted);
      }
    `,
  ];

  @consume({ context: ledgerSessionContext, subscribe: true })
  @state()
  private session?: LedgerSession;

  @state() private writing = false;
  @state() private amountProblem?: string;
  /** What the connection status last found: offline, a redemption or a take-back cannot be witnessed. */
  @property({ attribute: false }) connection?: ConnectionState;
  @state() private written?: { code: string; qr: string; text: string };
  /** The `ccv1-` code of what was pasted or scanned, once checked. */
  private checkedCode?: string;
  @state() private writeRefusal?: LedgerError;
  @state() private checked?: CheckedVoucher;
  @state() private checkProblem?: string;
  @state() private redeeming = false;
  @state() private redeemedText?: string;
  @state() private redeemRefusal?: LedgerError;
  /** This member's vouchers that expired unredeemed and can be taken back now. */
  @state() private reclaimable: WrittenVoucher[] = [];
  @state() private reclaiming = false;
  @state() private reclaimedText?: string;
  @state() private reclaimRefusal?: LedgerError;

  @query("#write") private writeForm!: HTMLFormElement;
  @query("#redeem-code") private codeField!: HTMLTextAreaElement;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("session")) void this.findReclaimable();
  }

  /** The vouchers this member wrote that are past their expiry and grace, and not taken back. */
  private async findReclaimable(): Promise<void> {
    const ledger = this.session?.ledger;
    if (!ledger) return;
    const written = await ledger.myVouchers().catch(() => []);
    this.reclaimable = written.filter((v) => !v.reclaimed && v.reclaimable_from <= Date.now() * 1000);
  }

  protected override render() {
    if (!this.session) return null;
    const { village } = this.session;
    const payees = tradingPartners(this.session);
    const format = (units: bigint) => `${formatAmount(units, village.decimals)} ${village.unit}`;
    return html`
      <section class="card">
        <h2>Vouchers</h2>
        <form id="write" @submit=${this.write} novalidate>
          <p class="hint">No network? Write a voucher: the amount leaves your account now, and the payee redeems it later.</p>
          <label>
            To
            <select name="payee" data-testid="voucher-payee" ?disabled=${this.writing}>
              ${payeeOptions(payees)}
            </select>
          </label>
          <label>
            Amount
            <span class="amount-field">
              <input name="amount" data-testid="voucher-amount" inputmode="decimal" autocomplete="off" placeholder="0"
                aria-invalid=${this.amountProblem ? "true" : "false"} ?disabled=${this.writing} @input=${() => (this.amountProblem = undefined)} />
              <span class="unit">${village.unit}</span>
            </span>
          </label>
          ${this.amountProblem ? html`<p class="field-error" data-testid="voucher-amount-error">${this.amountProblem}</p>` : ""}
          <label>
            What for (optional)
            <input name="memo" data-testid="voucher-memo" autocomplete="off" maxlength=${MAX_MEMO_CHARS} ?disabled=${this.writing} />
          </label>
          <button type="submit" data-testid="voucher-submit" ?disabled=${this.writing || payees.length === 0}>Write voucher</button>
          ${
            this.written
              ? html`<p class="outcome paid" role="status">${this.written.text}</p>
                <div class="qr" data-testid="voucher-qr">${unsafeSVG(renderSVG(this.written.qr))}</div>
                <textarea readonly data-testid="voucher-code" aria-label="Voucher code">${this.written.code}</textarea>`
              : ""
          }
          ${this.writeRefusal ? this.refusalLine(this.writeRefusal, "voucher-error") : ""}
        </form>
        <h3>Redeem a voucher</h3>
        <form @submit=${this.redeem} novalidate>
          <textarea id="redeem-code" data-testid="redeem-code" aria-label="Voucher code to redeem" placeholder="ccv1-…" @input=${this.check}></textarea>
          ${
            this.checked
              ? html`<p class="outcome progress" data-testid="redeem-check">
                Signed by ${this.nameOf(this.checked.payer)}: ${format(this.checked.credited)} for you${this.checked.memo ? ` (${this.checked.memo})` : ""},
                redeemable until ${new Date(this.checked.expires_at / 1000).toLocaleString()}.
              </p>`
              : ""
          }
          ${this.checkProblem ? html`<p class="field-error" data-testid="redeem-check-error">${this.checkProblem}</p>` : ""}
          ${
            this.connection === "offline" && !this.redeeming
              ? html`<p class="field-error" data-testid="redeem-offline">
                Too few of the village's witnesses answer, so redeeming (and taking back) waits until they do. Checking a code and
                writing a voucher need no network.
              </p>`
              : ""
          }
          <button type="submit" data-testid="redeem-submit" ?disabled=${this.redeeming || !this.checked || this.connection === "offline"}>${this.redeeming ? "Redeeming..." : "Redeem"}</button>
          ${this.redeemedText ? html`<p class="outcome paid" role="status" data-testid="redeem-result">${this.redeemedText}</p>` : ""}
          ${this.redeemRefusal ? this.refusalLine(this.redeemRefusal, "redeem-error") : ""}
        </form>
        ${
          this.reclaimable.length > 0 || this.reclaimedText || this.reclaimRefusal
            ? html`<h3>Expired vouchers</h3>
              <p class="hint">Not redeemed in time: take the credit back.</p>
              ${this.reclaimable.map(
                (v) => html`<p class="outcome progress" data-testid="reclaimable-voucher">
                  ${format(v.voucher.amount)} to ${this.nameOf(v.voucher.payee.agent)}${v.voucher.memo ? ` (${v.voucher.memo})` : ""}
                  <button type="button" data-testid="reclaim-submit" ?disabled=${this.reclaiming || this.connection === "offline"} @click=${() => this.reclaim(v)}>
                    ${this.reclaiming ? "Taking back..." : "Take back"}
                  </button>
                </p>`,
              )}
              ${this.reclaimedText ? html`<p class="outcome paid" role="status" data-testid="reclaim-result">${this.reclaimedText}</p>` : ""}
              ${this.reclaimRefusal ? this.refusalLine(this.reclaimRefusal, "reclaim-error") : ""}`
            : ""
        }
      </section>
    `;
  }

  private refusalLine(refusal: LedgerError, testId: string) {
    return html`<p class="outcome refused" role="alert" data-testid=${testId} data-code=${refusal.code}>
      ${explain(refusal)}
    </p>`;
  }

  private nameOf(agent: Uint8Array): string {
    return this.session?.members.find((m) => sameBytes(m.agent, agent))?.name ?? "someone not in this village";
  }

  private async write(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.writing || !this.session) return;
    const { ledger, village } = this.session;
    this.written = undefined;
    this.writeRefusal = undefined;
    const { amount, payee, memo } = readPaymentFields(this.writeForm, tradingPartners(this.session), village, "put in the voucher");
    this.amountProblem = typeof amount === "string" ? amount : undefined;
    if (typeof amount === "string" || !payee) return;
    this.writing = true;
    try {
      const code = await ledger.issueVoucher(payee.agent, amount, memo, VALID_FOR_SECS);
      this.written = {
        code,
        qr: await voucherQrText(code),
        text: `Voucher for ${formatAmount(amount, village.decimals)} ${village.unit} to ${payee.name}: show them this code.`,
      };
      // Written once: the next voucher starts from an empty amount and memo.
      for (const name of ["amount", "memo"]) {
        const field = this.writeForm.elements.namedItem(name) as HTMLInputElement | null;
        if (field) field.value = "";
      }
      this.dispatchEvent(new CustomEvent(PAYMENT_MADE_EVENT, { bubbles: true, composed: true }));
    } catch (error) {
      this.writeRefusal = toLedgerError(error);
    } finally {
      this.writing = false;
    }
  }

  /** Checks the pasted code as it is typed, with no network: the payer's signature and what it carries. */
  private async check(): Promise<void> {
    const typed = this.codeField.value.trim();
    this.checked = undefined;
    this.checkedCode = undefined;
    this.checkProblem = undefined;
    this.redeemedText = undefined;
    this.redeemRefusal = undefined;
    if (typed === "") return;
    try {
      // A `ccv1-` code as copied, or the text a camera app read from the voucher's QR code.
      const code = await voucherCodeOf(typed);
      const checked = await checkVoucherCode(code);
      if (this.codeField.value.trim() !== typed) return; // typed on meanwhile
      if (this.session && !sameBytes(checked.payee, this.session.me.agent)) {
        this.checkProblem = `This voucher is made out to ${this.nameOf(checked.payee)}, not to you.`;
        return;
      }
      this.checked = checked;
      this.checkedCode = code;
    } catch (error) {
      this.checkProblem = error instanceof Error ? `Not a valid voucher: ${error.message}.` : String(error);
    }
  }

  private async reclaim(written: WrittenVoucher): Promise<void> {
    if (this.reclaiming || !this.session) return;
    const { ledger, village } = this.session;
    this.reclaiming = true;
    this.reclaimedText = undefined;
    this.reclaimRefusal = undefined;
    try {
      const receipt = await ledger.reclaimVoucher(written.voucher_hash);
      const back = receipt.payment.payee.after.balance - receipt.payment.payee.before.balance;
      this.reclaimable = this.reclaimable.filter((v) => v !== written);
      this.reclaimedText = `Taken back: ${formatAmount(back, village.decimals)} ${village.unit} from the voucher to ${this.nameOf(written.voucher.payee.agent)}.`;
      this.dispatchEvent(new CustomEvent(PAYMENT_MADE_EVENT, { bubbles: true, composed: true }));
    } catch (error) {
      this.reclaimRefusal = toLedgerError(error);
    } finally {
      this.reclaiming = false;
      await this.findReclaimable();
    }
  }

  private async redeem(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.redeeming || !this.session || !this.checked || !this.checkedCode) return;
    const { ledger, village } = this.session;
    this.redeeming = true;
    this.redeemRefusal = undefined;
    try {
      await ledger.redeemVoucher(this.checkedCode);
      this.redeemedText = `Redeemed: ${formatAmount(this.checked.credited, village.decimals)} ${village.unit} from ${this.nameOf(this.checked.payer)}.`;
      this.dispatchEvent(new CustomEvent(PAYMENT_MADE_EVENT, { bubbles: true, composed: true }));
    } catch (error) {
      this.redeemRefusal = toLedgerError(error);
    } finally {
      this.redeeming = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-vouchers": Vouchers;
  }
}
