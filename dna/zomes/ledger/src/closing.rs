//! Leaving the village: the treasury settles the member's balance to zero (a `Settlement`
//! payment), then the member closes its account, after which no payment can name it.
use crate::position::read_my_position;
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ViolationCode;
use ledger_integrity::{AccountClosure, EntryTypes};

#[hdk_extern]
pub fn close_account(_: ()) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    let position = read_my_position()?;
    if position.closed {
        return Err(refuse(ViolationCode::AccountClosed, "this account is already closed"));
    }
    if position.account.balance != 0 {
        return Err(refuse(
            "account_not_zero",
            format!("an account closes at zero; yours holds {} (settle it with the treasury first)", position.account.balance),
        ));
    }
    create_entry(EntryTypes::AccountClosure(AccountClosure { member: me }))
}
