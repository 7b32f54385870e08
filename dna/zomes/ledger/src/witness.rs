//! A witness's side of a payment. Every payment session is enzymatic: a quorum of the village's
//! witnesses (a majority) are its first signers. Before it signs, a witness checks that each party's chain top
//! named in the request (and attested in its app bytes, which the witness's signature covers) is
//! that party's real, current, unforked top: the highest action the party's agent activity
//! authorities have seen, and newer than any session of the party this witness already signed.
//! Validation then walks continuity from exactly those tops, so a party cannot spend the same
//! credit twice by naming an older top (a fork) unless a witness colludes. Two sessions from one
//! top need two quorums, which share a witness: an honest one signs one session at a time (its
//! chain is locked meanwhile) and never one at a top it already signed.
use crate::activity::{agent_activity_views, fetch_record, own_chain_newest_first};
use crate::chain_lock::accept;
use crate::error::{violation, Refusal};
use crate::ledger::fund_held_for_spend;
use crate::position::payment_of;
use crate::refuse;
use crate::remote::RemoteReply;
use crate::session::{commit_countersigned, released_orphaned_lock, session_witnesses, written_here, AcceptPaymentInput, PaymentSession};
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{
    check_memo, check_payment_entry, check_reclaim, check_redemption, check_session_clock, distinct_village_witnesses, witness_quorum, ChainTop,
    PAYMENT_WINDOW_MS,
};
use ledger_integrity::{
    attested_tops, current_village, party_chain_held_now, voucher_payee_seen_now, voucher_unclaimed_now, Payment, PaymentKind, UnitEntryTypes,
    VillageProperties, ViolationCode,
};

/// How many of its newest actions a witness searches for sessions it already signed.
const WITNESS_MEMORY_ACTIONS: u32 = 512;

/// Checks a session and signs it, in one call: the witness's preflight response. Nothing is
/// locked until every check has passed, so a refusal or a `witness_behind` (the payer asks again)
/// costs the witness nothing; the payer locks its own chain only once the witness has signed.
#[hdk_extern]
pub fn witness_payment(input: AcceptPaymentInput) -> ExternResult<RemoteReply<PreflightResponse>> {
    Ok(check_session(&input).and_then(|()| accept(&input.request, &input.payment)?.ok_or_else(released_orphaned_lock)).into())
}

/// Each witness commits the payment on its own chain too: its record is its memory of the chain
/// tops it attested. Asked again after it wrote (a reply lost, another witness still missing), it
/// answers with what it wrote.
#[hdk_extern]
pub fn commit_payment_as_witness(session: PaymentSession) -> ExternResult<RemoteReply<ActionHash>> {
    let me = agent_info()?.agent_initial_pubkey;
    if !session_witnesses(&session)?.contains(&me) {
        return Ok(Err(refuse(ViolationCode::NoWitness, "this agent is not one of the session's witnesses")).into());
    }
    if let Some(written) = written_here(&session)? {
        return Ok(Ok(written).into());
    }
    Ok(commit_countersigned(&session).into())
}

