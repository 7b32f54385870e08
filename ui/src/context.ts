// What every element of the page shares, provided once by <cc-app>: the typed client, the
// village's settings, who its members are and which of them is using the page.
import { createContext } from "@lit/context";
import { sameBytes, type Member, type Village } from "../../client/src/page.js";
import type { NodeClient } from "./node-client.js";
import type { PageLedger } from "./node-wire.js";

export interface LedgerSession {
  /** The member's node: it runs and signs every call. */
  node: NodeClient;
  ledger: PageLedger;
  village: Village;
  members: Member[];
  me: Member;
}

export const ledgerSessionContext = createContext<LedgerSession>(Symbol("ledger-session"));

/** Fired (bubbling out of shadow roots) after a payment is recorded, so every view re-reads at once. */
export const PAYMENT_MADE_EVENT = "payment-made";
/** Fired by the connection status when what it knows changes; `detail` is the new `ConnectionState`. */
export const CONNECTION_EVENT = "cc-connection";

/** The members this one can pay, by name: not itself, and not the treasury or the cash boundary
 * (they take no trades: they have their own kinds of payment). */
export function tradingPartners({ members, me, village }: LedgerSession): Member[] {
  const institutions = [village.treasury, village.boundary].filter((key): key is Uint8Array => key !== null);
  return members
    .filter((m) => !sameBytes(m.agent, me.agent) && !institutions.some((key) => sameBytes(key, m.agent)))
    .sort((a, b) => a.name.localeCompare(b.name));
}
