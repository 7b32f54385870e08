//! Where a member's account stands: its latest payment, the account it left, and whether the
//! member has closed it. Balances shown to people are aged to now (demurrage applied).
use crate::activity::{agent_activity, fetch_record, walk_own_chain_back};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{closed_since, settles_member, written_since_payment, ChainPosition};
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, Account, Payment, UnitEntryTypes, VillageProperties};

/// A member's latest payment, the account it left (not yet aged: `aged_to` gives the account now)
/// and whether the member has closed it since: the same position validation reads.
pub type Position = ChainPosition<ActionHash>;

/// The account `position` leaves at `now`: what the next payment must name as `before`.
pub fn aged_to(position: &Position, now: Timestamp, village: &VillageProperties) -> ExternResult<Account> {
    position.aged_to(now.as_micros(), village).map_err(crate::error::violation)
}

pub fn entry_type(unit: UnitEntryTypes) -> ExternResult<EntryType> {
    EntryType::try_from(unit)
}

pub fn payment_of(record: &Record) -> ExternResult<Payment> {
    Payment::from_record(record)?.ok_or_else(|| refuse(ViolationCode::NotAPayment, "record holds no payment"))
}

/// Where the payment in `record` left `agent`: closed when it settled the agent with the commons.
fn position_left_by(record: &Record, agent: &AgentPubKey, village: &VillageProperties) -> ExternResult<Position> {
    let payment = payment_of(record)?;
    let side = payment.side_of(agent).cloned().ok_or_else(|| refuse(ViolationCode::BrokenContinuity, "payment does not name the member"))?;
    let closed = settles_member(&payment.kind, agent, village);
    Ok(Position { latest_payment: Some(record.action_address().clone()), account: side.after, at: Some(payment.at.as_micros()), closed })
}

/// How many of the newest actions to search for the latest payment before reading the whole chain.
const RECENT_ACTIONS: u32 = 32;

/// This agent's position, read from its own chain (no network): back from the head, one record at
/// a time, to its latest payment (`walk_own_chain_back`), so the cost of a payment does not grow
/// with the length of the chain. A closure met on the way closed the account after that payment.
pub fn read_my_position() -> ExternResult<Position> {
    let me = agent_info()?.agent_initial_pubkey;
    let village = current_village()?;
    let (payment_type, closure_type, request_type) =
        (entry_type(UnitEntryTypes::Payment)?, entry_type(UnitEntryTypes::AccountClosure)?, entry_type(UnitEntryTypes::CashOutRequest)?);
    let mut latest: Option<Record> = None;
    let (mut closed_since_latest, mut requested_since_latest) = (false, false);
    let walked = walk_own_chain_back(RECENT_ACTIONS, |record| {
        let kind = record.action().entry_type();
        if kind == Some(&payment_type) {
            latest = Some(record.clone());
            return Ok(true);
        }
        closed_since_latest |= kind == Some(&closure_type);
        requested_since_latest |= kind == Some(&request_type);
        Ok(false)
    })?;
    if walked.is_none() {
        return read_my_position_from_whole_chain(&me, &village);
    }
    let mut position = match &latest {
        None => Position::opening(village.funds.len()),
        Some(record) => position_left_by(record, &me, &village)?,
    };
    position.note_written_since(closed_since_latest, requested_since_latest);
    Ok(position)
}

/// `read_my_position` by queries over the whole chain: when the latest payment is further back
/// than `RECENT_ACTIONS`, or a record is not yet in the store.
fn read_my_position_from_whole_chain(me: &AgentPubKey, village: &VillageProperties) -> ExternResult<Position> {
    let payments = query(ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::Payment)?).include_entries(true))?;
    let closures = query(ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::AccountClosure)?))?;
    let requests = query(ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::CashOutRequest)?))?;
    let latest = payments.into_iter().max_by_key(|r| r.action().action_seq());
    let mut position = match &latest {
        None => Position::opening(village.funds.len()),
        Some(record) => position_left_by(record, me, village)?,
    };
    let seq = |r: &Record| r.action().action_seq();
    let latest_seq = latest.as_ref().map(seq);
    position.note_written_since(
        closed_since(latest_seq, closures.iter().map(seq).max()),
        written_since_payment(latest_seq, requests.iter().map(seq).max()),
    );
    Ok(position)
}

