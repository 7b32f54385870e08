use crate::position::{payment_entry_type, payment_of};
use hdk::prelude::*;
use ledger_integrity::Payment;

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct PaymentRecord {
    pub action_hash: ActionHash,
    pub entry_hash: EntryHash,
    pub timestamp: Timestamp,
    pub payment: Payment,
}

/// This agent's payments, newest first.
#[hdk_extern]
pub fn history(_: ()) -> ExternResult<Vec<PaymentRecord>> {
    let mut records = query(ChainQueryFilter::new().entry_type(payment_entry_type()?).include_entries(true))?;
    records.sort_by_key(|r| std::cmp::Reverse(r.action().action_seq()));
    records
        .iter()
        .map(|record| {
            Ok(PaymentRecord {
                action_hash: record.action_address().clone(),
                entry_hash: record.action().entry_hash().cloned().ok_or_else(|| crate::refuse("not_a_payment", "no entry"))?,
                timestamp: record.action().timestamp(),
                payment: payment_of(record)?,
            })
        })
        .collect()
}
