//! The whole village's ledger as one peer reads it from the DHT: every account, the commons
//! funds, and the total, which is zero whenever this peer is in sync. Anyone can compute a fund's
//! balance: it is the sum of every account's contributions to it.
use crate::members::list_members;
use crate::position::{aged_to, position_of};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::Role;
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, Units};

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
    /// Sum of every balance and every fund: zero whenever this peer is in sync.
    pub total: Units,
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
    for member in list_members(GetStrategy::Network)? {
        let position = position_of(&member.agent)?;
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
    Ok(VillageLedger { lines, funds, total })
}
