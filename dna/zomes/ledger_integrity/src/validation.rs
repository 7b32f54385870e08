//! The `validate` dispatcher. It enforces, for every op a peer is asked to hold:
//! 1. A payment is countersigned, its payer and payee are exactly the session's two signers, and its
//!    time is the session's start.
//! 2. The entry rules of `ledger_rules` with the village's parameters (roles, levies, care credits,
//!    zero sum, contribution-based limits, settlements), plus what needs a fetched record: a
//!    purchase pays its offer's price to its co-op, a cash-out settles a due request.
//! 3. Continuity of both parties' chains, walked from the chain tops they signed in the session: the
//!    payment names each party's latest payment and the account it left, aged by demurrage to the
//!    payment's time, and neither party has closed its account since. A payee's peers thus refuse
//!    a payer's invented state even if the payer's own conductor was modified to accept it.
//! 4. Offers price exactly their parts; cash-out requests are for a valid amount; a member closes
//!    its account only at zero.
//! 5. Nothing in the ledger is ever updated or deleted.
//! 6. A membership link names its own author; an offer link points at its author's offer.
use crate::{
    current_village, members_anchor, offers_anchor, CashOutRequest, EntryTypes, LinkTypes, Offer, PartyState, Payment, PaymentKind, UnitEntryTypes,
    VillageProperties, MAX_MEMBER_NAME_CHARS, MAX_OFFER_TITLE_CHARS,
};
use hdi::prelude::*;
use ledger_rules::{
    check_amount, check_cash_out, check_closure, check_continuity, check_offer, check_payment_entry, check_purchase, closed_since, Account,
    ChainPosition, Role, Violation, ViolationCode,
};

