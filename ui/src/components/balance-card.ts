// My balance, big, with how far the credit limits let me go.
import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { consume } from "@lit/context";
import { formatAmount } from "../../../client/src/index.js";
import { ledgerSessionContext, type LedgerSession } from "../context.js";
import { LedgerRead } from "../ledger-read.js";
import { cardStyles } from "../styles.js";

@customElement("cc-balance-card")
export class BalanceCard extends LitElement {
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

  @consume({ context: ledgerSessionContext, subscribe: true })
  @state()
  private session?: LedgerSession;

  /** Bumped by <cc-app> whenever the ledger may have changed. */
  @property({ type: Number }) revision = 0;

  private readonly balance = new LedgerRead(this, () => this.session!.ledger.myBalance());

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (this.session && (changed.has("session") || changed.has("revision"))) void this.balance.refresh();
  }

  protected override render() {
    if (!this.session) return null;
    const { village } = this.session;
    const format = (units: bigint) => formatAmount(units, village.decimals);
    const balance = this.balance.value;
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
        ${this.balance.failure ? html`<p class="stale">Could not refresh: ${this.balance.failure.message}</p>` : ""}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-balance-card": BalanceCard;
  }
}
