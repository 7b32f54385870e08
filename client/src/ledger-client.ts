// The one typed client of the ledger zome: UI, tests, scripts and benchmarks all go through it.
// Functions mirror the coordinator's by name; amounts are bigint here and exact integers on the wire.
import type { ActionHash, AgentPubKey, AppClient, CellId, EntryHash, Signal } from "@holochain/client";
import { fromWire } from "./amounts.js";
import { LedgerError, UnwrittenSession, toLedgerError, errorText, handlingOf, releasedLock } from "./errors.js";
import { holochainSays } from "./holochain-messages.js";
import { HISTORY_PAGE_MAX, PAYMENT_DEADLINE_MS, UNSETTLED_WAIT_MS } from "./limits.js";
import { retryWhile, sleep } from "./retry.js";
import { SessionMemoryInProcess, packSession, unpackSession, type KeptSession, type SessionMemory } from "./session-memory.js";
import type {
  AccountView,
  BoundaryReserve,
  CashOutTicket,
  ConnectionState,
  Member,
  Payment,
  HistoryPage,
  PaymentKind,
  PaymentReceipt,
  PaymentRecord,
  Position,
  PublishedOffer,
  StewardshipReport,
  StewardshipWork,
  Village,
  VillageLedger,
  WrittenVoucher,
} from "./types.js";
import { decodeVoucherCode, encodeVoucherCode, type SignedVoucher } from "./voucher.js";
import { amountsFromWire, amountsToWire } from "./wire.js";
import { sameBytes } from "./bytes.js";

/** The countersigning part of the app API (`AppWebsocket`), which `AppClient` does not declare. */
interface CountersigningAppApi {
  getCountersigningSessionState(cellId: CellId): Promise<unknown>;
  abandonCountersigningSession(cellId: CellId): Promise<unknown>;
}

/** The session a conductor's countersigning workspace holds: its state's name and its request. */
interface CurrentSession {
  variant: string;
  request: SessionRequest;
}

/** The parts of Holochain's countersigning session state this client reads. */
interface SessionRequest {
  app_entry_hash: EntryHash;
  signing_agents: [AgentPubKey, AgentPubKey[]][];
  session_times: { start: number; end: number };
}

/**
 * What became of a session a crash or a cut left on this chain: `none` (the chain is free),
 * `open` (its window has not closed: wait), `abandoned` (a signer never wrote it, so it can never
 * complete; the conductor was told to drop it, which frees the chain), `completing` (every other signer holds it:
 * Holochain completes it here once it finds their actions), `waiting` (a signer did not answer:
 * the chain stays locked until it does, because abandoning a payment every other side wrote would
 * split it), `released` (this chain never wrote the session its restarted conductor still held
 * locked; the lock is released).
 */
export interface SessionSettlement {
  state: "none" | "open" | "abandoned" | "completing" | "waiting" | "released";
  detail: string;
}

/**
 * A payment's countersigning session, as a page shows it: `signing` while a witness checks both
 * chains and the witness, payer and payee sign; `committing` while all three write it.
 */
export type PaymentStage = "signing" | "committing";

export interface IssuedInvitation {
  invitation: { invitee: AgentPubKey; name: string; steward: AgentPubKey; signature: Uint8Array };
  /** What the invitee installs the hApp with. */
  membrane_proof: Uint8Array;
}

/** A payment entry with every signer's preflight response (witnesses, payer, payee), as the zome returns it. */
export interface PaymentSession {
  /** The payment in its wire form (`paymentToWire`); its kind is tagged as in `PaymentKind`. */
  payment: { kind: { type: PaymentKind["type"] } };
  responses: { request: { app_entry_hash: EntryHash } }[];
}

/** How many of a village's `witnesses` countersign each payment: a majority (`witness_quorum` in ledger_rules). */
export function witnessQuorum(witnesses: number): number {
  return Math.floor(witnesses / 2) + 1;
}

/**
 * How many parties sign a session after its witnesses (`Kind::signing_parties` in ledger_rules):
 * payer and payee, or for a redemption or take-back the payee alone.
 */
export function partiesSigning(session: PaymentSession): 1 | 2 {
  return ["Redemption", "Reclaim"].includes(session.payment.kind.type) ? 1 : 2;
}

