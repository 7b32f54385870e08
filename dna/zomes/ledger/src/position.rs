//! Where a member's ledger stands: its latest payment and the balance it left.
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::{Payment, UnitEntryTypes, Units};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Position {
    pub latest_payment: Option<ActionHash>,
    pub balance: Units,
}

pub fn payment_entry_type() -> ExternResult<EntryType> {
    EntryType::try_from(UnitEntryTypes::Payment)
}

pub fn payment_of(record: &Record) -> ExternResult<Payment> {
    Payment::from_record(record)?.ok_or_else(|| refuse("not_a_payment", "record holds no payment"))
}

/// Where the payment in `record` left `agent`.
fn position_left_by(record: &Record, agent: &AgentPubKey) -> ExternResult<Position> {
    let side = payment_of(record)?.side_of(agent).cloned().ok_or_else(|| refuse("broken_continuity", "payment does not name the member"))?;
    Ok(Position { latest_payment: Some(record.action_address().clone()), balance: side.balance_after })
}

/// How many of the newest actions to search for the latest payment before reading the whole chain.
const RECENT_ACTIONS: u32 = 32;

/// This agent's position, read from its own chain (no network). Looks at the newest actions first,
/// so the cost of a payment does not grow with the length of the chain.
pub fn read_my_position() -> ExternResult<Position> {
    let info = agent_info()?;
    let me = info.agent_initial_pubkey;
    let head_seq = info.chain_head.1;
    let payments = ChainQueryFilter::new().entry_type(payment_entry_type()?).include_entries(true);
    let recent = ChainQueryFilterRange::ActionSeqRange(head_seq.saturating_sub(RECENT_ACTIONS), head_seq);
    let mut found = query(payments.clone().sequence_range(recent))?;
    if found.is_empty() && head_seq > RECENT_ACTIONS {
        found = query(payments)?;
    }
    let Some(latest) = found.into_iter().max_by_key(|r| r.action().action_seq()) else {
        return Ok(Position { latest_payment: None, balance: 0 });
    };
    position_left_by(&latest, &me)
}

/// Any member's position, read from the DHT: its newest valid payment action.
pub fn position_of(agent: &AgentPubKey) -> ExternResult<Position> {
    if *agent == agent_info()?.agent_initial_pubkey {
        return read_my_position();
    }
    let activity = get_agent_activity(
        agent.clone(),
        ChainQueryFilter::new().entry_type(payment_entry_type()?),
        ActivityRequest::Full,
        GetOptions::network(),
    )?;
    let Some((_, latest)) = activity.valid_activity.into_iter().max_by_key(|(seq, _)| *seq) else {
        return Ok(Position { latest_payment: None, balance: 0 });
    };
    let record = get(latest, GetOptions::network())?
        .ok_or_else(|| refuse("not_synced", "the member's latest payment is not reachable yet"))?;
    position_left_by(&record, agent)
}

#[hdk_extern]
pub fn my_balance(_: ()) -> ExternResult<Units> {
    Ok(read_my_position()?.balance)
}

#[hdk_extern]
pub fn balance_of(agent: AgentPubKey) -> ExternResult<Units> {
    Ok(position_of(&agent)?.balance)
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct LedgerLine {
    pub agent: AgentPubKey,
    pub name: String,
    pub balance: Units,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct VillageLedger {
    pub lines: Vec<LedgerLine>,
    /// Sum of every member's balance: zero whenever this peer is in sync.
    pub total: Units,
}

/// Every member's balance as this peer reads it from the DHT, and their sum.
#[hdk_extern]
pub fn village_ledger(_: ()) -> ExternResult<VillageLedger> {
    let mut lines = Vec::new();
    for member in crate::members::list_members(GetStrategy::Network)? {
        let balance = position_of(&member.agent)?.balance;
        lines.push(LedgerLine { agent: member.agent, name: member.name, balance });
    }
    let total = lines.iter().try_fold(0 as Units, |sum, l| sum.checked_add(l.balance)).ok_or_else(|| refuse("overflow", "ledger total out of range"))?;
    Ok(VillageLedger { lines, total })
}

/// This agent's latest payment and balance, as its next payment must name them.
#[hdk_extern]
pub fn my_position(_: ()) -> ExternResult<Position> {
    read_my_position()
}
