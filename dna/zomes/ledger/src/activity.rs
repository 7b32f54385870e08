//! Reading other members' data from the DHT, partition-tolerant.

use hdk::prelude::*;
use ledger_integrity::ledger_rules::ChainTop;

/// `agent`'s activity as its authorities report it; when they cannot be reached (the village LAN
/// is split and some of them are on the other side), as this conductor's own store holds it. In a
/// village-sized DHT every conductor holds all of it, so this conductor is itself an authority
/// for `agent`: an honest one when it is a witness's. A store that lags only shows an older chain
/// top, which the callers treat as "not seen yet" (`witness_behind`, `not_synced`), never as
/// permission.
pub fn agent_activity(agent: &AgentPubKey, filter: ChainQueryFilter, request: ActivityRequest) -> ExternResult<AgentActivityStatus> {
    get_agent_activity(agent.clone(), filter.clone(), request, GetOptions::network())
        .or_else(|_| get_agent_activity(agent.clone(), filter, request, GetOptions::local()))
}

/// `agent`'s activity in two views: the network's answer, when one came, and this conductor's own
/// store. Holochain takes the network's first answer, and that may come from `agent`'s own
/// conductor (in a village-sized DHT every conductor is an authority for everyone), which a copied
/// or modified node answers with the history it likes. Callers that must not be fooled judge by
/// whichever view is more advanced.
pub fn agent_activity_views(agent: &AgentPubKey, filter: ChainQueryFilter, request: ActivityRequest) -> ExternResult<Vec<AgentActivityStatus>> {
    let mut views: Vec<AgentActivityStatus> = get_agent_activity(agent.clone(), filter.clone(), request, GetOptions::network()).into_iter().collect();
    views.push(get_agent_activity(agent.clone(), filter, request, GetOptions::local())?);
    Ok(views)
}

/// This agent's chain head: its hash and chain position.
pub fn own_chain_head() -> ExternResult<ChainTop<ActionHash>> {
    let (hash, seq, _) = agent_info()?.chain_head;
    Ok(ChainTop { hash, seq })
}

/// Where a walk back over this agent's own records stopped.
enum WalkEnd {
    /// The visitor had seen enough.
    Satisfied,
    /// The walk passed the chain's start, or the oldest position it was asked to read.
    Exhausted,
    /// The record at this chain position is not in this conductor's store (the head still in this
    /// call's scratch; perhaps an unfinished session's withheld action).
    NotHeld(u32),
}

/// The one walk all the others are made of: this agent's records from `start` back to position
/// `oldest`, newest first, read one at a time by hash from this conductor's store. Holochain
/// 0.7.1's `query` loads the whole chain whatever its filter (`SourceChain::query`), so a search
/// for something recent would cost the chain's length; `visit` says whether it has seen enough.
fn walk_store_back(start: Option<ChainTop<ActionHash>>, oldest: u32, mut visit: impl FnMut(Record) -> ExternResult<bool>) -> ExternResult<WalkEnd> {
    let mut next = start.filter(|top| top.seq >= oldest);
    while let Some(ChainTop { hash, seq }) = next {
        let Some(record) = get(hash, GetOptions::local())?.map(with_entry).transpose()? else {
            return Ok(WalkEnd::NotHeld(seq));
        };
        next = record.action().prev_action().cloned().filter(|_| seq > oldest).map(|hash| ChainTop { hash, seq: seq - 1 });
        if visit(record)? {
            return Ok(WalkEnd::Satisfied);
        }
    }
    Ok(WalkEnd::Exhausted)
}

/// This agent's own records back from its chain head, newest first, at most `max` of them
/// (`walk_store_back`). `visit` says whether it has found what it looks for. `Some(())` once it
/// has, or once the walk reached the chain's start; `None` after `max` records without that, or
/// at a record the store does not hold: the caller then queries.
pub fn walk_own_chain_back(max: u32, mut visit: impl FnMut(&Record) -> ExternResult<bool>) -> ExternResult<Option<()>> {
    let mut read = 0;
    let mut found = false;
    let end = walk_store_back(Some(own_chain_head()?), 0, |record| {
        read += 1;
        found = visit(&record)?;
        let more_to_read = record.action().prev_action().is_some();
        Ok(found || (read >= max && more_to_read))
    })?;
    Ok(match end {
        WalkEnd::Satisfied => found.then_some(()),
        WalkEnd::Exhausted => Some(()),
        WalkEnd::NotHeld(seq) => is_genesis(seq).then_some(()),
    })
}