const RETRY_PAUSE_MS = 150; /** How often starting a payment asks again while a witness still holds an unfinished session of this member's (for up to UNSETTLED_WAIT_MS). */
const SESSION_RETRY_PAUSE_MS = 500;
/** Holochain's answer to a countersigned commit after its session ended unwritten (as a remote signer reports it, its name). */
/** How old the finding of which witnesses answer may be before a payment has them asked again (`witnessesOnline`). */
const WITNESSES_FRESH_MS = 2_000;
/** The longest a payment waits for any witness to answer before it starts anyway (`witnessesOnline`). */
const WITNESS_ANSWER_WAIT_MS = 3_000;
const TRADE: PaymentKind = { type: "Trade" };

export class LedgerClient {
  /** Sessions this client is running now: a kept session is released only when none is. */
  private sessionsRunning = 0;
  /** The witnesses that answered when last asked, of which, and when that was (`witnessesOnline`). */
  private witnessesAnswering?: { askedAt: number; asked: AgentPubKey[]; agents: AgentPubKey[] };

  constructor(
    readonly client: AppClient,
    readonly roleName = "ledger",
    readonly zomeName = "ledger",
    readonly sessions: SessionMemory = new SessionMemoryInProcess(),
  ) {
    this.client.on("signal", (signal: Signal) => this.noteSessionSignal(signal));
  }

  /**
   * Keeps the session this chain has just been locked for, on whichever side it signs (the zome's
   * `SessionLocked` signal), and forgets the kept session once its outcome is known. Only the
   * latest can matter: a chain is locked for one session at a time.
   */
  private noteSessionSignal(signal: Signal): void {
    const locked = sessionLocked(signal, this.zomeName);
    if (locked) {
      this.sessions.keep(packSession(locked));
      return;
    }
    const ended = countersigningEnded(signal);
    if (ended) this.forgetSession(ended.entryHash);
  }

  /** Forgets the kept session if it is the session of `entryHash` (a later one may be kept by now). */
  private forgetSession(entryHash: EntryHash): void {
    const kept = this.sessions.recall();
    if (kept && sameBytes(unpackSession(kept).request.app_entry_hash, entryHash)) this.sessions.keep(undefined);
  }

  /** Calls a zome function; bigint amounts in the payload go out as exact integers. */
  async call<T>(fnName: string, payload: unknown = null, zomeName = this.zomeName): Promise<T> {
    try {
      return (await this.client.callZome({ role_name: this.roleName, zome_name: zomeName, fn_name: fnName, payload: amountsToWire(payload) })) as T;
    } catch (error) {
      throw toLedgerError(error);
    }
  }

  /** Calls a zome function and reads every amount in its answer as a bigint. */
  async read<T>(fnName: string, payload: unknown = null): Promise<T> {
    return amountsFromWire<T>(await this.call(fnName, payload));
  }

  whoami(): Promise<AgentPubKey> {
    return this.call("whoami");
  }

  village(): Promise<Village> {
    return this.read("village");
  }

  joinVillage(name: string): Promise<Member> {
    return this.call("join_village", name);
  }

  /** A steward invites `invitee` under `name`; the membrane proof is what the invitee installs with. */
  issueInvitation(invitee: AgentPubKey, name: string): Promise<IssuedInvitation> {
    return this.call("issue_invitation", { invitee, name });
  }

  members(): Promise<Member[]> {
    return this.call("members");
  }

  /** Whether `agent`'s conductor answers a call from this one right now. */
  isReachable(agent: AgentPubKey): Promise<boolean> {
    return this.call("is_reachable", agent);
  }

  /**
   * Asks each of `witnesses` whether it answers, all at once: `quorum` settles once a quorum of
   * them (a majority, as every payment needs) has said yes, or no once too few can; `all` once
   * every one has answered or failed. The witnesses that answer are what payments ask first
   * (`witnessesOnline`).
   */
  private askWitnesses(witnesses: AgentPubKey[]): { quorum: Promise<boolean>; all: Promise<void> } {
    const finding = { askedAt: Date.now(), asked: witnesses, agents: [] as AgentPubKey[] };
    const needed = witnessQuorum(witnesses.length);
    let settle: (reachable: boolean) => void = () => {};
    const quorum = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const answers = witnesses.map((witness) =>
      this.isReachable(witness)
        .catch(() => false)
        .then((reachable) => {
          if (!reachable) return;
          finding.agents.push(witness);
          this.witnessesAnswering = finding;
          if (finding.agents.length >= needed) settle(true);
        }),
    );
    const all = Promise.all(answers).then(() => settle(false));
    return { quorum, all };
  }

