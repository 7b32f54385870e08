//! Members whose chains forked: two histories from one chain position, each spending from the same
//! account. Honest witnesses refuse every later session of a forked or warranted member, so a fork
//! needs a colluding witness (or a member whose copied node paid before the witness could see its
//! twin's payment); when one happens, the ledger says who forked and what they owe the village.
use crate::activity::{agent_activity, fetch_record};
use crate::position::{counted_payment, entry_type, payment_of, position_of, Position};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::fork_excess;
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, Account, UnitEntryTypes, Units};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct ForkedAccount {
    pub agent: AgentPubKey,
    pub name: String,
    /// The chain position at which the member's histories part.
    pub fork_seq: u32,
    /// Whether peers hold a warrant against the member (Holochain's ChainFork warrant).
    pub warranted: bool,
    /// How many histories hold payments after the fork.
    pub branches: u32,
    /// Credit the member's other histories handed out that no debit matches: the village's total
    /// is off by the sum of this over forked members (`fork_excess`).
    pub owes: Units,
}

/// The member's fork, if its agent activity authorities report one, with the position of the
/// history the ledger counts for it (read from the same answer, so its line and what it owes agree).
pub fn fork_of(agent: &AgentPubKey, name: &str) -> ExternResult<Option<(ForkedAccount, Position)>> {
    let status = agent_activity(agent, ChainQueryFilter::new(), ActivityRequest::Status)?;
    let ChainStatus::Forked(fork) = status.status else {
        return Ok(None);
    };
    let payments =
        agent_activity(agent, ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::Payment)?), ActivityRequest::Full)?.valid_activity;
    // The account a payment left the member with, the member's previous payment it names, and its time.
    let account_after = |hash: &ActionHash| -> ExternResult<(Account, Option<ActionHash>, i64)> {
        let record = fetch_record(hash.clone())?.ok_or_else(|| refuse(ViolationCode::NotSynced, "a forked member's payment is not reachable yet"))?;
        let payment = payment_of(&record)?;
        let side = payment.side_of(agent).cloned().ok_or_else(|| refuse(ViolationCode::BrokenContinuity, "payment does not name the member"))?;
        Ok((side.after, side.previous_payment, payment.at.as_micros()))
    };
    let funds = current_village()?.funds.len();
    let at_fork = match payments.iter().filter(|(seq, _)| *seq < fork.fork_seq).max_by_key(|(seq, _)| *seq) {
        Some((_, hash)) => account_after(hash)?.0,
        None => Account::opening(funds),
    };
    // A history's end is a payment after the fork that no later payment names as its previous one.
    let after_fork: Vec<&(u32, ActionHash)> = payments.iter().filter(|(seq, _)| *seq >= fork.fork_seq).collect();
    let mut read = Vec::with_capacity(after_fork.len());
    for (seq, hash) in &after_fork {
        let (account, previous, at) = account_after(hash)?;
        read.push((*seq, hash.clone(), account, previous, at));
    }
    let named_as_previous: Vec<&ActionHash> = read.iter().filter_map(|(_, _, _, previous, _)| previous.as_ref()).collect();
    let ends: Vec<_> = read.iter().filter(|(_, hash, _, _, _)| !named_as_previous.contains(&hash)).collect();
    let end_positions: Vec<(u32, ActionHash)> = ends.iter().map(|(seq, hash, _, _, _)| (*seq, hash.clone())).collect();
    let counted = counted_payment(&end_positions).and_then(|c| end_positions.iter().position(|e| e == c)).unwrap_or(0);
    let end_accounts: Vec<Account> = ends.iter().map(|(_, _, account, _, _)| account.clone()).collect();
    let counted_position = match ends.get(counted) {
        Some((_, hash, account, _, at)) => Position { latest_payment: Some(hash.clone()), account: account.clone(), at: Some(*at), closed: false },
        None => position_of(agent)?,
    };
    let forked = ForkedAccount {
        agent: agent.clone(),
        name: name.to_string(),
        fork_seq: fork.fork_seq,
        warranted: !status.warrants.is_empty(),
        branches: end_accounts.len() as u32,
        owes: fork_excess(&at_fork, &end_accounts, counted).map_err(crate::error::violation)?,
    };
    Ok(Some((forked, counted_position)))
}
