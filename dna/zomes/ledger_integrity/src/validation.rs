//! The `validate` dispatcher. Every op a peer is asked to hold is judged on purpose:
//! 1. A payment is countersigned in an enzymatic session witnessed by one of the village's
//!    witnesses, whose signature covers the parties' chain tops it attested; its payer and payee
//!    are the session's other two signers; its time is the session's start; its memo is bounded.
//! 2. The entry rules of `ledger_rules` with the village's parameters (roles, levies, care credits,
//!    zero sum, contribution-based limits, settlements), plus what needs a fetched record: a
//!    purchase pays its offer's price to its co-op, a cash-out settles a due request.
//! 3. Continuity of both parties' chains, walked from the attested chain tops: the payment names
//!    each party's latest payment and the account it left, aged by demurrage to the payment's time,
//!    neither party has closed its account since, and a party's first payment shows it joined
//!    with a steward's invitation.
//! 4. Offers price exactly their parts; a cash-out request is covered, numbered and alone when
//!    written; a member closes its account only at zero.
//! 5. Nothing in the ledger is ever updated or deleted; membership links are never deleted and an
//!    offer link only by its author; no chain holds private entries, key updates or migrations.
//! 6. Joining needs a steward's invitation (the membrane proof); a membership link names its own
//!    author under the name its invitation gave (a founder's: the founding properties'); every
//!    link's tag is bounded.
use crate::{
    attested_tops, check_joining, current_village, members_anchor, offers_anchor, CashOutRequest, EntryTypes, Invitation, LinkTypes, Offer,
    PartyState, Payment, PaymentKind, UnitEntryTypes, VillageProperties,
};
use hdi::prelude::*;
use ledger_rules::{
    check_amount, check_cash_out, check_cash_out_request, check_closure, check_continuity, check_fund_cover, check_link_tag, check_listed_name,
    check_memo, check_offer_listing, check_payee_seen_after_expiry, check_payment_entry, check_purchase, check_reclaim, check_redemption,
    check_session_times, check_voucher_issue, check_witnessed, closed_since, fund_spent, settles_member, witness_quorum, written_since_payment,
    ChainPosition, ChainTop, Role, Violation, ViolationCode, MAX_NAME_TAG_BYTES,
};

/// A membership link is written when an agent joins, within this many actions of its genesis, so
/// checking its name against the invitation walks a bounded stretch of chain.
const MAX_JOIN_SEQ: u32 = 64;

pub fn validate_op(op: Op) -> ExternResult<ValidateCallbackResult> {
    let verdict = match op.flattened::<EntryTypes, LinkTypes>()? {
        FlatOp::CreateEntry(entry_op) => validate_entry_op(&op, entry_op),
        FlatOp::CreateRecord(record_op) => validate_record_op(&op, record_op),
        FlatOp::AgentActivity(activity_op) => validate_activity_op(activity_op),
        FlatOp::Link(OpLink::CreateLink { link_type, action }) => validate_link(link_type, &action),
        FlatOp::Link(OpLink::DeleteLink { original_action, link_type, action }) => {
            validate_link_delete(link_type, original_action.author(), action.author())
        }
        FlatOp::Update(update) => match update {
            // Capability grants and claims are the agent's own access records, not ledger state.
            OpUpdate::CapClaim { .. } | OpUpdate::CapGrant { .. } => Ok(()),
            OpUpdate::Entry { .. } | OpUpdate::PrivateEntry { .. } => Err(immutable()),
            OpUpdate::Agent { .. } => Err(forbidden("an agent key cannot be replaced in this village")),
        },
        FlatOp::Delete(OpDelete { action }) => refuse_if_ledger_entry(&action.deletes_address),
    };
    match verdict {
        Ok(()) => Ok(ValidateCallbackResult::Valid),
        Err(Refusal::Invalid(violation)) => Ok(ValidateCallbackResult::Invalid(violation.to_string())),
        Err(Refusal::Host(error)) => Err(error),
    }
}

/// Entry authorities judge what the entry itself shows.
fn validate_entry_op(op: &Op, entry_op: OpEntry<EntryTypes>) -> Verdict {
    match entry_op {
        OpEntry::CreateEntry { app_entry, action } => validate_new_entry(op, app_entry, action.author(), None),
        OpEntry::CreateAgent { .. } | OpEntry::CreateCapGrant { .. } | OpEntry::CreateCapClaim { .. } => Ok(()),
        OpEntry::UpdateCapGrant { .. } | OpEntry::UpdateCapClaim { .. } => Ok(()),
        OpEntry::UpdateEntry { .. } => Err(immutable()),
        OpEntry::UpdateAgent { .. } => Err(forbidden("an agent key cannot be replaced in this village")),
    }
}