  /**
   * The village's witnesses that answered when last asked, for a payment to ask first: asking one
   * that does not answer costs the zome a whole request timeout (10 s). A finding younger than
   * WITNESSES_FRESH_MS is used as it is (back-to-back payments ask nobody again). An older one is
   * renewed first: all witnesses are asked at once and the payment waits for a quorum to answer,
   * one round trip to the farthest of the nearest quorum, at most WITNESS_ANSWER_WAIT_MS; so a witness that has
   * stopped costs a payment nothing unless it stopped within WITNESSES_FRESH_MS of the last
   * finding. When fewer than a quorum answered, those that did (the zome asks them first, then the others).
   */
  private async witnessesOnline(): Promise<AgentPubKey[]> {
    const known = this.witnessesAnswering;
    if (known && Date.now() - known.askedAt < WITNESSES_FRESH_MS) return [...known.agents];
    const askedAt = Date.now();
    const asking = this.askWitnesses(known?.asked ?? (await this.village()).witnesses);
    if (!(await Promise.race([asking.quorum, sleep(WITNESS_ANSWER_WAIT_MS).then(() => false)]))) return [...(this.witnessesAnswering?.agents ?? [])];
    // The others that answer about as fast are listed too (up to twice the quorum's time), so
    // payers stay spread over the pool (`witness_order` asks the listed ones first).
    await Promise.race([asking.all, sleep(Date.now() - askedAt)]);
    return [...(this.witnessesAnswering?.agents ?? [])];
  }

  /**
   * Starts a witnessed session, naming the witnesses found answering. A start slower than
   * WITNESSES_FRESH_MS most likely waited out a witness that no longer answers: the witnesses are
   * asked again at once, so the next payment does not.
   */
  private async startWitnessed(fn: "start_payment" | "start_redemption" | "start_reclaim", payload: Record<string, unknown>): Promise<PaymentSession> {
    const started = Date.now();
    try {
      return await this.startSession<PaymentSession>(fn, async () => ({ ...payload, witnesses_online: await this.witnessesOnline() }));
    } finally {
      const known = this.witnessesAnswering;
      if (known && Date.now() - started >= WITNESSES_FRESH_MS) this.askWitnesses(known.asked);
    }
  }

  /** Asks every witness at once; online once a quorum answers (a payment needs one). */
  async connection(witnesses: AgentPubKey[]): Promise<ConnectionState> {
    if (!(await this.askWitnesses(witnesses).quorum)) return "offline";
    const metrics = await this.client.dumpNetworkMetrics({ include_dht_summary: false }).catch(() => undefined);
    // Syncing while some op is being fetched from a peer that answers: a source on backoff (a
    // machine that published and went away) is not tried, so it would say "Syncing" for ever.
    const fetching = Object.values(metrics ?? {}).some(({ fetch_state_summary: { pending_requests, peers_on_backoff } }) => {
      const backoff = peers_on_backoff instanceof Map ? peers_on_backoff : new Map(Object.entries(peers_on_backoff ?? {}));
      return Object.values(pending_requests).some((sources) => sources.some((url) => !backoff.has(url)));
    });
    return fetching ? "syncing" : "online";
  }

  /** This member's balance now, demurrage applied. */
  async myBalance(): Promise<bigint> {
    return fromWire(await this.call<number>("my_balance"));
  }

  /** The latest payment and the (not yet aged) account it left: what the next payment starts from. */
  myPosition(): Promise<Position> {
    return this.read("my_position");
  }

  myAccount(): Promise<AccountView> {
    return this.read("my_account");
  }

  accountOf(agent: AgentPubKey): Promise<AccountView> {
    return this.read("account_of", agent);
  }

  async balanceOf(agent: AgentPubKey): Promise<bigint> {
    return fromWire(await this.call<number>("balance_of", agent));
  }

  /** Every account, the commons funds and their total, as this peer reads them. */
  villageLedger(): Promise<VillageLedger> {
    return this.read("village_ledger");
  }

  /** Every payment of this member, newest first: the whole statement, read from the whole chain. */
  history(): Promise<PaymentRecord[]> {
    return this.read("history");
  }

