//! The whole village's ledger as one peer reads it from the DHT: every account, the commons
//! funds, and the total, which is zero whenever this peer is in sync. Anyone can compute a fund's
//! balance: it is the sum of every account's contributions to it.
use crate::forks::{fork_of, ForkedAccount};
use crate::members::list_members;
use crate::position::{aged_to, position_of};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{fund_spent, Role};
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, Payment, Units};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct LedgerLine {
    pub agent: AgentPubKey,
    pub name: String,
    /// "member", "treasury" or "boundary".
    pub role: String,
    pub balance: Units,
    pub care: Units,
    pub closed: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct FundBalance {
    pub name: String,
    pub balance: Units,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct VillageLedger {
    pub lines: Vec<LedgerLine>,
    pub funds: Vec<FundBalance>,
    /// Sum of every balance and every fund: whenever this peer is in sync, zero, or, if members
    /// forked their chains, the sum of what they owe.
    pub total: Units,
    /// Members whose chains forked, each counted at one history, and what they owe beyond it.
    pub forks: Vec<ForkedAccount>,
}

#[hdk_extern]
pub fn village_ledger(_: ()) -> ExternResult<VillageLedger> {
    read_village_ledger()
}

/// Every account aged to now, read from the DHT, with the funds they add up to.
pub fn read_village_ledger() -> ExternResult<VillageLedger> {
    let village = current_village()?;
    let now = sys_time()?;
    let mut lines = Vec::new();
    let mut funds: Vec<FundBalance> = village.funds.iter().map(|f| FundBalance { name: f.name.clone(), balance: 0 }).collect();
    let overflow = || refuse(ViolationCode::Overflow, "ledger total out of range");
    let mut forks = Vec::new();
    for member in list_members(GetStrategy::Network)? {
        let position = match fork_of(&member.agent, &member.name)? {
            Some((forked, counted)) => {
                forks.push(forked);
                counted
            }
            None => position_of(&member.agent)?,
        };
        let account = aged_to(&position, now, &village)?;
        for (fund, contribution) in funds.iter_mut().zip(&account.commons) {
            fund.balance = fund.balance.checked_add(*contribution).ok_or_else(overflow)?;
        }
        let role = match village.role_of(&member.agent) {
            Role::Member => "member",
            Role::Treasury => "treasury",
            Role::Boundary => "boundary",
            Role::Witness => "witness",
        };
        lines.push(LedgerLine {
            agent: member.agent,
            name: member.name,
            role: role.into(),
            balance: account.balance,
            care: account.care,
            closed: position.closed,
        });
    }
    let total = lines
        .iter()
        .map(|l| l.balance)
        .chain(funds.iter().map(|f| f.balance))
        .try_fold(0 as Units, |sum, b| sum.checked_add(b))
        .ok_or_else(overflow)?;
    Ok(VillageLedger { lines, funds, total, forks })
}

/// For a payment out of a commons fund (`fund_spent`: treasury spending, a deficit settled): the least the fund holds, read only as far as it covers the spend,
/// as the treasury's app (drafting) and the witness (attesting) both compute it. Every other
/// account's contribution to a fund only grows (levies, demurrage, surpluses) and starts at zero,
/// so the sum of any of them, read at any lag, undercounts and never lets the treasury overspend:
/// the read stops once it covers the amount instead of reading every member's account (in a
/// village of 200 that took longer than a call's minute, `bench:village-month`). The treasury's own
/// contribution, the only one that falls, is taken from the payment's `before`, which validation
/// binds to the treasury's attested chain top, rather than from a read that may not yet show its
/// last spend. `None` for any other kind.
pub fn fund_held_for_spend(payment: &Payment) -> ExternResult<Option<Units>> {
    let village = current_village()?;
    let Some(fund) = fund_spent(&payment.kind, &payment.payer.agent, &village) else {
        return Ok(None);
    };
    let fund = fund as usize;
    let now = sys_time()?;
    let overflow = || refuse(ViolationCode::Overflow, "fund total out of range");
    let mut held = payment.payer.before.commons.get(fund).copied().ok_or_else(|| refuse(ViolationCode::UnknownFund, "no such fund"))?;
    for member in list_members(GetStrategy::Network)? {
        if held >= payment.amount {
            break;
        }
        if member.agent == payment.payer.agent {
            continue;
        }
        let account = aged_to(&position_of(&member.agent)?, now, &village)?;
        held = held.checked_add(account.commons.get(fund).copied().unwrap_or(0)).ok_or_else(overflow)?;
    }
    Ok(Some(held))
}