/// Record authorities see the whole action, including where it sits on its author's chain.
fn validate_record_op(op: &Op, record_op: OpRecord<EntryTypes, LinkTypes>) -> Verdict {
    match record_op {
        OpRecord::CreateEntry { app_entry, action } => validate_new_entry(op, app_entry, action.author(), action.prev_action().cloned()),
        OpRecord::CreatePrivateEntry { .. } | OpRecord::UpdatePrivateEntry { .. } => {
            Err(forbidden("this village has no private entries: everything on the ledger is public"))
        }
        OpRecord::CreateAgent { .. } | OpRecord::Dna { .. } | OpRecord::InitZomesComplete { .. } => Ok(()),
        OpRecord::CreateCapClaim { .. } | OpRecord::CreateCapGrant { .. } => Ok(()),
        OpRecord::UpdateCapClaim { .. } | OpRecord::UpdateCapGrant { .. } => Ok(()),
        OpRecord::UpdateEntry { .. } => Err(immutable()),
        OpRecord::UpdateAgent { .. } => Err(forbidden("an agent key cannot be replaced in this village")),
        OpRecord::OpenChain { .. } | OpRecord::CloseChain { .. } => Err(forbidden("a member's ledger chain cannot be closed or migrated")),
        OpRecord::DeleteEntry { action } => refuse_if_ledger_entry(&action.deletes_address),
        OpRecord::CreateLink { link_type, action } => validate_link(link_type, &action),
        OpRecord::DeleteLink { action } => {
            let original = must_get_action(action.link_add_address.clone())?.hashed.content;
            let link_type = match &original.data {
                ActionData::CreateLink(data) => LinkTypes::from_type(data.zome_index, data.link_type)?,
                _ => None,
            };
            match link_type {
                Some(link_type) => validate_link_delete(link_type, original.author(), action.author()),
                None => Err(invalid(ViolationCode::ForbiddenDelete, "only this village's links can be deleted here")),
            }
        }
        OpRecord::AgentValidationPkg { membrane_proof, action } => validate_joining(action.author(), membrane_proof.as_ref()),
    }
}

/// The author's agent activity authorities see every action of its chain, so they also refuse
/// what no chain in this village may hold: joining uninvited, private entries, updates, migration.
/// Entries and links are judged in full by their record and entry authorities.
fn validate_activity_op(activity_op: OpActivity<UnitEntryTypes, LinkTypes>) -> Verdict {
    match activity_op {
        OpActivity::AgentValidationPkg { membrane_proof, action } => validate_joining(action.author(), membrane_proof.as_ref()),
        OpActivity::CreatePrivateEntry { .. } | OpActivity::UpdatePrivateEntry { .. } => {
            Err(forbidden("this village has no private entries: everything on the ledger is public"))
        }
        OpActivity::UpdateEntry { .. } => Err(immutable()),
        OpActivity::UpdateAgent { .. } => Err(forbidden("an agent key cannot be replaced in this village")),
        OpActivity::OpenChain { .. } | OpActivity::CloseChain { .. } => Err(forbidden("a member's ledger chain cannot be closed or migrated")),
        OpActivity::CreateEntry { .. }
        | OpActivity::CreateAgent { .. }
        | OpActivity::CreateCapClaim { .. }
        | OpActivity::CreateCapGrant { .. }
        | OpActivity::UpdateCapClaim { .. }
        | OpActivity::UpdateCapGrant { .. }
        | OpActivity::DeleteEntry { .. }
        | OpActivity::CreateLink { .. }
        | OpActivity::DeleteLink { .. }
        | OpActivity::Dna { .. }
        | OpActivity::InitZomesComplete { .. } => Ok(()),
    }
}

fn validate_joining(agent: &AgentPubKey, membrane_proof: Option<&MembraneProof>) -> Verdict {
    Ok(check_joining(agent, membrane_proof, &current_village()?)?)
}

/// A rule's refusal, or a host error (e.g. a dependency not yet available) that must propagate so
/// the conductor retries instead of judging the op invalid.
enum Refusal {
    Invalid(Violation),
    Host(WasmError),
}

impl From<Violation> for Refusal {
    fn from(v: Violation) -> Self {
        Refusal::Invalid(v)
    }
}

