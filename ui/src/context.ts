// What every element of the page shares, provided once by <cc-app>: the typed client, the
// village's settings, who its members are and which of them is using the page.
import { createContext } from "@lit/context";
import type { LedgerClient, Member, Village } from "../../client/src/index.js";

export interface LedgerSession {
  ledger: LedgerClient;
  village: Village;
  members: Member[];
  me: Member;
}

export const ledgerSessionContext = createContext<LedgerSession>(Symbol("ledger-session"));

/** Fired (bubbling out of shadow roots) after a payment is recorded, so every view re-reads at once. */
export const PAYMENT_MADE_EVENT = "payment-made";