/// Any member's position, read from the DHT: its newest valid payment action, and any closure after it.
pub fn position_of(agent: &AgentPubKey) -> ExternResult<Position> {
    if *agent == agent_info()?.agent_initial_pubkey {
        return read_my_position();
    }
    let village = current_village()?;
    let newest = |unit: UnitEntryTypes| -> ExternResult<Option<(u32, ActionHash)>> {
        let activity = agent_activity(agent, ChainQueryFilter::new().entry_type(entry_type(unit)?), ActivityRequest::Full)?;
        Ok(counted_payment(&activity.valid_activity).cloned())
    };
    let latest = newest(UnitEntryTypes::Payment)?;
    let mut position = match &latest {
        None => Position::opening(village.funds.len()),
        Some((_, hash)) => {
            let record =
                fetch_record(hash.clone())?.ok_or_else(|| refuse(ViolationCode::NotSynced, "the member's latest payment is not reachable yet"))?;
            position_left_by(&record, agent, &village)?
        }
    };
    let latest_seq = latest.as_ref().map(|(seq, _)| *seq);
    position.note_written_since(
        closed_since(latest_seq, newest(UnitEntryTypes::AccountClosure)?.map(|(seq, _)| seq)),
        written_since_payment(latest_seq, newest(UnitEntryTypes::CashOutRequest)?.map(|(seq, _)| seq)),
    );
    Ok(position)
}

/// This agent's latest payment and the account it left, as its next payment must start from them.
#[hdk_extern]
pub fn my_position(_: ()) -> ExternResult<Position> {
    read_my_position()
}

/// A member's account as it stands now, with the limits it is held to.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AccountView {
    pub agent: AgentPubKey,
    /// Demurrage applied: what the member can spend now.
    pub balance: ledger_integrity::Units,
    /// Part of the balance earned through care: spendable, never cashable.
    pub care: ledger_integrity::Units,
    pub cashable: ledger_integrity::Units,
    pub earned: ledger_integrity::Units,
    pub floor: ledger_integrity::Units,
    pub ceiling: ledger_integrity::Units,
    pub commons: Vec<ledger_integrity::Units>,
    pub cash_outs: u32,
    pub closed: bool,
}

pub fn account_view(agent: &AgentPubKey, position: &Position, village: &VillageProperties) -> ExternResult<AccountView> {
    let account = aged_to(position, sys_time()?, village)?;
    let limits = village.limits_for(&account);
    Ok(AccountView {
        agent: agent.clone(),
        balance: account.balance,
        care: account.care,
        cashable: account.cashable(),
        earned: account.earned,
        floor: limits.floor,
        ceiling: limits.ceiling,
        commons: account.commons.clone(),
        cash_outs: account.cash_outs,
        closed: position.closed,
    })
}

#[hdk_extern]
pub fn my_account(_: ()) -> ExternResult<AccountView> {
    let me = agent_info()?.agent_initial_pubkey;
    account_view(&me, &read_my_position()?, &current_village()?)
}

#[hdk_extern]
pub fn account_of(agent: AgentPubKey) -> ExternResult<AccountView> {
    account_view(&agent, &position_of(&agent)?, &current_village()?)
}

#[hdk_extern]
pub fn my_balance(_: ()) -> ExternResult<ledger_integrity::Units> {
    Ok(my_account(())?.balance)
}

#[hdk_extern]
pub fn balance_of(agent: AgentPubKey) -> ExternResult<ledger_integrity::Units> {
    Ok(account_of(agent)?.balance)
}

/// Of a member's payments (sequence, action), the one the ledger counts as its latest: the highest,
/// the lower action hash among two at one position of a forked chain, so every peer counts the
/// same history.
pub fn counted_payment(payments: &[(u32, ActionHash)]) -> Option<&(u32, ActionHash)> {
    payments.iter().max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.get_raw_39().cmp(a.1.get_raw_39())))
}
