// My balance, big, with how far the credit limits let me go.
import { css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { formatAmount } from "../../../client/src/index.js";
import type { LedgerSession } from "../context.js";
import { LedgerView } from "../ledger-view.js";
import { cardStyles } from "../styles.js";

@customElement("cc-balance-card")
export class BalanceCard extends LedgerView<bigint> {
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
      .amount {
        margin: 0;
        font-size: 3rem;
        font-weight: 700;
        letter-spacing: -0.02em;
        font-variant-numeric: tabular-nums;
      }
      .unit {
        font-size: 1.5rem;
        font-weight: 500;
        opacity: 0.85;
      }
      .limits {
        margin: 8px 0 0;
        font-size: 0.9rem;
      }
    `,
  ];

  protected override read(session: LedgerSession) {
    return session.ledger.myBalance();
  }

  protected override render() {
    if (!this.session) return null;
    const { village } = this.session;
    const format = (units: bigint) => formatAmount(units, village.decimals);
    const balance = this.data.value;
    return html`
      <section class="card" aria-label="Your balance">
        <h2>${this.session.me.name}'s balance</h2>
        <p class="amount">
          <span data-testid="balance">${balance === undefined ? "…" : format(balance)}</span>
          <span class="unit">${village.unit}</span>
        </p>
        <p class="limits">
          ${balance === undefined
            ? html`You can spend down to ${format(village.default_floor)} ${village.unit}.`
            : html`You can spend ${format(balance - village.default_floor)} ${village.unit} more, down to
                ${format(village.default_floor)} ${village.unit}.`}
          Your balance can rise to ${format(village.default_ceiling)} ${village.unit}.
        </p>
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
