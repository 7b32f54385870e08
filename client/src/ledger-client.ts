// The one typed client of the ledger zome: UI, tests, scripts and benchmarks all go through it.
// Functions mirror the coordinator's by name; amounts are bigint here and exact integers on the wire.
import type { ActionHash, AgentPubKey, AppClient, EntryHash, Signal } from "@holochain/client";
import { fromWire, toWire } from "./amounts.js";
import { LedgerError, toLedgerError, errorText } from "./errors.js";
import { retryWhile } from "./retry.js";
import type { LedgerLine, Member, Payment, PaymentReceipt, PaymentRecord, PartyState, Position, Village, VillageLedger } from "./types.js";

type Wire<T> = T extends bigint ? number : T extends Uint8Array ? T : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

interface PaymentSession {
  payment: Wire<Payment>;
  responses: { request: { app_entry_hash: EntryHash } }[];
}

/** A payment's session window in the zome (PAYMENT_WINDOW_MS) plus a margin for the completion signal. */
const PAYMENT_DEADLINE_MS = 20_000;
const RETRY_PAUSE_MS = 150;

export class LedgerClient {
  constructor(
    readonly client: AppClient,
    readonly roleName = "ledger",
    readonly zomeName = "ledger",
  ) {}

  async call<T>(fnName: string, payload: unknown = null, zomeName = this.zomeName): Promise<T> {
    try {
      return (await this.client.callZome({ role_name: this.roleName, zome_name: zomeName, fn_name: fnName, payload })) as T;
    } catch (error) {
      throw toLedgerError(error);
    }
  }

  whoami(): Promise<AgentPubKey> {
    return this.call("whoami");
  }

  async village(): Promise<Village> {
    const v = await this.call<Wire<Village>>("village");
    return { ...v, default_floor: fromWire(v.default_floor), default_ceiling: fromWire(v.default_ceiling) };
  }

  joinVillage(name: string): Promise<Member> {
    return this.call("join_village", name);
  }

  members(): Promise<Member[]> {
    return this.call("members");
  }

  /** Whether `agent`'s conductor answers a call from this one right now. */
  isReachable(agent: AgentPubKey): Promise<boolean> {
    return this.call("is_reachable", agent);
  }

  async myBalance(): Promise<bigint> {
    return fromWire(await this.call<number>("my_balance"));
  }

  async myPosition(): Promise<Position> {
    const p = await this.call<Wire<Position>>("my_position");
    return { latest_payment: p.latest_payment, balance: fromWire(p.balance) };
  }

  async balanceOf(agent: AgentPubKey): Promise<bigint> {
    return fromWire(await this.call<number>("balance_of", agent));
  }

  async villageLedger(): Promise<VillageLedger> {
    const ledger = await this.call<{ lines: Wire<LedgerLine>[]; total: number }>("village_ledger");
    return {
      lines: ledger.lines.map((l) => ({ ...l, balance: fromWire(l.balance) })),
      total: fromWire(ledger.total),
    };
  }

  async history(): Promise<PaymentRecord[]> {
    const records = await this.call<Wire<PaymentRecord>[]>("history");
    return records.map((r) => ({ ...r, payment: paymentFromWire(r.payment) }));
  }

  /**
   * Pays `amount` units to `payee` and resolves once Holochain reports the countersigned payment
   * complete on this chain. Rejects with a LedgerError whose `code` says why, having written nothing.
   */
  async pay(payee: AgentPubKey, amount: bigint, memo = ""): Promise<PaymentReceipt> {
    const started = performance.now();
    const session = await this.call<PaymentSession>("start_payment", { payee, amount: toWire(amount), memo });
    const entryHash = session.responses[0]!.request.app_entry_hash;
    const deadline = Date.now() + PAYMENT_DEADLINE_MS;
    const outcome = this.sessionOutcome(entryHash, deadline);
    outcome.catch(() => {}); // awaited below; avoids an unhandled rejection while committing
    // Both sides commit at once; each may first wait for the other's latest actions to reach it.
    const [, actionHash] = await Promise.all([
      this.retryWhileDepsMissing(() => this.call<ActionHash>("commit_on_payee", session), deadline),
      this.retryWhileDepsMissing(() => this.call<ActionHash>("complete_payment", session), deadline),
    ]);
    await outcome;
    return { payment: paymentFromWire(session.payment), entry_hash: entryHash, action_hash: actionHash, elapsed_ms: performance.now() - started };
  }

  /** A countersigned commit fails with DepMissingFromDht until the counterparty's actions reach this conductor. */
  private retryWhileDepsMissing<T>(commit: () => Promise<T>, deadline: number): Promise<T> {
    const depsMissing = (error: unknown) =>
      /DepMissingFromDht/.test(error instanceof LedgerError ? (error.detail ?? error.message) : errorText(error));
    return retryWhile(commit, depsMissing, deadline, RETRY_PAUSE_MS);
  }

  /** Resolves on the `successful_countersigning` signal for this entry, rejects on abandonment or timeout. */
  private sessionOutcome(entryHash: EntryHash, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new LedgerError("session_timeout", "the payment did not complete within its window"));
      }, Math.max(0, deadline - Date.now()));
      const unsubscribe = this.client.on("signal", (signal: Signal) => {
        const outcome = countersigningOutcome(signal, entryHash);
        if (!outcome) return;
        clearTimeout(timer);
        unsubscribe();
        if (outcome === "successful_countersigning") resolve();
        else reject(new LedgerError("session_abandoned", "the payment session was abandoned; nothing was recorded"));
      });
    });
  }
}

function countersigningOutcome(signal: Signal, entryHash: EntryHash): string | undefined {
  const s = signal as unknown as { type: string; value: { type: string; value: unknown } };
  if (s.type !== "system") return undefined;
  const { type, value } = s.value;
  if (type !== "successful_countersigning" && type !== "abandoned_countersigning") return undefined;
  return value instanceof Uint8Array && sameBytes(value, entryHash) ? type : undefined;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function partyFromWire(p: Wire<PartyState>): PartyState {
  return { ...p, balance_before: fromWire(p.balance_before), balance_after: fromWire(p.balance_after) };
}

export function paymentFromWire(p: Wire<Payment>): Payment {
  return { ...p, amount: fromWire(p.amount), payer: partyFromWire(p.payer), payee: partyFromWire(p.payee) };
}

function partyToWire(p: PartyState): Wire<PartyState> {
  return { ...p, balance_before: toWire(p.balance_before), balance_after: toWire(p.balance_after) };
}

export function paymentToWire(p: Payment): Wire<Payment> {
  return { ...p, amount: toWire(p.amount), payer: partyToWire(p.payer), payee: partyToWire(p.payee) };
}