/// Whether a chain position is one of the three genesis records (the DNA, the membrane proof, the
/// agent key), which hold no ledger entry: a walk that cannot read them has read all that matters.
fn is_genesis(seq: u32) -> bool {
    seq < 3
}

/// Walks this agent's own chain back from its head, `page` records at a time (newest first), no
/// further than position `oldest`: `visit` sees the records of each page that match `filter` and
/// says whether it has seen enough. So a search for something recent costs what is recent, not the
/// chain's length.
pub fn own_chain_newest_first(
    filter: ChainQueryFilter,
    page: u32,
    oldest: u32,
    visit: impl FnMut(&[Record]) -> ExternResult<bool>,
) -> ExternResult<()> {
    own_chain_back_from(Some(own_chain_head()?), filter, page, oldest, visit)
}

/// `own_chain_newest_first` from the record `start` instead of the head, read from this
/// conductor's store (`walk_store_back`); from a record the store does not hold on, the rest is
/// read by queries.
pub fn own_chain_back_from(
    start: Option<ChainTop<ActionHash>>,
    filter: ChainQueryFilter,
    page: u32,
    oldest: u32,
    mut visit: impl FnMut(&[Record]) -> ExternResult<bool>,
) -> ExternResult<()> {
    let mut batch = Vec::with_capacity(page as usize);
    let end = walk_store_back(start, oldest, |record| {
        batch.push(record);
        if batch.len() < page as usize {
            return Ok(false);
        }
        visit(&filter.filter_records(std::mem::take(&mut batch)))
    })?;
    match end {
        WalkEnd::Satisfied => Ok(()),
        WalkEnd::Exhausted => {
            if !batch.is_empty() {
                visit(&filter.filter_records(batch))?;
            }
            Ok(())
        }
        WalkEnd::NotHeld(seq) => {
            if visit(&filter.filter_records(batch))? || is_genesis(seq) {
                return Ok(());
            }
            own_chain_back_by_query(seq, filter, page, oldest, visit)
        }
    }
}

/// `own_chain_back_from` by queries of `page` positions at a time, from position `newest`. Each
/// query loads the whole chain in Holochain 0.7.1.
fn own_chain_back_by_query(
    newest: u32,
    filter: ChainQueryFilter,
    page: u32,
    oldest: u32,
    mut visit: impl FnMut(&[Record]) -> ExternResult<bool>,
) -> ExternResult<()> {
    let mut high = newest;
    if high < oldest {
        return Ok(());
    }
    loop {
        let low = high.saturating_sub(page - 1).max(oldest);
        let records = query(filter.clone().sequence_range(ChainQueryFilterRange::ActionSeqRange(low, high)))?;
        if visit(&records)? || low <= oldest {
            return Ok(());
        }
        high = low - 1;
    }
}

/// A record by hash from the network, or, when the network cannot answer it (the same split), from
/// this conductor's own store. Records are content-addressed and signed, so where one comes from
/// does not change what it says.
pub fn fetch_record(hash: ActionHash) -> ExternResult<Option<Record>> {
    let found = match get(hash.clone(), GetOptions::network()) {
        Ok(Some(found)) => Some(found),
        _ => get(hash, GetOptions::local())?,
    };
    found.map(with_entry).transpose()
}

/// `record` with its entry, fetched by the entry's hash from the network when the store holds the
/// action without it. Holochain 0.7.1's abandon of a countersigning session deletes the session's
/// entry from the abandoning conductor's store (`remove_countersigning_session`) while actions of
/// the other signers naming that shared entry stay there; an entry is content-addressed, so one
/// found under its hash is the one the action signed.
pub fn with_entry(record: Record) -> ExternResult<Record> {
    let (RecordEntry::NotStored, Some(entry_hash)) = (&record.entry, record.action().entry_hash()) else {
        return Ok(record);
    };
    let entry = get(entry_hash.clone(), GetOptions::network()).ok().flatten().and_then(|holder| holder.entry.into_option());
    Ok(match entry {
        Some(entry) => Record::new(record.signed_action, RecordEntry::Present(entry)),
        None => record,
    })
}