  /**
   * Up to `limit` (1 to HISTORY_PAGE_MAX) of this member's payments older than `before` (the newest
   * when absent), newest first. Costs what the page reaches back, not the chain's length.
   */
  historyPage(before: ActionHash | undefined, limit: number): Promise<HistoryPage> {
    return this.read("history_page", { before: before ?? null, limit });
  }

  /** This member's newest `count` payments, newest first, read a page at a time. */
  async recentHistory(count: number): Promise<HistoryPage> {
    const records: PaymentRecord[] = [];
    let more = true;
    do {
      const page = await this.historyPage(records.at(-1)?.action_hash, Math.min(HISTORY_PAGE_MAX, Math.max(1, count - records.length)));
      records.push(...page.records);
      more = page.more;
    } while (more && records.length < count);
    return { records, more };
  }

  /** The entry an honest payment would commit now, without committing anything. */
  draftPayment(payee: AgentPubKey, amount: bigint, memo = "", kind: PaymentKind = TRADE): Promise<Payment> {
    return this.read("draft_payment", { payee, amount, memo, kind });
  }

  /**
   * Pays `amount` units to `payee` and resolves once Holochain reports the countersigned payment
   * complete on this chain. Rejects with a LedgerError whose `code` says why, having written nothing.
   * `onProgress` hears each stage of the countersigning session as it starts.
   */
  async pay(payee: AgentPubKey, amount: bigint, memo = "", kind: PaymentKind = TRADE, onProgress?: (stage: PaymentStage) => void): Promise<PaymentReceipt> {
    const started = performance.now();
    onProgress?.("signing");
    // A session a restarted conductor left on this chain is released first, or completed.
    if (this.sessions.recall()) {
      const settled = await this.settleInterruptedSession();
      if (settled.state === "completing")
        throw new LedgerError("session_completing", "your last payment is still completing; try again in a moment", settled.detail);
    }
    const start = () => this.startWitnessed("start_payment", { payee, amount, memo, kind });
    const attempt = async () => {
      // A session an earlier crash left locked is settled first when that is safe, then the payment starts.
      const session = await start().catch(async (error: unknown) => {
        // (A witness's unfinished session, `session_unsettled`, was waited for already: this settles this chain's own.)
        if (!(error instanceof LedgerError && handlingOf(error) === "retried_after_settling" && error.code !== "session_unsettled")) throw error;
        // Free now ("none": the session ended meanwhile, or the busy chain was the payee's or the
        // witness's) or freed ("abandoned", "released"): try once more; otherwise say why this chain is held.
        const settled = await this.settleInterruptedSession();
        if (!["abandoned", "released", "none"].includes(settled.state))
          throw new LedgerError("payment_in_progress", error.message, `${settled.state}: ${settled.detail}`);
        return start();
      });
      onProgress?.("committing");
      return this.completeSession(session, started);
    };
    // A session no signer wrote (`UnwrittenSession`) recorded nothing anywhere. When the payee did
    // not answer in time, answered too late in the window to write first (`window_closing`), or
    // was otherwise briefly unable (codes retried at once), not when it refused, it is started once
    // more: it usually goes through, as the payee's conductor has had the window to reach the
    // witnesses and the payer's latest actions.
    return attempt().catch((error: unknown) => {
      const timedOut = error instanceof UnwrittenSession && (handlingOf(error) === "retried_at_once" || holochainSays("noActiveSession", error.detail ?? ""));
      if (!timedOut) throw error;
      onProgress?.("signing");
      return attempt();
    });
  }

  /**
   * Has the payee, the witnesses and this payer commit a session every signer has signed (for a
   * voucher's redemption or reclaim, whose payer side takes no part: the witnesses and this payee), and
   * resolves once Holochain reports it complete on this chain.
   */
  async completeSession(session: PaymentSession, started = performance.now()): Promise<PaymentReceipt> {
    this.sessionsRunning++;
    try {
      return await this.completeKeptSession(session, started);
    } finally {
      this.sessionsRunning--;
    }
  }