impl From<WasmError> for Refusal {
    fn from(e: WasmError) -> Self {
        Refusal::Host(e)
    }
}

type Verdict = Result<(), Refusal>;

fn invalid(code: ViolationCode, why: impl Into<String>) -> Refusal {
    Violation::new(code, why).into()
}

fn immutable() -> Refusal {
    invalid(ViolationCode::ImmutablePayment, "the ledger's entries can never be updated or deleted")
}

fn forbidden(why: &str) -> Refusal {
    invalid(ViolationCode::ForbiddenOp, why)
}

/// `prev_action` is known on the record op (the author's chain is walked from it), not on the
/// entry op, whose authorities check only what the entry itself shows.
fn validate_new_entry(op: &Op, entry: EntryTypes, author: &AgentPubKey, prev_action: Option<ActionHash>) -> Verdict {
    match entry {
        EntryTypes::Payment(payment) => {
            let village = current_village()?;
            check_memo(&payment.memo)?;
            if let PaymentKind::Voucher { .. } = payment.kind {
                return validate_voucher(op, &payment, author, prev_action, &village);
            }
            let session = countersigning_session(op)?;
            // A redemption's or reclaim's voucher, read once for the entry's rules and the continuity walk.
            let voucher = match &payment.kind {
                PaymentKind::Redemption { voucher } | PaymentKind::Reclaim { voucher } => Some(voucher_of(voucher)?),
                _ => None,
            };
            validate_payment_entry(&payment, session, voucher.as_ref(), &village)?;
            if prev_action.is_some() {
                validate_continuity_of_both_parties(&payment, author, session, voucher.as_ref(), &village)?;
            }
            Ok(())
        }
        EntryTypes::Offer(offer) => Ok(check_offer_listing(&offer.title, &offer.breakdown())?),
        EntryTypes::CashOutRequest(request) => match prev_action {
            Some(prev) => validate_cash_out_request(&request, author, prev, op_timestamp(op)),
            None => Ok(check_amount(request.amount)?),
        },
        EntryTypes::AccountClosure(closure) => {
            if closure.member != *author {
                return Err(invalid(ViolationCode::WrongRole, "a member can only close its own account"));
            }
            match prev_action {
                Some(prev) => validate_closure(author, prev),
                None => Ok(()),
            }
        }
    }
}

/// A voucher is written by its payer alone, offline, as a plain entry: nobody else signs it and no
/// witness sees it. Its own rules, and on the record its payer's continuity from the action before
/// it, as for any payment, so it is covered by the payer's floor when written.
fn validate_voucher(op: &Op, payment: &Payment, author: &AgentPubKey, prev_action: Option<ActionHash>, village: &VillageProperties) -> Verdict {
    if countersigning_session(op).is_ok() {
        return Err(invalid(ViolationCode::WrongVoucher, "a voucher is written by its payer alone, not in a session"));
    }
    if *author != payment.payer.agent {
        return Err(invalid(ViolationCode::ForgedCounterparty, "a voucher is written on its payer's own chain"));
    }
    let facts = payment.facts();
    check_voucher_issue(&facts, op_timestamp(op).as_micros(), village.funds.len())?;
    check_payment_entry(&facts, std::slice::from_ref(author), village)?;
    if let Some(prev) = prev_action {
        let position = chain_position(&payment.payer, prev, village)?;
        check_continuity(&payment.payer, &position, payment.at.as_micros(), village)?;
    }
    Ok(())
}

/// The voucher a redemption names, checked by its own rules: the action recording it, and the voucher.
fn voucher_of(hash: &ActionHash) -> Result<(Action, Payment), Refusal> {
    let (action, voucher) = app_entry_of::<Payment>(hash, UnitEntryTypes::Payment, "voucher")?;
    let village = current_village()?;
    let facts = voucher.facts();
    check_voucher_issue(&facts, action.timestamp().as_micros(), village.funds.len())?;
    check_payment_entry(&facts, std::slice::from_ref(action.author()), &village)?;
    Ok((action, voucher))
}

/// The countersigning session of a payment entry; a plain (single-author) payment is refused.
fn countersigning_session(op: &Op) -> Result<&CounterSigningSessionData, Refusal> {
    let entry = match op {
        Op::CreateEntry(CreateEntry { entry, .. }) => Some(entry),
        Op::CreateRecord(CreateRecord { record }) => record.entry().as_option(),
        _ => None,
    };
    match entry {
        Some(Entry::CounterSign(session, _)) => Ok(session),
        _ => Err(invalid(ViolationCode::NotCountersigned, "a payment must be countersigned by payer and payee")),
    }
}

