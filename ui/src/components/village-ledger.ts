// Every account and commons fund as this conductor reads them from the DHT, and their total.
import { css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { formatAmount, sameBytes, type VillageLedger as LedgerTotals } from "../../../client/src/page.js";
import type { LedgerSession } from "../context.js";
import { LedgerView } from "../ledger-view.js";
import { avatarStyles, cardStyles, initial, listStyles } from "../styles.js";

@customElement("cc-village-ledger")
export class VillageLedger extends LedgerView<LedgerTotals> {
  static override styles = [
    cardStyles,
    avatarStyles,
    listStyles,
    css`
      li {
        padding: 10px 0;
      }
      .avatar {
        width: 32px;
        height: 32px;
        font-size: 0.85rem;
      }
      .name {
        flex: 1;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .you {
        color: var(--cc-muted);
        font-size: 0.8rem;
      }
      .balance {
        flex: none;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .total {
        display: flex;
        justify-content: space-between;
        border-top: 1px solid var(--cc-border);
        padding-top: 12px;
        margin: 4px 0 0;
        font-weight: 700;
      }
      .why {
        margin: 6px 0 0;
        font-size: 0.8rem;
        color: var(--cc-muted);
      }
    `,
  ];

  protected override read(session: LedgerSession) {
    return session.ledger.villageLedger();
  }

  protected override render() {
    if (!this.session) return null;
    const { village, me } = this.session;
    const format = (units: bigint) => `${formatAmount(units, village.decimals)} ${village.unit}`;
    const view = this.data.value;
    const lines = [...(view?.lines ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    const roleNote = { member: "", treasury: "commons treasury", boundary: "cash boundary" } as const;
    return html`
      <section class="card">
        <h2>${village.village_name} ledger</h2>
        <ul>
          ${lines.map(
            (line) => html`
              <li>
                <span class="avatar" aria-hidden="true">${initial(line.name)}</span>
                <span class="name">${line.name} ${sameBytes(line.agent, me.agent) ? html`<span class="you">(you)</span>` : ""}
                  ${roleNote[line.role] ? html`<span class="you">${roleNote[line.role]}</span>` : ""}
                  ${line.care > 0n ? html`<span class="you">${format(line.care)} care</span>` : ""}
                  ${line.closed ? html`<span class="you">closed</span>` : ""}</span>
                <span class="balance ${line.balance < 0n ? "out" : line.balance > 0n ? "in" : ""}">${format(line.balance)}</span>
              </li>
            `,
          )}
        </ul>
        <h3>Commons funds, held by the treasury</h3>
        <ul data-testid="commons-funds">
          ${(view?.funds ?? []).map(
            (fund) => html`
              <li>
                <span class="name">${fund.name} fund</span>
                <span class="balance" data-testid="fund-${fund.name}">${format(fund.balance)}</span>
              </li>
            `,
          )}
        </ul>
        <p class="total">
          <span>Total</span>
          <span><span data-testid="ledger-total">${view ? formatAmount(view.total, village.decimals) : "…"}</span> ${village.unit}</span>
        </p>
        ${
          view?.forks.length
            ? html`<h3>Forked accounts</h3>
              <ul data-testid="forked-accounts">
                ${view.forks.map(
                  (fork) => html`
                    <li>
                      <span class="name">${fork.name}
                        <span class="you">spent from ${fork.branches} histories${fork.warranted ? ", warranted by peers" : ""}; witnesses refuse them</span></span>
                      <span class="balance out" data-testid="fork-owes">owes ${format(fork.owes)}</span>
                    </li>
                  `,
                )}
              </ul>`
            : ""
        }
        <p class="why">
          Every payment is one account's debit and another's credit plus the levies into the commons funds, so
          accounts and funds together total zero${view?.forks.length ? ", except for what forked accounts owe" : ""}.
        </p>
        ${
          !view && !this.data.failure
            ? html`<p class="stale" data-testid="ledger-reading">Reading every member's account from the village's network; with no network it waits until other machines answer.</p>`
            : ""
        }
        ${this.data.failure ? html`<p class="stale">Could not refresh: ${this.data.failure.message}</p>` : ""}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-village-ledger": VillageLedger;
  }
}