  private async completeKeptSession(session: PaymentSession, started: number): Promise<PaymentReceipt> {
    const entryHash = session.responses[0]!.request.app_entry_hash;
    const deadline = Date.now() + PAYMENT_DEADLINE_MS;
    const outcome = this.sessionOutcome(entryHash, deadline);
    outcome.catch(() => {}); // awaited below; avoids an unhandled rejection while committing
    // Until its outcome is known the session is kept where it outlives this conductor (SessionMemory).
    // (The zome's `SessionLocked` signal kept it already, and its outcome's signal forgets it.)
    this.sessions.keep(packSession({ payment: session.payment, request: session.responses[0]!.request }));
    // The payee, the witnesses and the payer commit at once; each may first wait for the others'
    // latest actions to reach it, and a call to another machine may be cut and is tried again.
    // Whether the payment happened is the session's outcome on this chain, not those calls' replies:
    // a reply lost after the other side committed must not report a completed payment as failed.
    // The payee writes first, the witnesses and this payer once it has. The payee's conductor first
    // checks that it reaches the session's first witness (its enzyme), which on a LAN still warming up can take the whole
    // window (seen: a member's first payment across machines); had the others written meanwhile,
    // the payment would be half-written until each side was abandoned. In this order a payee that
    // cannot write in time leaves nothing written anywhere. It costs the payee's commit in series.
    if (partiesSigning(session) === 2) {
      try {
        await this.retryWhileTransient(() => this.call<ActionHash>("commit_on_payee", session), deadline);
      } catch (error) {
        // The others never write, so Holochain ends the session unwritten when its window closes:
        // waiting for that leaves every chain free once this rejects.
        await outcome.catch(() => {});
        const cause = toLedgerError(error);
        throw new UnwrittenSession(cause.code, `${cause.message} (the payee did not write the payment; nothing was recorded)`, cause.detail);
      }
    }
    const [onWitness, mine] = await Promise.allSettled([
      this.retryWhileTransient(() => this.call<ActionHash[]>("commit_on_witnesses", session), deadline),
      this.retryWhileTransient(() => this.call<ActionHash>("complete_payment", session), deadline),
    ]);
    // The window closed before this chain could write its side (its signers' commits waited on
    // each other's actions): the session's outcome says what became of the payment.
    if (mine.status === "rejected" && !(mine.reason instanceof LedgerError && holochainSays("noActiveSession", mine.reason.detail ?? ""))) throw mine.reason;
    await outcome.catch((error: unknown) => {
      throw onWitness.status === "rejected" ? onWitness.reason : error;
    });
    if (mine.status === "rejected") throw mine.reason;
    const actionHash = mine.value;
    return { payment: amountsFromWire(session.payment), entry_hash: entryHash, action_hash: actionHash, elapsed_ms: performance.now() - started };
  }

  // ---- offline vouchers ----

  /**
   * Writes a voucher to `payee` on this member's own chain, with no network needed, and returns
   * its code (`ccv1-...`) for the payee. The amount leaves this account at once.
   */
  async issueVoucher(payee: AgentPubKey, amount: bigint, memo = "", validForSecs = 7 * 24 * 3600): Promise<string> {
    const signed = await this.call<SignedVoucher>("issue_voucher", { payee, amount, memo, valid_for_secs: validForSecs });
    return encodeVoucherCode(signed);
  }

  /** Redeems a voucher made out to this member, witnessed; its payer need not be online. */
  async redeemVoucher(code: string): Promise<PaymentReceipt> {
    const started = performance.now();
    const session = await this.startWitnessed("start_redemption", { voucher: decodeVoucherCode(code) });
    return this.completeSession(session, started);
  }

  /** The vouchers this member wrote, newest first, with whether each was taken back. */
  myVouchers(): Promise<WrittenVoucher[]> {
    return this.read("my_vouchers");
  }

  /**
   * Takes back a voucher this member wrote that expired unredeemed (from its `reclaimable_from`),
   * witnessed; its payee need not be online. Refused `voucher_redeemed` if the payee redeemed it.
   */
  async reclaimVoucher(voucherHash: ActionHash): Promise<PaymentReceipt> {
    const started = performance.now();
    const session = await this.startWitnessed("start_reclaim", { voucher: voucherHash });
    return this.completeSession(session, started);
  }

  // ---- the commons economy ----

  /** A co-op credits a steward for care of a commons; both sign. Care work pays in care credits. */
  steward(steward: AgentPubKey, amount: bigint, commons: string, work: StewardshipWork, memo = ""): Promise<PaymentReceipt> {
    return this.pay(steward, amount, memo, { type: "Stewardship", commons, work });
  }

  publishOffer(title: string, labour: bigint, ecological: bigint, care: bigint): Promise<PublishedOffer> {
    return this.read("publish_offer", { title, labour, ecological, care });
  }

  offers(): Promise<PublishedOffer[]> {
    return this.read("offers");
  }