/// `voucher`: for a redemption, the voucher it names (`voucher_of`).
fn validate_payment_entry(
    payment: &Payment,
    session: &CounterSigningSessionData,
    voucher: Option<&(Action, Payment)>,
    village: &VillageProperties,
) -> Verdict {
    let request = &session.preflight_request;
    let signers: Vec<AgentPubKey> = request.signing_agents.iter().map(|(agent, _roles)| agent.clone()).collect();
    check_session_times(payment.at.as_micros(), request.session_times.start().as_micros(), request.session_times.end().as_micros())?;
    let top_of = |agent: &AgentPubKey| -> Result<ChainTop<ActionHash>, Refusal> {
        let state = session
            .agent_state_for_agent(agent)
            .map_err(|_| invalid(ViolationCode::ForgedCounterparty, "a party is missing from the countersigning session"))?;
        Ok(ChainTop { hash: state.chain_top().clone(), seq: *state.action_seq() })
    };
    let attested = attested_tops(request);
    // A redemption's payer takes no part: the witness attests where the voucher sits on its chain.
    // Nor does a reclaim's (the voucher's payee): the witness attests its current chain top, from
    // which validation reads that it never redeemed the voucher.
    let payer_top = match (&payment.kind, voucher) {
        (PaymentKind::Redemption { voucher }, Some((action, voucher_payment))) => {
            check_redemption(&payment.facts(), &voucher_payment.facts(), action.author())?;
            ChainTop { hash: voucher.clone(), seq: action.action_seq() }
        }
        (PaymentKind::Reclaim { .. }, Some((action, voucher_payment))) => {
            check_reclaim(&payment.facts(), &voucher_payment.facts(), action.author(), village.funds.len())?;
            attested
                .as_ref()
                .map(|tops| tops.payer.clone())
                .ok_or_else(|| invalid(ViolationCode::NoWitness, "a reclaim carries its witness's attestation"))?
        }
        _ => top_of(&payment.payer.agent)?,
    };
    let payee_top = top_of(&payment.payee.agent)?;
    let witnesses = check_witnessed(&signers, request.enzymatic, village, attested.as_ref(), (&payer_top, &payee_top))?;
    check_payment_entry(&payment.facts(), &signers[witnesses..], village)?;
    check_fund_cover(payment.amount, fund_spent(&payment.kind, &payment.payer.agent, village), attested.and_then(|a| a.fund_held))?;
    match &payment.kind {
        PaymentKind::Purchase { offer } => {
            let (action, offer_entry) = app_entry_of::<Offer>(offer, UnitEntryTypes::Offer, "offer")?;
            check_purchase(payment.amount, *action.author() == payment.payee.agent, &offer_entry.breakdown())?;
        }
        PaymentKind::CashOut { request, fee } => {
            let (action, request_entry) = app_entry_of::<CashOutRequest>(request, UnitEntryTypes::CashOutRequest, "cash-out request")?;
            let facts = request_entry.facts(action.author().clone(), action.timestamp());
            check_cash_out(&payment.payer.agent, payment.amount, *fee, &payment.payer.before, &facts, payment.at.as_micros(), village.cash_out)?;
        }
        _ => {}
    }
    Ok(())
}

/// The action that created an app entry, and the entry, if it is of the expected type.
fn app_entry_of<T: TryFrom<SerializedBytes, Error = SerializedBytesError>>(
    hash: &ActionHash,
    expected: UnitEntryTypes,
    what: &str,
) -> Result<(Action, T), Refusal> {
    let action = must_get_action(hash.clone())?.hashed.content;
    let code = match expected {
        UnitEntryTypes::Offer => ViolationCode::WrongOffer,
        UnitEntryTypes::Payment => ViolationCode::WrongVoucher,
        _ => ViolationCode::WrongCashOut,
    };
    if action.app_entry_def() != Some(&entry_def(expected)?) {
        return Err(invalid(code, format!("the named {what} is not one")));
    }
    let entry_hash = action.entry_hash().ok_or_else(|| invalid(code, format!("the named {what} has no entry")))?;
    let content = match must_get_entry(entry_hash.clone())?.content {
        Entry::App(bytes) => T::try_from(SerializedBytes::from(bytes)).map_err(|e| wasm_error!(e))?,
        _ => return Err(invalid(code, format!("the named {what} is not an app entry"))),
    };
    Ok((action, content))
}

