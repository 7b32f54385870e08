// <cc-connection-status>: whether this member can pay right now. Online when a majority of the
// village's witnesses answer (a payment needs that quorum), syncing while the conductor still
// fetches others' data, offline when too few do (payments wait; vouchers need no network, and
// reading the ledger this conductor holds still works).
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { consume } from "@lit/context";
import type { ConnectionState } from "../../../client/src/page.js";
import { CONNECTION_EVENT, ledgerSessionContext, type LedgerSession } from "../context.js";

const CHECK_PERIOD_MS = 5_000;

const LABELS: Record<ConnectionState, string> = {
  online: "Online",
  syncing: "Syncing",
  offline: "Offline",
};

const EXPLANATIONS: Record<ConnectionState, string> = {
  online: "A majority of the village's witnesses answer: you can pay and be paid.",
  syncing: "Connected; still fetching the village's latest payments.",
  offline:
    "Too few of the village's witnesses answer: payments wait until a majority does, and a voucher needs no network. Your balance is what this device last saw.",
};

@customElement("cc-connection-status")
export class ConnectionStatus extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 0.8rem;
      color: var(--cc-muted);
      white-space: nowrap;
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--cc-border);
    }
    [data-state="online"] .dot {
      background: var(--cc-credit);
    }
    [data-state="syncing"] .dot {
      background: #d97706;
    }
    [data-state="offline"] .dot {
      background: var(--cc-debit);
    }
  `;

  @consume({ context: ledgerSessionContext, subscribe: true })
  @state()
  private session?: LedgerSession;

  @state() private current?: ConnectionState;
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopped = false;
    this.timer = setTimeout(() => this.check(), 0);
  }

  override disconnectedCallback(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  /** One check at a time: a ping to an unreachable witness takes up to the network timeout. */
  private async check(): Promise<void> {
    if (this.session) {
      const now = await this.session.ledger.connection(this.session.village.witnesses).catch(() => "offline" as const);
      if (now !== this.current) this.dispatchEvent(new CustomEvent(CONNECTION_EVENT, { detail: now, bubbles: true, composed: true }));
      this.current = now;
    }
    if (!this.stopped) this.timer = setTimeout(() => this.check(), CHECK_PERIOD_MS);
  }

  protected override render() {
    const state = this.current;
    return html`<span role="status" data-testid="connection-status" data-state=${state ?? "checking"} title=${state ? EXPLANATIONS[state] : "Checking…"}>
      <span class="dot" aria-hidden="true"></span>
      ${state ? LABELS[state] : "Checking…"}
    </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-connection-status": ConnectionStatus;
  }
}
