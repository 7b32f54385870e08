// A card that shows one read of the ledger: it takes the session from context, and reads again
// whenever the session changes or <cc-app> bumps `revision` (after a payment, on the refresh tick).
import { LitElement } from "lit";
import { property, state } from "lit/decorators.js";
import { consume } from "@lit/context";
import { ledgerSessionContext, type LedgerSession } from "./context.js";
import { LedgerRead } from "./ledger-read.js";

export abstract class LedgerView<T> extends LitElement {
  @consume({ context: ledgerSessionContext, subscribe: true })
  @state()
  protected session?: LedgerSession;

  /** Bumped by <cc-app> whenever the ledger may have changed. */
  @property({ type: Number }) revision = 0;

  protected readonly data = new LedgerRead<T>(this, () => this.read(this.session!));

  /** The one read this view shows. */
  protected abstract read(session: LedgerSession): Promise<T>;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (this.session && (changed.has("session") || changed.has("revision"))) void this.data.refresh();
  }
}