  /** Pays a published offer: its price, to its co-op. */
  buy(offer: PublishedOffer, memo = offer.offer.title): Promise<PaymentReceipt> {
    return this.pay(offer.co_op, offer.offer.price, memo, { type: "Purchase", offer: offer.offer_hash });
  }

  /** The treasury pays a member for work on a collective project, out of fund `fund`. */
  spendFromFund(member: AgentPubKey, amount: bigint, fund: number, memo = ""): Promise<PaymentReceipt> {
    return this.pay(member, amount, memo, { type: "TreasurySpend", fund });
  }

  /** The cash boundary issues credit at par for cash received. */
  cashIn(member: AgentPubKey, amount: bigint, reference: string): Promise<PaymentReceipt> {
    return this.pay(member, amount, `cash in: ${reference}`, { type: "CashIn", reference });
  }

  requestCashOut(amount: bigint): Promise<CashOutTicket> {
    return this.read("request_cash_out", amount);
  }

  /** Settles a cash-out request with the boundary once its waiting period is over. */
  /** Settles a waiting request once it is ready, for its amount or less (credit spent since the request stays spent). */
  async cashOut(ticket: CashOutTicket, amount: bigint = ticket.amount): Promise<PaymentReceipt> {
    const boundary = (await this.village()).boundary;
    if (!boundary) throw new LedgerError("no_boundary", "this village has no cash boundary");
    return this.pay(boundary, amount, "cash out", { type: "CashOut", request: ticket.request, fee: 0n });
  }

  boundaryReserve(): Promise<BoundaryReserve> {
    return this.read("boundary_reserve");
  }

  stewardshipReport(coOp: AgentPubKey): Promise<StewardshipReport> {
    return this.read("stewardship_report", coOp);
  }

  /** A leaving member pays its whole surplus into the treasury's commons fund. */
  async settleSurplus(): Promise<PaymentReceipt> {
    const [village, account] = await Promise.all([this.village(), this.myAccount()]);
    if (!village.treasury) throw new LedgerError("no_treasury", "this village has no treasury");
    if (account.balance <= 0n) throw new LedgerError("wrong_settlement", "there is no surplus to settle; the treasury settles a deficit");
    return this.pay(village.treasury, account.balance, "settlement on leaving", { type: "Settlement" });
  }

  /** The treasury covers a leaving member's whole deficit from the commons fund. */
  async settleDeficitOf(member: AgentPubKey): Promise<PaymentReceipt> {
    const account = await this.accountOf(member);
    if (account.balance >= 0n) throw new LedgerError("wrong_settlement", "the member has no deficit to settle");
    return this.pay(member, -account.balance, "settlement on leaving", { type: "Settlement" });
  }

  closeAccount(): Promise<ActionHash> {
    return this.call("close_account");
  }

  /**
   * What became of this cell's countersigning session after a payment's window passed without a
   * signal: none left (it resolved or was abandoned: the chain is free), or what settling it did.
   */
  private async sessionStateReport(): Promise<string> {
    const settled = await this.settleInterruptedSession();
    return settled.state === "none" ? "no session in progress; nothing was recorded" : `${settled.state}: ${settled.detail}`;
  }

  /** The request of the countersigning session holding this cell's chain, if one does. */
  private async currentSession(app: CountersigningAppApi, cellId: CellId): Promise<CurrentSession | undefined> {
    const state = (await app.getCountersigningSessionState(cellId)) as Record<string, unknown> | null;
    if (!state) return undefined;
    const [variant, body] = Object.entries(state)[0] as [string, Record<string, unknown>];
    return { variant, request: (variant === "Accepted" ? body : body.preflight_request) as unknown as SessionRequest };
  }