/// Everything the witness checks before it signs a session.
fn check_session(input: &AcceptPaymentInput) -> ExternResult<()> {
    let info = agent_info()?;
    let me = info.agent_initial_pubkey;
    let village = current_village()?;
    let (payment, request) = (&input.payment, &input.request);
    if !village.witnesses.contains(&me) {
        return Err(refuse(ViolationCode::NoWitness, "this agent is not one of the village's witnesses"));
    }
    let signers: Vec<AgentPubKey> = request.signing_agents.iter().map(|(a, _)| a.clone()).collect();
    let redemption = matches!(payment.kind, PaymentKind::Redemption { .. });
    let reclaim = matches!(payment.kind, PaymentKind::Reclaim { .. });
    let parties = payment.signing_parties();
    let quorum = witness_quorum(village.witnesses.len());
    let witnesses = signers.get(..quorum).unwrap_or_default();
    if !request.enzymatic
        || signers.get(quorum..) != Some(&parties[..])
        || !distinct_village_witnesses(witnesses, &village)
        || !witnesses.contains(&me)
    {
        return Err(refuse(
            ViolationCode::NoWitness,
            format!("a witnessed session is enzymatic: {quorum} distinct village witnesses, this one among them, then payer and payee (a redemption's or reclaim's payee alone)"),
        ));
    }
    if request.app_entry_hash != hash_entry(payment)? {
        return Err(refuse(ViolationCode::ForgedCounterparty, "the session request does not match the payment"));
    }
    check_times(payment, request)?;
    // The witness's record of this session will carry the session's time: its chain's times only
    // go forward, so a session older than one it already signed must be drafted again.
    if (*request.session_times.start() + SESSION_ACTION_TIME_OFFSET).map_err(|e| refuse(ViolationCode::Overflow, e))? <= info.chain_head.2 {
        return Err(refuse(ViolationCode::SignedLaterSession, "the witness has signed a later session meanwhile; draft the payment again"));
    }
    check_memo(&payment.memo).map_err(violation)?;
    check_payment_entry(&payment.facts(), &parties, &village).map_err(violation)?;
    let tops = attested_tops(request).ok_or_else(|| refuse(ViolationCode::NoWitness, "the request carries no chain tops to attest"))?;
    // A redemption's payer takes no part: what is attested for it is where the voucher sits. A
    // reclaim's payer side is the voucher's payee: what is attested for it is its current top.
    let mut parties = vec![(&payment.payee.agent, &tops.payee)];
    if redemption {
        check_voucher_still_stands(payment, &tops.payer)?;
    } else {
        if reclaim {
            check_voucher_unclaimed(payment, &tops.payer, &village)?;
        }
        parties.insert(0, (&payment.payer.agent, &tops.payer));
    }
    let remembered = tops_already_witnessed(&parties.iter().map(|(agent, _)| *agent).collect::<Vec<_>>(), info.chain_head.1)?;
    for (agent, top) in parties {
        let seen = remembered.get(agent).copied();
        if let Some(seen) = seen.filter(|seen| *seen > top.seq) {
            return Err(refuse(
                ViolationCode::StaleChainTop,
                format!("this witness already signed a session of that party at chain position {seen}"),
            ));
        }
        check_current_top(agent, top)?;
        // Signed here at this very position, yet the party's authorities show nothing after it:
        // that session has not finished (a conductor stopped mid-payment). Its outcome decides, so
        // the party waits for it here rather than going to another witness.
        if seen == Some(top.seq) {
            return Err(refuse(
                ViolationCode::SessionUnsettled,
                format!("this witness holds an unfinished session of that party at chain position {}; it signs again once that session completes or is dropped", top.seq),
            ));
        }
    }
    // This witness's validation of its own record reads the parties' chains from its own store:
    // it signs only once that store holds them, or its commit would wait on DepMissingFromDht,
    // possibly past the window, while every signer's chain stays locked.
    let walked =
        if redemption || reclaim { vec![(&payment.payee, &tops.payee)] } else { vec![(&payment.payer, &tops.payer), (&payment.payee, &tops.payee)] };
    for (party, top) in walked {
        party_chain_held_now(party, top.hash.clone(), &village)
            .map_err(|_| refuse(ViolationCode::WitnessBehind, "the witness's own store does not yet hold the party's latest actions"))?
            .map_err(violation)?;
    }
    // The fund figure the treasury names is one this witness can stand behind: at most what it
    // reads itself (a lagging read only refuses, and the treasury asks again).
    if let (Some(named), Some(read)) = (tops.fund_held, fund_held_for_spend(payment)?) {
        if named > read {
            return Err(refuse(ViolationCode::FundShort, format!("the treasury names a fund of {named}; this witness reads {read}")));
        }
    }
    Ok(())
}

