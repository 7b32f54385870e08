// <cc-app>: opens the session for the member named in `?member=`, provides it to every element,
// and tells the views to re-read after each payment and on a steady tick (peers' payments to me
// arrive through the DHT, which no event announces). The page's node makes every call; while the
// page is offline it asks the node how its conductor is doing (a node restarting a conductor that
// died says so), and a device that is not paired with the member's node is told how to pair.
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { provide } from "@lit/context";
import type { ConnectionState } from "../../client/src/page.js";
import { CONNECTION_EVENT, PAYMENT_MADE_EVENT, ledgerSessionContext, type LedgerSession } from "./context.js";
import { NotPaired } from "./node-client.js";
import { openSession } from "./session.js";
import "./components/balance-card.js";
import "./components/connection-status.js";
import "./components/devices.js";
import "./components/pay-form.js";
import "./components/payment-history.js";
import "./components/village-ledger.js";
import "./components/vouchers.js";

const REFRESH_PERIOD_MS = 5_000;
/** How often an offline page asks its node how its conductor is doing (a cheap local call). */
const FOLLOW_NODE_PERIOD_MS = 2_000;

@customElement("cc-app")
export class AppShell extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 28rem;
      margin: 0 auto;
      padding: 16px 16px 40px;
    }
    header {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 12px;
      margin: 4px 4px 12px;
    }
    h1 {
      font-size: 1.3rem;
      margin: 0;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .me {
      display: grid;
      justify-items: end;
      gap: 2px;
      text-align: right;
    }
    nav {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin: 0 0 16px;
    }
    nav a {
      padding: 6px 12px;
      border-radius: 999px;
      font-size: 0.85rem;
      text-decoration: none;
      color: var(--cc-text);
      background: var(--cc-surface);
      box-shadow: var(--cc-shadow);
    }
    nav a[aria-current="page"] {
      color: #fff;
      background: var(--cc-accent);
    }
    main {
      display: grid;
      /* One column as wide as the screen: a long unbreakable line (a memo, a date) is cut off
         inside its card instead of widening every card past a phone's edge. */
      grid-template-columns: minmax(0, 1fr);
      gap: 16px;
    }
    .notice {
      padding: 20px;
      border-radius: var(--cc-radius);
      background: var(--cc-surface);
      box-shadow: var(--cc-shadow);
    }
    .notice[role="alert"] {
      color: var(--cc-debit);
    }
  `;

  @provide({ context: ledgerSessionContext })
  @state()
  private session?: LedgerSession;

  @state() private memberNames: string[] = [];
  @state() private failure?: string;
  /** This browser is not paired with the member's node. */
  @state() private notPaired = false;
  /** The node pairs devices (a member's own node): the page lists them. */
  @state() private pairing = false;
  /** Bumped to make every view re-read the ledger. */
  @state() private revision = 0;
  /** What the connection status last found (undefined until its first check). */
  @state() private connection?: ConnectionState;
  /** What the node says of its conductor when it is not running (restarting, or given up). */
  @state() private nodeNotice?: string;
  private followTimer?: ReturnType<typeof setInterval>;

  private readonly requestedMember = new URLSearchParams(location.search).get("member");
  private refreshTimer?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.refreshTimer = setInterval(() => this.refresh(), REFRESH_PERIOD_MS);
    this.addEventListener(PAYMENT_MADE_EVENT, this.refresh);
    this.addEventListener(CONNECTION_EVENT, this.connectionChanged);
  }

  override disconnectedCallback(): void {
    clearInterval(this.refreshTimer);
    clearInterval(this.followTimer);
    this.removeEventListener(PAYMENT_MADE_EVENT, this.refresh);
    this.removeEventListener(CONNECTION_EVENT, this.connectionChanged);
    super.disconnectedCallback();
  }

  protected override async firstUpdated(): Promise<void> {
    try {
      const opened = await openSession(this.requestedMember);
      this.memberNames = opened.memberNames;
      this.pairing = opened.pairing;
      this.session = opened.session;
      document.title = `${opened.session.me.name} · ${opened.session.village.village_name}`;
    } catch (error) {
      if (error instanceof NotPaired) this.notPaired = true;
      else this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private readonly connectionChanged = (event: Event): void => {
    this.connection = (event as CustomEvent<ConnectionState>).detail;
    if (this.connection === "offline") {
      this.followTimer ??= setInterval(() => void this.followNode(), FOLLOW_NODE_PERIOD_MS);
      void this.followNode();
    } else {
      clearInterval(this.followTimer);
      this.followTimer = undefined;
      this.nodeNotice = undefined;
    }
  };

  /** Asks the node how its conductor is doing; a device revoked meanwhile learns it here. */
  private async followNode(): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const status = await session.node.status();
      this.nodeNotice = status.state === "running" ? undefined : status.message;
    } catch (error) {
      if (error instanceof NotPaired) {
        this.session = undefined;
        this.notPaired = true;
      } else this.nodeNotice = "This page's node does not answer: is it still running on this machine?";
    }
  }

  private readonly refresh = (): void => {
    if (!this.session) return;
    this.revision += 1;
    void this.refreshMembers(this.session);
  };

  /** Members who join later appear in the payee list without a reload. */
  private async refreshMembers(session: LedgerSession): Promise<void> {
    const members = await session.ledger.members().catch(() => session.members);
    if (members.length !== session.members.length) this.session = { ...session, members };
  }

  protected override render() {
    const current = this.session?.me.name ?? this.requestedMember ?? this.memberNames[0];
    return html`
      <header>
        <h1>${this.session?.village.village_name ?? "Commons credit"}</h1>
        ${this.session ? html`<span class="me">${this.session.me.name} <cc-connection-status></cc-connection-status></span>` : ""}
      </header>
      ${
        this.memberNames.length > 1
          ? html`<nav aria-label="Switch member">
            ${this.memberNames.map(
              (name) => html`<a href="?member=${encodeURIComponent(name)}" aria-current=${name === current ? "page" : "false"}>${name}</a>`,
            )}
          </nav>`
          : ""
      }
      ${
        this.notPaired
          ? html`<p class="notice" role="alert" data-testid="not-paired">
              This device is not paired with this member's node, so it can see and do nothing here. On the member's own machine,
              open the pairing link their node printed when it started; for a phone, choose <b>Pair a phone</b> on a page already
              paired and scan its code.
            </p>`
          : this.failure
            ? html`<p class="notice" role="alert">Could not open the village: ${this.failure}</p>`
            : this.session
              ? html`${this.nodeNotice ? html`<p class="notice" role="status" data-testid="node-notice">${this.nodeNotice}</p>` : ""}<main>
              <cc-balance-card .revision=${this.revision}></cc-balance-card>
              <cc-pay-form .connection=${this.connection}></cc-pay-form>
              <cc-vouchers .connection=${this.connection}></cc-vouchers>
              <cc-payment-history .revision=${this.revision}></cc-payment-history>
              <cc-village-ledger .revision=${this.revision}></cc-village-ledger>
              ${this.pairing ? html`<cc-devices></cc-devices>` : ""}
            </main>`
              : html`<p class="notice">Connecting to the village${current ? ` as ${current}` : ""}…</p>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-app": AppShell;
  }
}