fn validate_continuity_of_both_parties(
    payment: &Payment,
    author: &AgentPubKey,
    session: &CounterSigningSessionData,
    voucher: Option<&(Action, Payment)>,
    village: &VillageProperties,
) -> Verdict {
    // The witnesses lead the signers (`check_witnessed`, run for every op of the entry).
    let witnessed_by = session.preflight_request.signing_agents.iter().take(witness_quorum(village.witnesses.len()));
    if payment.side_of(author).is_none() && !witnessed_by.map(|(agent, _)| agent).any(|w| w == author) {
        return Err(invalid(ViolationCode::ForgedCounterparty, "the author of a payment must be one of its parties or its witnesses"));
    }
    let top_of = |party: &PartyState| -> Result<ActionHash, Refusal> {
        Ok(session
            .agent_state_for_agent(&party.agent)
            .map_err(|_| invalid(ViolationCode::ForgedCounterparty, "a party is missing from the countersigning session"))?
            .chain_top()
            .clone())
    };
    // A reclaim's payer side is only the credit its voucher carried: the chains walked are the
    // voucher's payee's, from the top the witness attested, and the voucher's payer's (the payee
    // here), back to the voucher's time: neither holds a redemption or reclaim of it, and the
    // payee's was read from past the voucher's expiry (or a week passed). Then the payer's own
    // account, as for any payment.
    if let (PaymentKind::Reclaim { voucher }, Some((action, voucher_payment))) = (&payment.kind, voucher) {
        let voucher_payee_top = attested_tops(&session.preflight_request)
            .ok_or_else(|| invalid(ViolationCode::NoWitness, "a reclaim carries its witness's attestation"))?
            .payer
            .hash;
        check_not_claimed_before(&payment.payer.agent, voucher_payee_top.clone(), voucher, action.timestamp())?;
        let payee_top = top_of(&payment.payee)?;
        check_not_claimed_before(&payment.payee.agent, payee_top.clone(), voucher, action.timestamp())?;
        check_payee_seen(voucher_payment, voucher_payee_top, payment.at)?;
        let position = chain_position(&payment.payee, payee_top, village)?;
        return Ok(check_continuity(&payment.payee, &position, payment.at.as_micros(), village)?);
    }
    // A redemption's payer side is its voucher's, as of the voucher's time: its continuity is
    // walked from the action before the voucher on the payer's chain (the payer is not in the
    // session), and the payee's chain back to that time holds no earlier redemption of it.
    let (payer_top, payer_at) = match (&payment.kind, voucher) {
        (PaymentKind::Redemption { voucher }, Some((action, voucher_payment))) => {
            check_not_claimed_before(&payment.payee.agent, top_of(&payment.payee)?, voucher, action.timestamp())?;
            let before_voucher =
                action.prev_action().cloned().ok_or_else(|| invalid(ViolationCode::WrongVoucher, "a voucher follows its payer's genesis"))?;
            (before_voucher, voucher_payment.at)
        }
        _ => (top_of(&payment.payer)?, payment.at),
    };
    for (party, chain_top, at) in [(&payment.payer, payer_top, payer_at), (&payment.payee, top_of(&payment.payee)?, payment.at)] {
        let position = chain_position(party, chain_top, village)?;
        check_continuity(party, &position, at.as_micros(), village)?;
    }
    Ok(())
}

/// A validation check run by a signer before it signs: a host error (data this conductor does not
/// yet hold) as `Err`, a refusal as `Ok(Err(violation))`.
fn read_now(verdict: Verdict) -> ExternResult<Result<(), Violation>> {
    match verdict {
        Ok(()) => Ok(Ok(())),
        Err(Refusal::Invalid(violation)) => Ok(Err(violation)),
        Err(Refusal::Host(error)) => Err(error),
    }
}

/// What validation reads of a party's chain (step 3: the walk from `chain_top` back to the party's
/// previous payment, or to its genesis and invitation), read now by a signer before it signs, with
/// the same fetches. `Err` when this conductor cannot yet read all of it: an agent activity
/// authority (in a village-sized DHT, every conductor) reads only its own store, so its validation
/// of the session would wait on `DepMissingFromDht` until the party's latest actions arrive,
/// possibly past the session's window. `Ok(Err(violation))` when the walk itself is refused.
pub fn party_chain_held_now(party: &PartyState, chain_top: ActionHash, village: &VillageProperties) -> ExternResult<Result<(), Violation>> {
    read_now(chain_position(party, chain_top, village).map(|_| ()))
}

