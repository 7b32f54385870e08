// A machine's node settles, every few seconds, any payment session that a crash or a cut left
// locking one of its agents' chains: a payee or a witness whose payer vanished mid-session would
// otherwise stay locked (Holochain cannot decide alone whether the others wrote it). The rule is
// LedgerClient.settleInterruptedSession's: after the window, abandon only when no other signer
// holds the payment.
import type { LedgerClient, SessionSettlement } from "../../client/src/index.js";

export const SETTLE_PERIOD_MS = 3_000;

export interface SessionKeeper {
  stop(): void;
}

export function keepSessionsSettled(agents: { name: string; ledger: LedgerClient }[], periodMs = SETTLE_PERIOD_MS): SessionKeeper {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (const { name, ledger } of agents) {
        const settled: SessionSettlement | undefined = await ledger.settleInterruptedSession().catch(() => undefined);
        if (settled && settled.state !== "none" && settled.state !== "open") console.log(`[sessions] ${name}: ${settled.state} (${settled.detail})`);
      }
    } finally {
      running = false;
    }
  }, periodMs);
  return { stop: () => clearInterval(timer) };
}
