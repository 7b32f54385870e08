// <cc-app>: opens the session for the member named in `?member=`, provides it to every element,
// and tells the views to re-read after each payment and on a steady tick (peers' payments to me
// arrive through the DHT, which no event announces). While the page is offline it also follows
// its node: a member's node that restarted its conductor publishes a new session (another app
// port, token and signing grant), which the page opens by itself, and says meanwhile what is
// happening.
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { provide } from "@lit/context";
import type { ConnectionState } from "../../client/src/index.js";
import { CONNECTION_EVENT, PAYMENT_MADE_EVENT, ledgerSessionContext, type LedgerSession } from "./context.js";
import { fetchSessionFile, openSession } from "./session.js";
import type { SessionFileJson } from "./session-file.js";
import "./components/balance-card.js";
import "./components/connection-status.js";
import "./components/pay-form.js";
import "./components/payment-history.js";
import "./components/village-ledger.js";
import "./components/vouchers.js";

const REFRESH_PERIOD_MS = 5_000;
/** How often an offline page reads its session file again (a cheap read from its own server). */
const FOLLOW_NODE_PERIOD_MS = 2_000;

/** Which conductor interface and token a session file gives the member: a new one after a restart. */
function connectionOf(file: SessionFileJson, memberName: string | null): string | undefined {
  const member = memberName === null ? file.members[0] : file.members.find((m) => m.name === memberName);
  return member && `${member.appPort}:${member.token.join(",")}`;
}

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
  /** Bumped to make every view re-read the ledger. */
  @state() private revision = 0;
  /** What the connection status last found (undefined until its first check). */
  @state() private connection?: ConnectionState;
  /** What the node says of its conductor when it is not running (restarting, or given up). */
  @state() private nodeNotice?: string;
  /** The session file's connection the open session uses (`connectionOf`). */
  private openedConnection?: string;
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
      const file = await fetchSessionFile();
      this.memberNames = file.members.map((m) => m.name);
      const opened = await openSession(file, this.requestedMember);
      this.session = opened.session;
      this.openedConnection = connectionOf(file, this.requestedMember);
      document.title = `${opened.session.me.name} · ${opened.session.village.village_name}`;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
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

  /** Reads what the node last published: its conductor's state, and a new session after a restart. */
  private async followNode(): Promise<void> {
    const file = await fetchSessionFile().catch(() => undefined);
    if (!file) {
      this.nodeNotice = "This page's node does not answer: is it still running on this machine?";
      return;
    }
    this.nodeNotice = file.node && file.node.state !== "running" ? file.node.message : undefined;
    const now = connectionOf(file, this.requestedMember);
    if (now === undefined || now === this.openedConnection) return;
    this.openedConnection = now;
    try {
      this.session = (await openSession(file, this.requestedMember)).session;
    } catch {
      this.openedConnection = undefined; // tried again at the next read
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
        this.failure
          ? html`<p class="notice" role="alert">Could not open the village: ${this.failure}</p>`
          : this.session
            ? html`${this.nodeNotice ? html`<p class="notice" role="status" data-testid="node-notice">${this.nodeNotice}</p>` : ""}<main>
              <cc-balance-card .revision=${this.revision}></cc-balance-card>
              <cc-pay-form .connection=${this.connection}></cc-pay-form>
              <cc-vouchers></cc-vouchers>
              <cc-payment-history .revision=${this.revision}></cc-payment-history>
              <cc-village-ledger .revision=${this.revision}></cc-village-ledger>
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