/// `check_not_claimed_before`, read now by a reclaim's payer before anyone signs: `Err` when this
/// conductor cannot yet read the claimant's chain that far, `Ok(Err(violation))` when it holds a claim.
pub fn voucher_unclaimed_now(
    claimant: &AgentPubKey,
    chain_top: ActionHash,
    voucher: &ActionHash,
    since: Timestamp,
) -> ExternResult<Result<(), Violation>> {
    read_now(check_not_claimed_before(claimant, chain_top, voucher, since))
}

/// `check_payee_seen`, read now by a reclaim's payer and its witness before they sign: `Err` when
/// this conductor does not hold the payee's chain top yet.
pub fn voucher_payee_seen_now(voucher: &Payment, payee_top: ActionHash, reclaim_at: Timestamp) -> ExternResult<Result<(), Violation>> {
    read_now(check_payee_seen(voucher, payee_top, reclaim_at))
}

/// A reclaim's voucher payee's chain, read from `payee_top`, reaches past the voucher's expiry, or
/// the reclaim waited long enough (`check_payee_seen_after_expiry`).
fn check_payee_seen(voucher: &Payment, payee_top: ActionHash, reclaim_at: Timestamp) -> Verdict {
    let seen_at = must_get_action(payee_top)?.hashed.content.timestamp();
    Ok(check_payee_seen_after_expiry(&voucher.facts().kind, seen_at.as_micros(), reclaim_at.as_micros())?)
}

/// Rule: a voucher is claimed once: redeemed by its payee or taken back by its payer. Either claim
/// is written on the claimant's chain after the voucher, so that chain is walked back from
/// `chain_top` to the voucher's time (a week and the reclaim grace at most), never further.
fn check_not_claimed_before(claimant: &AgentPubKey, chain_top: ActionHash, voucher: &ActionHash, since: Timestamp) -> Verdict {
    // A claimant that wrote nothing since the voucher cannot have claimed it (and Holochain refuses
    // a walk back to a time after the chain top's).
    if must_get_action(chain_top.clone())?.hashed.content.timestamp() < since {
        return Ok(());
    }
    let def = entry_def(UnitEntryTypes::Payment)?;
    for item in must_get_agent_activity(claimant.clone(), ChainFilter::until_timestamp(chain_top, since))? {
        let action = &item.action.hashed.content;
        let Some(entry_hash) = action.entry_hash().filter(|_| action.app_entry_def() == Some(&def)) else { continue };
        let earlier = Payment::from_entry(&must_get_entry(entry_hash.clone())?.content)?;
        if matches!(earlier.map(|p| p.kind), Some(PaymentKind::Redemption { voucher: v } | PaymentKind::Reclaim { voucher: v }) if v == *voucher) {
            return Err(invalid(ViolationCode::VoucherRedeemed, "this voucher has already been redeemed or taken back"));
        }
    }
    Ok(())
}

/// Finds the party's latest payment as of the chain top it signed in the session (and whether it
/// closed its account since). Back-to-back payments (the chain top *is* the named payment) need
/// only that action; otherwise the party's chain is walked back to it. Before a party's first
/// payment the walk reaches its genesis, where its invitation is checked. Actions and entries are
/// fetched with `must_get_action`/`must_get_entry`, which only need the data to exist, so a payee's
/// conductor does not wait for the payer's last payment to be validated by its authorities first;
/// that payment's own validity is judged on its own ops, and witnesses refuse parties whose chain
/// its authorities found invalid.
fn chain_position(party: &PartyState, chain_top: ActionHash, village: &VillageProperties) -> Result<ChainPosition<ActionHash>, Refusal> {
    match &party.previous_payment {
        Some(previous) if *previous == chain_top => {
            let action = must_get_action(previous.clone())?;
            payment_position(&party.agent, previous.clone(), action.hashed.content, village)
        }
        Some(previous) => {
            // The named payment must be this party's own, or the walk below would have no end point.
            let action = must_get_action(previous.clone())?;
            if action.hashed.content.author() != &party.agent {
                return Err(invalid(ViolationCode::BrokenContinuity, "previous payment was not recorded by this party"));
            }
            let stretch = Stretch::walk(&party.agent, ChainFilter::until_hash(chain_top, previous.clone()))?;
            stretch.position(&party.agent, village)
        }
        None => {
            let stretch = Stretch::walk(&party.agent, ChainFilter::new(chain_top))?;
            check_joining(&party.agent, stretch.membrane_proof(), village)?;
            stretch.position(&party.agent, village)
        }
    }
}

