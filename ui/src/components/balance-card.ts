// My balance, big (demurrage applied), with my care credits and how far my credit limits let me go.
import { css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { formatAmount, type AccountView } from "../../../client/src/page.js";
import type { LedgerSession } from "../context.js";
import { LedgerView } from "../ledger-view.js";
import { cardStyles } from "../styles.js";

@customElement("cc-balance-card")
export class BalanceCard extends LedgerView<AccountView> {
  static override styles = [
    cardStyles,
    css`
      .card {
        color: #fff;
        background: linear-gradient(135deg, var(--cc-accent) 0%, var(--cc-accent-strong) 100%);
      }
      h2,
      .limits,
      .stale {
        color: rgba(255, 255, 255, 0.8);
      }
      /* Shrinks on a narrow screen rather than cutting a long balance. */
      .amount {
        margin: 0;
        font-size: clamp(1.75rem, 11vw, 3rem);
        overflow-wrap: anywhere;
        font-weight: 700;
        letter-spacing: -0.02em;
        font-variant-numeric: tabular-nums;
      }
      .unit {
        font-size: 1.5rem;
        font-weight: 500;
        opacity: 0.85;
      }
      .limits,
      .classes {
        margin: 8px 0 0;
        font-size: 0.9rem;
      }
      .classes {
        color: #fff;
      }
    `,
  ];

  protected override read(session: LedgerSession) {
    return session.ledger.myAccount();
  }

  protected override render() {
    if (!this.session) return null;
    const { village } = this.session;
    const format = (units: bigint) => formatAmount(units, village.decimals);
    const account = this.data.value;
    return html`
      <section class="card" aria-label="Your balance">
        <h2>${this.session.me.name}'s balance</h2>
        <p class="amount">
          <span data-testid="balance">${account === undefined ? "…" : format(account.balance)}</span>
          <span class="unit">${village.unit}</span>
        </p>
        ${
          account === undefined
            ? ""
            : html`
              <p class="classes" data-testid="credit-classes">
                <span data-testid="general-credits">${format(account.balance - account.care)}</span> ${village.unit} general,
                <span data-testid="care-credits">${format(account.care)}</span> ${village.unit} care credits
                (they spend like any credit but are never cashed out).
              </p>
              <p class="limits">
                You can spend ${format(account.balance - account.floor)} ${village.unit} more, down to
                <span data-testid="floor">${format(account.floor)}</span> ${village.unit}. Your balance can rise to
                ${format(account.ceiling)} ${village.unit}.
              </p>
            `
        }
        ${this.data.failure ? html`<p class="stale">Could not refresh: ${this.data.failure.message}</p>` : ""}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-balance-card": BalanceCard;
  }
}