/// A reclaim takes back a voucher by its own rules (`check_reclaim`), and the voucher's payee's
/// chain, from the top attested (checked current with the other party's), holds no redemption of
/// it and reaches past its expiry (or a week passed), as this witness's own store shows it (its
/// validation reads the same).
fn check_voucher_unclaimed(payment: &Payment, payee_top: &ChainTop<ActionHash>, village: &VillageProperties) -> ExternResult<()> {
    let PaymentKind::Reclaim { voucher } = &payment.kind else {
        return Err(refuse(ViolationCode::WrongVoucher, "not a reclaim"));
    };
    let record = fetch_record(voucher.clone())?.ok_or_else(|| refuse(ViolationCode::WitnessBehind, "the witness has not yet seen this voucher"))?;
    let voucher_payment = payment_of(&record)?;
    check_reclaim(&payment.facts(), &voucher_payment.facts(), record.action().author(), village.funds.len()).map_err(violation)?;
    let behind = |_| refuse(ViolationCode::WitnessBehind, "the witness's own store does not yet hold the voucher payee's chain");
    voucher_unclaimed_now(&payment.payer.agent, payee_top.hash.clone(), voucher, record.action().timestamp()).map_err(behind)?.map_err(violation)?;
    voucher_payee_seen_now(&voucher_payment, payee_top.hash.clone(), payment.at).map_err(behind)?.map_err(violation)
}

/// A redemption's voucher must still be part of its payer's one history: the voucher the
/// redemption matches (`check_redemption`), at the position attested, with no other action of the
/// payer there, and a chain neither forked, invalid nor warranted. A payer who wrote something else
/// at that position spent the voucher's credit twice.
fn check_voucher_still_stands(payment: &Payment, voucher_top: &ChainTop<ActionHash>) -> ExternResult<()> {
    let PaymentKind::Redemption { voucher } = &payment.kind else {
        return Ok(());
    };
    let record = fetch_record(voucher.clone())?.ok_or_else(|| refuse(ViolationCode::WitnessBehind, "the witness has not yet seen this voucher"))?;
    let voucher_payment = payment_of(&record)?;
    check_redemption(&payment.facts(), &voucher_payment.facts(), record.action().author()).map_err(violation)?;
    if voucher_top.hash != *voucher || voucher_top.seq != record.action().action_seq() {
        return Err(refuse(ViolationCode::UnattestedChainTop, "a redemption attests where its voucher sits on its payer's chain"));
    }
    // The payer's own conductor may answer the network read with a history that hides the second
    // action, so this witness's own store is read too (`agent_activity_views`).
    for activity in agent_activity_views(record.action().author(), from_position(voucher_top.seq), ActivityRequest::Full)? {
        if matches!(activity.status, ChainStatus::Forked(_) | ChainStatus::Invalid(_)) || !activity.warrants.is_empty() {
            return Err(refuse(ViolationCode::StaleChainTop, "the voucher's payer has a forked, invalid or warranted chain"));
        }
        if activity.valid_activity.iter().any(|(seq, hash)| *seq == voucher_top.seq && hash != voucher) {
            return Err(refuse(
                ViolationCode::StaleChainTop,
                "the payer's chain holds another action where the voucher was written: it spent that credit twice",
            ));
        }
    }
    Ok(())
}

fn check_times(payment: &Payment, request: &PreflightRequest) -> ExternResult<()> {
    let (start, end) = (request.session_times.start().as_micros(), request.session_times.end().as_micros());
    if start != payment.at.as_micros() || end - start > PAYMENT_WINDOW_MS as i64 * 1000 {
        return Err(refuse(ViolationCode::WrongTime, format!("a payment's session starts at its time and lasts at most {PAYMENT_WINDOW_MS} ms")));
    }
    check_session_clock(start, sys_time()?.as_micros()).map_err(violation)
}

/// How many of its newest actions the witness reads at a time when searching its memory.
const MEMORY_PAGE: u32 = 32;