/// A stretch of a party's chain, newest first, walked from a chain top.
struct Stretch(Vec<AgentActivity>);

impl Stretch {
    fn walk(party: &AgentPubKey, filter: ChainFilter) -> Result<Self, Refusal> {
        Ok(Stretch(must_get_agent_activity(party.clone(), filter)?))
    }

    /// The newest action in the stretch that created an entry of this type.
    fn newest(&self, unit: UnitEntryTypes) -> Result<Option<&AgentActivity>, Refusal> {
        let def = entry_def(unit)?;
        Ok(self
            .0
            .iter()
            .filter(|item| item.action.hashed.content.app_entry_def() == Some(&def))
            .max_by_key(|item| item.action.hashed.content.action_seq()))
    }

    /// The membrane proof the party joined with, when the stretch reaches its genesis.
    fn membrane_proof(&self) -> Option<&MembraneProof> {
        self.0.iter().find_map(|item| match &item.action.hashed.content.data {
            ActionData::AgentValidationPkg(package) => package.membrane_proof.as_ref(),
            _ => None,
        })
    }

    /// The newest payment in the stretch, the account it left the party with (counting a cash-out
    /// request written since), and whether the account is closed: by that payment (a settlement)
    /// or by a closure after it.
    fn position(&self, party: &AgentPubKey, village: &VillageProperties) -> Result<ChainPosition<ActionHash>, Refusal> {
        let newest_payment = self.newest(UnitEntryTypes::Payment)?;
        let mut position = match newest_payment {
            None => ChainPosition::opening(village.funds.len()),
            Some(item) => payment_position(party, item.action.hashed.hash.clone(), item.action.hashed.content.clone(), village)?,
        };
        let seq = |item: &AgentActivity| item.action.hashed.content.action_seq();
        // A cash-out request written since that payment is waiting: the next payment's `before`
        // and any other request count it.
        position.note_written_since(
            closed_since(newest_payment.map(seq), self.newest(UnitEntryTypes::AccountClosure)?.map(seq)),
            written_since_payment(newest_payment.map(seq), self.newest(UnitEntryTypes::CashOutRequest)?.map(seq)),
        );
        Ok(position)
    }
}

/// The position a payment action on `party`'s chain left it in: closed when it settled the party
/// with the commons (`settles_member`).
fn payment_position(
    party: &AgentPubKey,
    action_hash: ActionHash,
    action: Action,
    village: &VillageProperties,
) -> Result<ChainPosition<ActionHash>, Refusal> {
    let broken = |why: &str| invalid(ViolationCode::BrokenContinuity, why);
    if action.author() != party {
        return Err(broken("previous payment was not recorded by this party"));
    }
    if action.app_entry_def() != Some(&entry_def(UnitEntryTypes::Payment)?) {
        return Err(broken("the named previous payment is not a payment"));
    }
    let entry_hash = action.entry_hash().ok_or_else(|| broken("a payment action has no entry"))?;
    let entry = must_get_entry(entry_hash.clone())?.content;
    let payment = Payment::from_entry(&entry)?.ok_or_else(|| broken("a payment action holds no payment"))?;
    let own_side = payment.side_of(party).ok_or_else(|| broken("a payment on this chain does not name its author"))?;
    let closed = settles_member(&payment.kind, party, village);
    Ok(ChainPosition { latest_payment: Some(action_hash), account: own_side.after.clone(), at: Some(payment.at.as_micros()), closed })
}

/// A closure is valid when the author is a member whose latest payment left it at exactly zero.
fn validate_closure(author: &AgentPubKey, prev_action: ActionHash) -> Verdict {
    let village = current_village()?;
    let position = Stretch::walk(author, ChainFilter::new(prev_action))?.position(author, &village)?;
    check_closure(&position.account, village.role_of(author) == Role::Member)?;
    Ok(())
}

/// A cash-out request is checked against the author's chain where it was written: the payment it
/// names is the author's latest, the account that payment left (aged to now) covers the amount,
/// its number is the next, and no other request waits, since that payment or from before it (the
/// account counts the requests written, `Stretch::position`).
fn validate_cash_out_request(request: &CashOutRequest, author: &AgentPubKey, prev_action: ActionHash, written_at: Timestamp) -> Verdict {
    let village = current_village()?;
    let filter = match &request.previous_payment {
        Some(previous) if *previous == prev_action => ChainFilter::take(prev_action, 1),
        Some(previous) => ChainFilter::until_hash(prev_action, previous.clone()),
        None => ChainFilter::new(prev_action),
    };
    let stretch = Stretch::walk(author, filter)?;
    let position = stretch.position(author, &village)?;
    if position.latest_payment != request.previous_payment {
        return Err(invalid(ViolationCode::BrokenContinuity, "a cash-out request names its author's latest payment"));
    }
    if position.closed {
        return Err(invalid(ViolationCode::AccountClosed, "a closed account cannot cash out"));
    }
    let account = position.aged_to(written_at.as_micros(), &village)?;
    Ok(check_cash_out_request(request.amount, request.number, &account)?)
}

