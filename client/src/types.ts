// Wire types of the ledger zome, as the client exposes them: every amount is a bigint.
import type { ActionHash, AgentPubKey, EntryHash } from "@holochain/client";

export interface Village {
  village_name: string;
  unit: string;
  decimals: number;
  default_floor: bigint;
  default_ceiling: bigint;
}

export interface Member {
  agent: AgentPubKey;
  name: string;
}

export interface PartyState {
  agent: AgentPubKey;
  previous_payment: ActionHash | null;
  balance_before: bigint;
  balance_after: bigint;
}

export interface Payment {
  amount: bigint;
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

export interface Position {
  latest_payment: ActionHash | null;
  balance: bigint;
}

export interface LedgerLine {
  agent: AgentPubKey;
  name: string;
  balance: bigint;
}

export interface VillageLedger {
  lines: LedgerLine[];
  total: bigint;
}

export interface PaymentReceipt {
  payment: Payment;
  entry_hash: EntryHash;
  action_hash: ActionHash;
  /** From start_payment to the completion signal. */
  elapsed_ms: number;
}
