//! Leaving the village: the treasury settles the member's balance to zero (a `Settlement`
//! payment), which closes the account in the same step; a member whose balance is already zero
//! closes it here instead. After either, no payment can name it.
use crate::error::violation;
use crate::position::read_my_position;
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{check_closure, Role};
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, AccountClosure, EntryTypes};

#[hdk_extern]
pub fn close_account(_: ()) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    let position = read_my_position()?;
    if position.closed {
        return Err(refuse(ViolationCode::AccountClosed, "this account is already closed"));
    }
    // The rule validation runs on the closure, checked before writing.
    let village = current_village()?;
    check_closure(&position.account, village.role_of(&me) == Role::Member).map_err(violation)?;
    create_entry(EntryTypes::AccountClosure(AccountClosure { member: me }))
}
