use crate::activity::{agent_activity, fetch_record, own_chain_back_from, own_chain_head};
use crate::position::{entry_type, payment_of};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::ChainTop;
use ledger_integrity::ledger_rules::HISTORY_PAGE_MAX;
use ledger_integrity::ViolationCode;
use ledger_integrity::{Kind, Payment, StewardshipWork, UnitEntryTypes, Units};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct PaymentRecord {
    pub action_hash: ActionHash,
    pub entry_hash: EntryHash,
    pub timestamp: Timestamp,
    pub payment: Payment,
}

fn to_payment_record(record: &Record) -> ExternResult<PaymentRecord> {
    Ok(PaymentRecord {
        action_hash: record.action_address().clone(),
        entry_hash: record.action().entry_hash().cloned().ok_or_else(|| refuse(ViolationCode::NotAPayment, "no entry"))?,
        timestamp: record.action().timestamp(),
        payment: payment_of(record)?,
    })
}

/// This agent's payments, newest first.
#[hdk_extern]
pub fn history(_: ()) -> ExternResult<Vec<PaymentRecord>> {
    let mut records = query(ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::Payment)?).include_entries(true))?;
    records.sort_by_key(|r| std::cmp::Reverse(r.action().action_seq()));
    records.iter().map(to_payment_record).collect()
}

/// How many of this chain's actions a page's search reads at a time.
const HISTORY_SEARCH_ACTIONS: u32 = 64;

#[derive(Serialize, Deserialize, Debug)]
pub struct HistoryPageInput {
    /// The oldest payment of the page before this one; the newest payments when absent.
    pub before: Option<ActionHash>,
    pub limit: u32,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct HistoryPage {
    /// Newest first.
    pub records: Vec<PaymentRecord>,
    /// Whether older payments remain (ask again with `before` = the last record's action hash).
    pub more: bool,
}

/// One page of this agent's statement. The chain is read back from the page's start only as far
/// as the page reaches, so the first page costs the same on the 10,000th payment as on the 10th.
#[hdk_extern]
pub fn history_page(input: HistoryPageInput) -> ExternResult<HistoryPage> {
    if !(1..=HISTORY_PAGE_MAX).contains(&input.limit) {
        return Err(refuse(ViolationCode::InvalidPage, format!("a statement page holds 1 to {HISTORY_PAGE_MAX} payments, not {}", input.limit)));
    }
    let payment_type = entry_type(UnitEntryTypes::Payment)?;
    let payments = ChainQueryFilter::new().entry_type(payment_type.clone()).include_entries(true);
    let start = match &input.before {
        None => Some(own_chain_head()?),
        Some(hash) => {
            let me = agent_info()?.agent_initial_pubkey;
            let record = get(hash.clone(), GetOptions::local())?
                .filter(|r| *r.action().author() == me && r.action().entry_type() == Some(&payment_type))
                .ok_or_else(|| refuse(ViolationCode::NotAPayment, "the page must start after one of your own payments"))?;
            match (record.action().prev_action(), record.action().action_seq().checked_sub(1)) {
                (Some(prev), Some(seq)) => Some(ChainTop { hash: prev.clone(), seq }),
                _ => return Ok(HistoryPage { records: Vec::new(), more: false }),
            }
        }
    };
    let wanted = input.limit as usize;
    let mut found: Vec<Record> = Vec::new();
    own_chain_back_from(start, payments, HISTORY_SEARCH_ACTIONS, 0, |records| {
        let mut newest_first = records.to_vec();
        newest_first.sort_by_key(|r| std::cmp::Reverse(r.action().action_seq()));
        found.extend(newest_first);
        Ok(found.len() > wanted)
    })?;
    let more = found.len() > wanted;
    found.truncate(wanted);
    Ok(HistoryPage { records: found.iter().map(to_payment_record).collect::<ExternResult<_>>()?, more })
}

/// Any agent's valid payments, newest first, read from the DHT (from its own chain for this agent).
pub fn payments_of(agent: &AgentPubKey) -> ExternResult<Vec<PaymentRecord>> {
    if *agent == agent_info()?.agent_initial_pubkey {
        return history(());
    }
    let activity = agent_activity(agent, ChainQueryFilter::new().entry_type(entry_type(UnitEntryTypes::Payment)?), ActivityRequest::Full)?;
    let mut hashes = activity.valid_activity;
    hashes.sort_by_key(|(seq, _)| std::cmp::Reverse(*seq));
    let mut records = Vec::new();
    for (_, hash) in hashes {
        let record = fetch_record(hash)?.ok_or_else(|| refuse(ViolationCode::NotSynced, "a payment is not reachable yet"))?;
        records.push(to_payment_record(&record)?);
    }
    Ok(records)
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct CommonsShare {
    pub commons: String,
    pub work: StewardshipWork,
    pub amount: Units,
}

/// What share of a co-op's spending went to stewardship of the commons it uses.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct StewardshipReport {
    pub co_op: AgentPubKey,
    /// Everything the co-op paid (trades, purchases, stewardship).
    pub total_paid: Units,
    pub stewardship_paid: Units,
    /// Per commons and kind of work, in first-paid order.
    pub by_commons: Vec<CommonsShare>,
}

#[hdk_extern]
pub fn stewardship_report(co_op: AgentPubKey) -> ExternResult<StewardshipReport> {
    let mut report = StewardshipReport { co_op: co_op.clone(), total_paid: 0, stewardship_paid: 0, by_commons: Vec::new() };
    let mut payments = payments_of(&co_op)?;
    payments.reverse();
    for record in payments.iter().filter(|r| r.payment.payer.agent == co_op && r.payment.kind.is_levied()) {
        report.total_paid += record.payment.amount;
        if let Kind::Stewardship { commons, work } = &record.payment.kind {
            report.stewardship_paid += record.payment.amount;
            match report.by_commons.iter_mut().find(|s| &s.commons == commons && s.work == *work) {
                Some(share) => share.amount += record.payment.amount,
                None => report.by_commons.push(CommonsShare { commons: commons.clone(), work: *work, amount: record.payment.amount }),
            }
        }
    }
    Ok(report)
}
