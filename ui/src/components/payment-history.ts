// My payments, newest first: with whom, how much in or out, what for, and my balance after each.
// A page at a time: a long-lived account's statement costs what is shown, not its whole history.
import { css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { hashText, formatAmount, sameBytes, type HistoryPage, type PaymentRecord } from "../../../client/src/page.js";
import type { LedgerSession } from "../context.js";
import { LedgerView } from "../ledger-view.js";
import { avatarStyles, cardStyles, initial, listStyles } from "../styles.js";

const DATE_AND_TIME = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const TIME_TODAY = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const MINUTE_MS = 60_000;

/** When a payment was made, as a person reads it: relative within the hour, the time today, else the full date with its time. */
export function whenText(when: Date, now = new Date()): string {
  const ago = now.getTime() - when.getTime();
  if (ago >= 0 && ago < MINUTE_MS) return "just now";
  if (ago >= 0 && ago < 60 * MINUTE_MS) return `${Math.floor(ago / MINUTE_MS)} min ago`;
  if (when.toDateString() === now.toDateString()) return `today, ${TIME_TODAY.format(when)}`;
  return DATE_AND_TIME.format(when);
}

@customElement("cc-payment-history")
export class PaymentHistory extends LedgerView<HistoryPage> {
  /** Payments shown at first, and added by each press of "Show earlier". */
  static readonly PAGE = 20;

  /** How many of the newest payments are shown (kept across refreshes, so none drop out of view). */
  @state() private shown = PaymentHistory.PAGE;

  static override styles = [
    cardStyles,
    avatarStyles,
    listStyles,
    css`
      li {
        padding: 12px 0;
        border-top: 1px solid var(--cc-border);
      }
      li:first-child {
        border-top: none;
      }
      .what {
        flex: 1;
        min-width: 0;
      }
      .name {
        font-weight: 600;
      }
      /* Memos and dates wrap on a phone rather than being cut. */
      .memo,
      time {
        display: block;
        font-size: 0.8rem;
        color: var(--cc-muted);
        overflow-wrap: anywhere;
      }
      /* On a phone the figures take at most half the row and their notes wrap; amounts never break. */
      .figures {
        text-align: right;
        max-width: 50%;
      }
      .after {
        display: block;
        font-size: 0.8rem;
        color: var(--cc-muted);
        overflow-wrap: anywhere;
      }
      .amount {
        display: block;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .empty {
        color: var(--cc-muted);
        margin: 0;
      }
      .earlier {
        width: 100%;
        margin-top: 8px;
        padding: 10px;
        font: inherit;
        font-weight: 600;
        color: var(--cc-accent);
        background: transparent;
        border: 1px solid var(--cc-border);
        border-radius: 12px;
        cursor: pointer;
      }
    `,
  ];

  protected override read(session: LedgerSession) {
    return session.ledger.recentHistory(this.shown);
  }

  private showEarlier() {
    this.shown += PaymentHistory.PAGE;
    void this.data.refresh();
  }

  protected override render() {
    if (!this.session) return null;
    const records = [...(this.data.value?.records ?? [])].sort((a, b) => b.timestamp - a.timestamp);
    return html`
      <section class="card">
        <h2>Activity</h2>
        ${
          this.data.value === undefined
            ? html`<p class="empty">Loading…</p>`
            : records.length === 0
              ? html`<p class="empty">No payments yet.</p>`
              : html`<ul>
                ${repeat(
                  records,
                  (r) => hashText(r.action_hash),
                  (r) => this.renderRecord(r),
                )}
              </ul>`
        }
        ${this.data.value?.more ? html`<button class="earlier" data-testid="history-earlier" @click=${() => this.showEarlier()}>Show earlier</button>` : ""}
        ${this.data.failure ? html`<p class="stale">Could not refresh: ${this.data.failure.message}</p>` : ""}
      </section>
    `;
  }

  private renderRecord(record: PaymentRecord) {
    const { village, me } = this.session!;
    const { payment } = record;
    const received = sameBytes(payment.payee.agent, me.agent);
    const mine = received ? payment.payee : payment.payer;
    const other = received ? payment.payer : payment.payee;
    const name = this.nameOf(other.agent);
    const format = (units: bigint) => `${formatAmount(units, village.decimals)} ${village.unit}`;
    const when = new Date(record.timestamp / 1000); // timestamps are microseconds
    // A payee receives the amount less the levies, which the payer's side routes to the funds (the
    // treasury receives a settled surplus into a fund).
    const commonsChange = (side: typeof mine) => side.after.commons.reduce((sum, c, i) => sum + c - side.before.commons[i]!, 0n);
    const credited = payment.payee.after.balance - payment.payee.before.balance + commonsChange(payment.payee);
    const levies = commonsChange(payment.payer);
    return html`
      <li data-testid="history-item">
        <span class="avatar" aria-hidden="true">${initial(name)}</span>
        <span class="what">
          <span class="name">${this.rowTitle(payment.kind.type, received, name)}</span>
          ${payment.memo ? html`<span class="memo" data-testid="history-memo">${payment.memo}</span>` : ""}
          <time datetime=${when.toISOString()} title=${DATE_AND_TIME.format(when)}>${whenText(when)}</time>
        </span>
        <span class="figures">
          <span class="amount ${received ? "in" : "out"}">${received ? "+" : "-"}${format(received ? credited : payment.amount)}</span>
          ${levies > 0n ? html`<span class="after">${format(levies)} to the commons funds</span>` : ""}
          <span class="after">balance ${format(mine.after.balance)}</span>
        </span>
      </li>
    `;
  }

  /** What the row is: vouchers and their redemptions and take-backs say so. */
  private rowTitle(kind: PaymentRecord["payment"]["kind"]["type"], received: boolean, name: string): string {
    switch (kind) {
      case "Voucher":
        return received ? `Voucher from ${name}` : `Voucher to ${name}`;
      case "Redemption":
        return received ? `Voucher from ${name}, redeemed` : `Voucher to ${name}, redeemed`;
      case "Reclaim":
        return `Voucher to ${name} taken back`;
      default:
        return received ? `From ${name}` : `To ${name}`;
    }
  }

  private nameOf(agent: Uint8Array): string {
    const member = this.session!.members.find((m) => sameBytes(m.agent, agent));
    return member?.name ?? `${hashText(agent).slice(0, 12)}…`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-payment-history": PaymentHistory;
  }
}