pub fn validate_op(op: Op) -> ExternResult<ValidateCallbackResult> {
    let verdict = match op.flattened::<EntryTypes, LinkTypes>()? {
        FlatOp::CreateEntry(OpEntry::CreateEntry { app_entry, action }) => validate_new_entry(&op, app_entry, action.author(), None),
        FlatOp::CreateRecord(OpRecord::CreateEntry { app_entry, action }) => {
            validate_new_entry(&op, app_entry, action.author(), action.prev_action().cloned())
        }
        FlatOp::CreateEntry(OpEntry::UpdateEntry { .. })
        | FlatOp::CreateRecord(OpRecord::UpdateEntry { .. })
        | FlatOp::Update(OpUpdate::Entry { .. }) => Err(immutable()),
        FlatOp::Update(update) => refuse_if_ledger_entry(update.original_action_hash()),
        FlatOp::Delete(OpDelete { action }) => refuse_if_ledger_entry(&action.deletes_address),
        FlatOp::CreateRecord(OpRecord::DeleteEntry { action }) => refuse_if_ledger_entry(&action.deletes_address),
        FlatOp::Link(OpLink::CreateLink { link_type, action }) => validate_link(link_type, &action),
        FlatOp::CreateRecord(OpRecord::CreateLink { link_type, action }) => validate_link(link_type, &action),
        _ => Ok(()),
    };
    match verdict {
        Ok(()) => Ok(ValidateCallbackResult::Valid),
        Err(Refusal::Invalid(violation)) => Ok(ValidateCallbackResult::Invalid(violation.to_string())),
        Err(Refusal::Host(error)) => Err(error),
    }
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

/// `prev_action` is known on the record op (the author's chain is walked from it), not on the
/// entry op, whose authorities check only what the entry itself shows.
fn validate_new_entry(op: &Op, entry: EntryTypes, author: &AgentPubKey, prev_action: Option<ActionHash>) -> Verdict {
    match entry {
        EntryTypes::Payment(payment) => {
            let session = countersigning_session(op)?;
            let village = current_village()?;
            validate_payment_entry(&payment, session, &village)?;
            if prev_action.is_some() {
                validate_continuity_of_both_parties(&payment, author, session, &village)?;
            }
            Ok(())
        }
        EntryTypes::Offer(offer) => {
            let chars = offer.title.trim().chars().count();
            if chars == 0 || chars > MAX_OFFER_TITLE_CHARS {
                return Err(invalid(ViolationCode::WrongOffer, format!("an offer's title is 1 to {MAX_OFFER_TITLE_CHARS} characters")));
            }
            Ok(check_offer(&offer.breakdown())?)
        }
        EntryTypes::CashOutRequest(request) => {
            check_amount(request.amount)?;
            if request.number == 0 {
                return Err(invalid(ViolationCode::WrongCashOut, "cash-out requests are numbered from 1"));
            }
            Ok(())
        }
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

fn validate_payment_entry(payment: &Payment, session: &CounterSigningSessionData, village: &VillageProperties) -> Verdict {
    let signers: Vec<AgentPubKey> = session.preflight_request.signing_agents.iter().map(|(agent, _roles)| agent.clone()).collect();
    if *session.preflight_request.session_times.start() != payment.at {
        return Err(invalid(ViolationCode::WrongTime, "a payment's time is the start of its countersigning session"));
    }
    check_payment_entry(&payment.facts(), &signers, village)?;
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
    let code = if matches!(expected, UnitEntryTypes::Offer) { ViolationCode::WrongOffer } else { ViolationCode::WrongCashOut };
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
    village: &VillageProperties,
) -> Verdict {
    if payment.side_of(author).is_none() {
        return Err(invalid(ViolationCode::ForgedCounterparty, "the author of a payment must be one of its parties"));
    }
    for party in [&payment.payer, &payment.payee] {
        let chain_top = session
            .agent_state_for_agent(&party.agent)
            .map_err(|_| invalid(ViolationCode::ForgedCounterparty, "a party is missing from the countersigning session"))?
            .chain_top()
            .clone();
        let position = chain_position(party, chain_top, village)?;
        check_continuity(party, &position, payment.at.as_micros(), village)?;
    }
    Ok(())
}

/// Finds the party's latest payment as of the chain top it signed in the session (and whether it
/// closed its account since). Back-to-back payments (the chain top *is* the named payment) need
/// only that action; otherwise the party's chain is walked back to it. Actions and entries are
/// fetched with `must_get_action`/`must_get_entry`, which only need the data to exist, so a payee's
/// conductor does not wait for the payer's last payment to be validated by its authorities first;
/// that payment's own validity is judged on its own ops.
fn chain_position(party: &PartyState, chain_top: ActionHash, village: &VillageProperties) -> Result<ChainPosition<ActionHash>, Refusal> {
    match &party.previous_payment {
        Some(previous) if *previous == chain_top => {
            let action = must_get_action(previous.clone())?;
            payment_position(&party.agent, previous.clone(), action.hashed.content)
        }
        Some(previous) => {
            // The named payment must be this party's own, or the walk below would have no end point.
            let action = must_get_action(previous.clone())?;
            if action.hashed.content.author() != &party.agent {
                return Err(invalid(ViolationCode::BrokenContinuity, "previous payment was not recorded by this party"));
            }
            let activity = must_get_agent_activity(party.agent.clone(), ChainFilter::until_hash(chain_top, previous.clone()))?;
            latest_position(&party.agent, &activity, village)
        }
        None => {
            let activity = must_get_agent_activity(party.agent.clone(), ChainFilter::new(chain_top))?;
            latest_position(&party.agent, &activity, village)
        }
    }
}

/// The newest payment in a stretch of a party's chain, the account it left the party with, and
/// whether a closure of the account follows it.
fn latest_position(party: &AgentPubKey, activity: &[AgentActivity], village: &VillageProperties) -> Result<ChainPosition<ActionHash>, Refusal> {
    let (payment_def, closure_def) = (entry_def(UnitEntryTypes::Payment)?, entry_def(UnitEntryTypes::AccountClosure)?);
    let newest_of = |def: &AppEntryDef| {
        activity
            .iter()
            .filter(|item| item.action.hashed.content.app_entry_def() == Some(def))
            .max_by_key(|item| item.action.hashed.content.action_seq())
    };
    let newest_payment = newest_of(&payment_def);
    let mut position = match newest_payment {
        None => ChainPosition::opening(village.funds.len()),
        Some(item) => payment_position(party, item.action.hashed.hash.clone(), item.action.hashed.content.clone())?,
    };
    let seq = |item: &AgentActivity| item.action.hashed.content.action_seq();
    position.closed = closed_since(newest_payment.map(seq), newest_of(&closure_def).map(seq));
    Ok(position)
}

/// The position a payment action on `party`'s chain left it in.
fn payment_position(party: &AgentPubKey, action_hash: ActionHash, action: Action) -> Result<ChainPosition<ActionHash>, Refusal> {
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
    Ok(ChainPosition { latest_payment: Some(action_hash), account: own_side.after.clone(), at: Some(payment.at.as_micros()), closed: false })
}

/// A closure is valid when the author is a member whose latest payment left it at exactly zero.
fn validate_closure(author: &AgentPubKey, prev_action: ActionHash) -> Verdict {
    let village = current_village()?;
    let activity = must_get_agent_activity(author.clone(), ChainFilter::new(prev_action))?;
    let position = latest_position(author, &activity, &village)?;
    let latest: &Account = &position.account;
    check_closure(latest, village.role_of(author) == Role::Member)?;
    Ok(())
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
        LinkTypes::VillageMember => validate_membership(action.author(), &action.base_address, &action.target_address, &action.tag),
        LinkTypes::VillageOffer => {
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

fn validate_membership(author: &AgentPubKey, base: &AnyLinkableHash, target: &AnyLinkableHash, tag: &LinkTag) -> Verdict {
    let forged = |why: &str| invalid(ViolationCode::ForgedMember, why);
    if *base != AnyLinkableHash::from(members_anchor()?) {
        return Err(forged("membership links hang from the village's members anchor"));
    }
    if *target != AnyLinkableHash::from(author.clone()) {
        return Err(forged("a member can only register itself"));
    }
    let name = std::str::from_utf8(&tag.0).map_err(|_| forged("a member's name must be text"))?;
    let chars = name.trim().chars().count();
    if chars == 0 || chars > MAX_MEMBER_NAME_CHARS || name.trim() != name {
        return Err(forged("a member's name is 1 to 64 characters, without surrounding spaces"));
    }
    Ok(())
}