  /**
   * Settles the countersigning session a crash or a cut left on this chain, when that is safe:
   * after its window, it asks the other signers whether they wrote the payment, and abandons it
   * when one of them answers that it did not (an honest conductor never writes a session after its
   * window, and a session completes only when all wrote it). See `SessionSettlement`.
   */
  async settleInterruptedSession(): Promise<SessionSettlement> {
    const app = this.client as unknown as CountersigningAppApi;
    if (typeof app.getCountersigningSessionState !== "function") return { state: "waiting", detail: "session state not available on this connection" };
    const cellId = await this.cellId();
    // The kept session is read before the conductor's: a session locked in between is then either
    // the conductor's current one or already kept in its place (`releaseKeptSession`).
    const kept = this.sessionsRunning > 0 ? undefined : this.sessions.recall();
    const current = await this.currentSession(app, cellId);
    const released = await this.releaseKeptSession(kept, current);
    if (released) return released;
    const request = current?.request;
    if (!request) return { state: "none", detail: "no session in progress" };
    const endsInMs = request.session_times.end / 1000 - Date.now();
    if (endsInMs > 0) return { state: "open", detail: `its window closes in ${Math.ceil(endsInMs / 1000)} s` };
    const holdings = await this.call<{ agent: AgentPubKey; holds: boolean | null }[]>("signers_holding", {
      entry_hash: request.app_entry_hash,
      signers: request.signing_agents.map(([agent]) => agent),
    });
    // A session completes only when every signer wrote it. One that has not, after the window,
    // never will (an honest conductor writes nothing after it): then it can never complete, and
    // abandoning drops this chain's unpublished copy, if any, so nothing is split. That signer may
    // be this one (a conductor killed before it wrote its side).
    const mine = await this.call<{ Ok?: boolean }>("holds_payment", request.app_entry_hash);
    const missing = [...holdings.filter((h) => h.holds === false), ...(mine.Ok === false ? [{ agent: null, holds: false }] : [])];
    if (missing.length === 0) {
      const silent = holdings.filter((h) => h.holds === null);
      if (silent.length > 0) return { state: "waiting", detail: `${silent.length} signer(s) did not answer; the chain stays locked until they do` };
      return { state: "completing", detail: "every other signer wrote it; it completes here once their actions are found" };
    }
    // Holochain refuses to abandon a session it has not yet tried to resolve itself.
    return app.abandonCountersigningSession(cellId).then(
      () => ({ state: "abandoned" as const, detail: `${missing.length} signer(s) never wrote it; the conductor was told to drop it` }),
      (error: unknown) => ({ state: "waiting" as const, detail: `the conductor has not tried to resolve it yet (${errorText(error).slice(0, 160)})` }),
    );
  }

  /**
   * Releases the lock of the `kept` session when this chain never wrote it and its conductor
   * restarted in between (`release_unwritten_session`): the restarted conductor rebuilds, in the
   * `Unknown` state, another session as its `current` one (the chain's newest completed payment)
   * and can never resolve it. While the conductor names the kept session, or runs a session of
   * its own, that session runs or is settled as any other (below); when it names none, the kept
   * session is over and forgotten.
   */
  private async releaseKeptSession(kept: Uint8Array | undefined, current: CurrentSession | undefined): Promise<SessionSettlement | undefined> {
    if (!kept) return undefined;
    const session = unpackSession(kept);
    const keptHash = session.request.app_entry_hash;
    if (!current) {
      this.forgetSession(keptHash);
      return undefined;
    }
    if (current.variant !== "Unknown" || sameBytes(current.request.app_entry_hash, keptHash)) return undefined;
    const error = await this.call("release_unwritten_session", session).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (releasedLock(error)) {
      this.forgetSession(keptHash);
      return { state: "released", detail: "this chain never wrote the session its restarted conductor still held; its lock is released" };
    }
    // This chain wrote it (`session_completing`), so it is not what holds the chain now.
    if (error instanceof LedgerError && error.code === "session_completing") this.forgetSession(keptHash);
    return undefined;
  }

  private async cellId(): Promise<CellId> {
    const info = await this.client.appInfo();
    const cell = info?.cell_info[this.roleName]?.[0];
    if (!cell || !("cell_id" in (cell.value as object))) throw new LedgerError("conductor_error", `no ${this.roleName} cell`);
    return (cell.value as { cell_id: CellId }).cell_id;
  }