/// The time of the action an op is about.
fn op_timestamp(op: &Op) -> Timestamp {
    match op {
        Op::CreateRecord(CreateRecord { record }) => record.action().timestamp(),
        Op::CreateEntry(CreateEntry { action, .. }) => action.hashed.timestamp(),
        _ => Timestamp::from_micros(0),
    }
}

fn entry_def(unit: UnitEntryTypes) -> ExternResult<AppEntryDef> {
    match EntryType::try_from(unit)? {
        EntryType::App(def) => Ok(def),
        _ => Err(wasm_error!(WasmErrorInner::Guest("not an app entry type".into()))),
    }
}

/// Every entry type of this zome is part of the ledger's record, so none may change.
fn refuse_if_ledger_entry(original: &ActionHash) -> Verdict {
    let original = must_get_action(original.clone())?;
    if let Some(def) = original.hashed.content.app_entry_def() {
        if def.zome_index == entry_def(UnitEntryTypes::Payment)?.zome_index {
            return Err(immutable());
        }
    }
    Ok(())
}

fn validate_link(link_type: LinkTypes, action: &TypedAction<CreateLinkData>) -> Verdict {
    match link_type {
        LinkTypes::VillageMember => validate_membership(action),
        LinkTypes::VillageOffer => {
            check_link_tag("an offer link", &action.tag.0, 0)?;
            if action.base_address != AnyLinkableHash::from(offers_anchor()?) {
                return Err(invalid(ViolationCode::WrongOffer, "offer links hang from the village's offers anchor"));
            }
            let target = action
                .target_address
                .clone()
                .into_action_hash()
                .ok_or_else(|| invalid(ViolationCode::WrongOffer, "an offer link points at the action that published the offer"))?;
            let (offer_action, _offer) = app_entry_of::<Offer>(&target, UnitEntryTypes::Offer, "offer")?;
            if offer_action.author() != action.author() {
                return Err(invalid(ViolationCode::WrongOffer, "a co-op lists only its own offers"));
            }
            Ok(())
        }
    }
}

fn validate_membership(action: &TypedAction<CreateLinkData>) -> Verdict {
    let forged = |why: &str| invalid(ViolationCode::ForgedMember, why);
    let author = action.author();
    if action.base_address != AnyLinkableHash::from(members_anchor()?) {
        return Err(forged("membership links hang from the village's members anchor"));
    }
    if action.target_address != AnyLinkableHash::from(author.clone()) {
        return Err(forged("a member can only register itself"));
    }
    check_link_tag("a membership link", &action.tag.0, MAX_NAME_TAG_BYTES)?;
    let name = std::str::from_utf8(&action.tag.0).map_err(|_| forged("a member's name must be text"))?;
    if action.action_seq() > MAX_JOIN_SEQ {
        return Err(forged("a member registers when it joins, among the first actions of its chain"));
    }
    let prev_action = action.prev_action().cloned().ok_or_else(|| forged("a membership link follows the member's genesis"))?;
    let stretch = Stretch::walk(author, ChainFilter::new(prev_action))?;
    let village = current_village()?;
    check_joining(author, stretch.membrane_proof(), &village)?;
    let invitation = Invitation::from_membrane_proof(stretch.membrane_proof());
    Ok(check_listed_name(name, author, invitation.as_ref().map(|inv| inv.name.as_str()), &village)?)
}

/// Membership links are the village's register: nobody removes a member. An offer link is
/// withdrawn only by the co-op that listed it.
fn validate_link_delete(link_type: LinkTypes, link_author: &AgentPubKey, deleter: &AgentPubKey) -> Verdict {
    match link_type {
        LinkTypes::VillageMember => Err(invalid(ViolationCode::ForbiddenDelete, "membership can never be removed")),
        LinkTypes::VillageOffer if link_author == deleter => Ok(()),
        LinkTypes::VillageOffer => Err(invalid(ViolationCode::ForbiddenDelete, "only the co-op that listed an offer can withdraw it")),
    }
}
