// Wire types of the ledger zome, as the client exposes them: every amount is a bigint (see wire.ts
// for which fields are amounts), every time a number of microseconds since the epoch.
import type { ActionHash, AgentPubKey, EntryHash } from "@holochain/client";

export interface Fund {
  name: string;
  /** Levy on every trade, purchase and stewardship payment, in basis points (750 = 7.5 %). */
  levy_bp: number;
}

export interface LimitPolicy {
  floor: bigint;
  ceiling: bigint;
  /** Each unit earned in the current window widens the floor by contribution_bp / 10 000 units. */
  contribution_bp: number;
  floor_cap: bigint;
  window_secs: number;
}

export interface DemurragePolicy {
  grace_secs: number;
  period_secs: number;
  rate_ppm: number;
}

export interface CashOutPolicy {
  fee_bp: number;
  wait_secs: number;
}

/** A village's parameters: its DNA properties. */
export interface Village {
  village_name: string;
  unit: string;
  decimals: number;
  limits: LimitPolicy;
  funds: Fund[];
  remainder_fund: number;
  commons_fund: number;
  demurrage: DemurragePolicy;
  cash_out: CashOutPolicy;
  treasury: AgentPubKey | null;
  boundary: AgentPubKey | null;
  /** The founding stewards: they sign invitations. */
  stewards: AgentPubKey[];
  /** One of them witnesses every payment: without one reachable, nobody here can pay. */
  witnesses: AgentPubKey[];
}

/**
 * How this member's conductor stands with the village: `offline` when no witness answers (no
 * payment can be made), `syncing` while it still fetches others' data, `online` otherwise.
 */
export type ConnectionState = "online" | "syncing" | "offline";

export interface Member {
  agent: AgentPubKey;
  name: string;
}

export type StewardshipWork = "Ecological" | "Care";

export type PaymentKind =
  | { type: "Trade" }
  | { type: "Purchase"; offer: ActionHash }
  | { type: "Stewardship"; commons: string; work: StewardshipWork }
  | { type: "TreasurySpend"; fund: number }
  | { type: "CashIn"; reference: string }
  | { type: "CashOut"; request: ActionHash; fee: bigint }
  | { type: "Settlement" }
  /** Written by the payer alone, offline; redeemable by the payee until `expires_at` (microseconds). */
  | { type: "Voucher"; expires_at: number }
  /** The payee claiming a voucher's credit, witnessed, without the payer. */
  | { type: "Redemption"; voucher: ActionHash }
  /**
   * The voucher's payer taking back, witnessed, a voucher that expired unredeemed: the payer side
   * is the credit the voucher carried (naming its payee), the payee side the voucher's payer.
   */
  | { type: "Reclaim"; voucher: ActionHash };

/** A party's account as a payment leaves it. */
export interface Account {
  balance: bigint;
  /** Part of a positive balance earned through care: spendable, never cashable. */
  care: bigint;
  /** What this account routed to each commons fund (the treasury's fall as it spends). */
  commons: bigint[];
  earned: bigint;
  window_start: number;
  cash_outs: number;
  /** Cash-out requests written: `cash_outs`, or one more while a request waits. */
  cash_outs_requested: number;
}

export interface PartyState {
  agent: AgentPubKey;
  previous_payment: ActionHash | null;
  before: Account;
  after: Account;
}

export interface Payment {
  amount: bigint;
  kind: PaymentKind;
  /** The session's start, in microseconds. */
  at: number;
  payer: PartyState;
  payee: PartyState;
  memo: string;
}

export interface PaymentRecord {
  action_hash: ActionHash;
  entry_hash: EntryHash;
  /** Microseconds since the epoch. */
  timestamp: number;
  payment: Payment;
}

/** One page of a member's statement, newest first. */
export interface HistoryPage {
  records: PaymentRecord[];
  /** Whether older payments remain. */
  more: boolean;
}

export interface Position {
  latest_payment: ActionHash | null;
  account: Account;
  at: number | null;
  closed: boolean;
}

/** A member's account now: demurrage applied, with the limits it is held to. */
export interface AccountView {
  agent: AgentPubKey;
  balance: bigint;
  care: bigint;
  cashable: bigint;
  earned: bigint;
  floor: bigint;
  ceiling: bigint;
  commons: bigint[];
  cash_outs: number;
  closed: boolean;
}

export interface LedgerLine {
  agent: AgentPubKey;
  name: string;
  role: "member" | "treasury" | "boundary";
  balance: bigint;
  care: bigint;
  closed: boolean;
}

export interface FundBalance {
  name: string;
  balance: bigint;
}

export interface VillageLedger {
  lines: LedgerLine[];
  funds: FundBalance[];
  /**
   * Every balance plus every fund: whenever the reading peer is in sync, zero, or, if members
   * forked their chains, the sum of what they owe (`forks`).
   */
  total: bigint;
  /** Members whose chains forked, each counted at one history, and what they owe beyond it. */
  forks: ForkedAccount[];
}

/** A member who spent from two histories of one chain (a copied node, or a colluding witness). */
export interface ForkedAccount {
  agent: AgentPubKey;
  name: string;
  /** The chain position at which the histories part. */
  fork_seq: number;
  /** Whether peers hold a warrant against the member. */
  warranted: boolean;
  /** How many histories hold payments after the fork. */
  branches: number;
  /** Credit the other histories handed out that no debit matches. */
  owes: bigint;
}

export interface Offer {
  title: string;
  labour: bigint;
  ecological: bigint;
  care: bigint;
  price: bigint;
}

export interface PublishedOffer {
  offer_hash: ActionHash;
  co_op: AgentPubKey;
  offer: Offer;
}

export interface CashOutTicket {
  request: ActionHash;
  amount: bigint;
  number: number;
  fee: bigint;
  cash_paid: bigint;
  /** When the request was written, and when it can settle (its wait and the clocks' tolerance), in microseconds. */
  requested_at: number;
  ready_at: number;
}

export interface BoundaryReserve {
  cash_in: bigint;
  cash_paid_out: bigint;
  fees: bigint;
  cash_held: bigint;
  credit_outstanding: bigint;
}

export interface StewardshipReport {
  co_op: AgentPubKey;
  total_paid: bigint;
  stewardship_paid: bigint;
  by_commons: { commons: string; work: StewardshipWork; amount: bigint }[];
}

export interface PaymentReceipt {
  payment: Payment;
  entry_hash: EntryHash;
  action_hash: ActionHash;
  /** From start_payment to the completion signal. */
  elapsed_ms: number;
}

/** A voucher this member wrote (`my_vouchers`). */
export interface WrittenVoucher {
  voucher_hash: ActionHash;
  voucher: Payment;
  /** Microseconds since the epoch: its expiry plus the reclaim grace, from when it can be taken back. */
  reclaimable_from: number;
  reclaimed: boolean;
}