  /**
   * Starts a session, again while the call only released a lock Holochain left on this chain (or
   * the payee's) as a previous session finished (the chain is free then, and nothing was written),
   * while the witness still holds an unfinished session of this member's (`session_unsettled`:
   * a conductor stopped mid-payment; the witness drops it soon after its window), or while every
   * witness answering is busy with other sessions (`witness_busy`; one holds it at most a window).
   * The payload is made again for each attempt, so it names the witnesses answering then.
   */
  private startSession<T>(fn: string, payload: () => Promise<unknown>): Promise<T> {
    // The codes retried at once (`HANDLING`), and the witness's unfinished session of this member,
    // which is waited for (it is the witness's to drop), with the exceptions of this stage.
    const waitable = (error: unknown) => {
      if (!(error instanceof LedgerError)) return false;
      switch (error.code) {
        // A payee that does not answer is reported at once (each ask costs a request timeout), unless
        // this conductor has only not learned its address yet: that fails at once, before any
        // witness signs, and the address arrives within seconds of a restart or a healed split.
        // (Not so for too few witnesses: the ones that answered signed, and each retry would leave
        // them another session to resolve.)
        case "counterparty_offline":
          return holochainSays("peerAddressUnknown", error.detail ?? error.message);
        // A redemption's means a voucher never published: only its payer's node going online changes that.
        case "not_synced":
          return fn !== "start_redemption";
        // A reclaim names the voucher payee's chain top as this conductor read it from the network: a
        // witness reading a later one means that read lagged a write of the payee's, and the next draft reads it again.
        case "stale_chain_top":
          return fn === "start_reclaim";
        case "session_unsettled":
          return true;
        default:
          return handlingOf(error) === "retried_at_once";
      }
    };
    return retryWhile(async () => this.call<T>(fn, await payload()), waitable, Date.now() + UNSETTLED_WAIT_MS, SESSION_RETRY_PAUSE_MS);
  }

  /**
   * Retries a commit while its dependencies have not reached that conductor (a countersigned commit
   * fails with DepMissingFromDht until the counterparty's actions arrive), or the call was cut.
   */
  private retryWhileTransient<T>(commit: () => Promise<T>, deadline: number): Promise<T> {
    // A signer whose session has ended (its window closed) can never write it: not asked again. Of
    // the codes retried at once, only a cut call is asked again here: the others (a write asked too
    // late, `window_closing`) mean the session will not be written.
    const transient = (error: unknown) => {
      const text = error instanceof LedgerError ? (error.detail ?? error.message) : errorText(error);
      if (holochainSays("noActiveSession", text)) return false;
      return (error instanceof LedgerError && error.code === "counterparty_offline") || holochainSays("dependencyMissing", text);
    };
    return retryWhile(commit, transient, deadline, RETRY_PAUSE_MS);
  }

  /** Resolves on the `successful_countersigning` signal for this entry, rejects on abandonment or timeout. */
  sessionOutcome(entryHash: EntryHash, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          unsubscribe();
          this.sessionStateReport().then(
            (state) => reject(new LedgerError("session_timeout", `the payment did not complete within its window; the conductor reports: ${state}`)),
            (error: unknown) => reject(new LedgerError("session_timeout", `the payment did not complete within its window (${errorText(error)})`)),
          );
        },
        Math.max(0, deadline - Date.now()),
      );
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

/** The outcome a system signal reports for the session of `entryHash`, if it is about that session. */
function countersigningOutcome(signal: Signal, entryHash: EntryHash): string | undefined {
  const ended = countersigningEnded(signal);
  return ended && sameBytes(ended.entryHash, entryHash) ? ended.outcome : undefined;
}

/** The session whose outcome a system signal reports (completed or abandoned), by its payment's hash. */
function countersigningEnded(signal: Signal): { outcome: string; entryHash: EntryHash } | undefined {
  const s = signal as unknown as { type: string; value: { type: string; value: unknown } };
  if (s.type !== "system" || !["successful_countersigning", "abandoned_countersigning"].includes(s.value.type)) return undefined;
  return s.value.value instanceof Uint8Array ? { outcome: s.value.type, entryHash: s.value.value as EntryHash } : undefined;
}

/** The session the zome reports this chain locked for (its `SessionLocked` signal), as the app keeps it. */
function sessionLocked(signal: Signal, zomeName: string): KeptSession | undefined {
  const s = signal as unknown as { type: string; value: { zome_name?: string; payload?: unknown } };
  if (s.type !== "app" || s.value.zome_name !== zomeName) return undefined;
  const payload = s.value.payload as { type?: string; payment?: unknown; request?: { app_entry_hash?: unknown } } | null;
  if (payload?.type !== "SessionLocked" || !(payload.request?.app_entry_hash instanceof Uint8Array)) return undefined;
  return { payment: payload.payment, request: payload.request as KeptSession["request"] };
}

/** The zome's view of a payment (for handing drafts to the test-only forger). */
export function paymentToWire(p: Payment): unknown {
  return amountsToWire(p);
}