/// The highest chain position of each of `parties` this witness has already signed a session at:
/// its own chain holds every payment it witnessed. It reads its newest actions first, a page at a
/// time, and stops once it has met every party (it only ever signs a party at a higher position
/// than before, so the newest session it finds is the highest) or after `WITNESS_MEMORY_ACTIONS`.
/// Members who pay often are found in the first page, so the cost follows how recently a party
/// paid, not how long any chain is.
fn tops_already_witnessed(parties: &[&AgentPubKey], head: u32) -> ExternResult<std::collections::HashMap<AgentPubKey, u32>> {
    let payments = ChainQueryFilter::new().entry_type(EntryType::try_from(UnitEntryTypes::Payment)?).include_entries(true);
    let mut seen = std::collections::HashMap::new();
    own_chain_newest_first(payments, MEMORY_PAGE, head.saturating_sub(WITNESS_MEMORY_ACTIONS), |records| {
        for record in records {
            let Some(Entry::CounterSign(session, _)) = record.entry().as_option() else { continue };
            for party in parties {
                if let Ok(state) = session.agent_state_for_agent(party) {
                    let seq = seen.entry((*party).clone()).or_insert(0);
                    *seq = (*seq).max(*state.action_seq());
                }
            }
        }
        Ok(parties.iter().all(|p| seen.contains_key(*p)))
    })?;
    Ok(seen)
}

/// How often one check asks the party's authorities again while their answer is behind the claimed
/// top: each ask may reach a different authority, and one that already holds the latest actions
/// settles it.
const AUTHORITY_ASKS: usize = 25;

/// The party's agent activity authorities must have seen exactly this top as its newest action,
/// with no fork, no invalid action and no warrant.
fn check_current_top(agent: &AgentPubKey, top: &ChainTop<ActionHash>) -> ExternResult<()> {
    let mut outcome = check_current_top_once(agent, top)?;
    for _ in 1..AUTHORITY_ASKS {
        match &outcome {
            Err(refusal) if refusal.is(ViolationCode::WitnessBehind) => outcome = check_current_top_once(agent, top)?,
            _ => break,
        }
    }
    Ok(outcome?)
}

/// One ask: a host error fails the check; a refusal (stale, or the authorities behind) is the answer.
fn check_current_top_once(agent: &AgentPubKey, top: &ChainTop<ActionHash>) -> ExternResult<Result<(), Refusal>> {
    // Only the actions from the claimed top on: the authorities read a few rows, not the whole
    // chain (measured: a status over the whole chain made every payment slower as chains grew). A
    // fork below the claimed top shows as the ChainFork warrant its authorities write. The network's
    // answer may be the party's own conductor's, so this witness's own store is read too, and the
    // more advanced view decides (`agent_activity_views`).
    let views = agent_activity_views(agent, from_position(top.seq), ActivityRequest::Status)?;
    let stale = |why: String| Ok(Err(Refusal::new(ViolationCode::StaleChainTop, why)));
    for activity in &views {
        match &activity.status {
            ChainStatus::Forked(_) => return stale("the party's chain is forked: it has spent from two histories".into()),
            ChainStatus::Invalid(_) => return stale("the party's chain holds an action its authorities found invalid".into()),
            _ => {}
        }
        if !activity.warrants.is_empty() {
            return stale("the party has been warranted by its peers".into());
        }
    }
    let Some(highest_seq) = views.iter().filter_map(|a| a.highest_observed.as_ref()).map(|h| h.action_seq).max() else {
        return Ok(Err(Refusal::new(ViolationCode::WitnessBehind, "the witness has not yet seen this party's chain")));
    };
    if highest_seq < top.seq {
        return Ok(Err(Refusal::new(ViolationCode::WitnessBehind, "the witness has not yet seen the party's latest actions")));
    }
    // Every action either view holds at the highest position: exactly the claimed one, or stale.
    let mut at_highest: Vec<&ActionHash> =
        views.iter().filter_map(|a| a.highest_observed.as_ref()).filter(|h| h.action_seq == highest_seq).flat_map(|h| &h.hash).collect();
    at_highest.sort();
    at_highest.dedup();
    if highest_seq > top.seq || at_highest != [&top.hash] {
        return stale(format!("the session names chain position {} but the party's chain is at {highest_seq}: an older or forked history", top.seq));
    }
    Ok(Ok(()))
}

/// A party's actions from chain position `seq` on.
fn from_position(seq: u32) -> ChainQueryFilter {
    ChainQueryFilter::new().sequence_range(ChainQueryFilterRange::ActionSeqRange(seq, u32::MAX))
}
