//! The `validate` dispatcher. It enforces, for every op a peer is asked to hold:
//! 1. A payment is countersigned, and its payer and payee are exactly the session's two signers.
//! 2. The entry rules of `ledger_rules` (amount, arithmetic, zero sum, credit limits).
//! 3. Continuity of both parties' chains, walked from the chain tops they signed in the session: the
//!    payment names each party's latest payment and the balance it left. A payee's peers thus refuse a
//!    payer's invented balance even if the payer's own conductor was modified to accept it.
//! 4. Payments are immutable: no update, no delete.
//! 5. A membership link can only name its own author.
use crate::{members_anchor, payment::side, EntryTypes, LinkTypes, PartyState, Payment, UnitEntryTypes, VillageProperties, MAX_MEMBER_NAME_CHARS};
use hdi::prelude::*;
use ledger_rules::{check_continuity, check_payment_entry, ChainPosition, Violation, ViolationCode};

pub fn validate_op(op: Op) -> ExternResult<ValidateCallbackResult> {
    let verdict = match op.flattened::<EntryTypes, LinkTypes>()? {
        FlatOp::CreateEntry(OpEntry::CreateEntry { app_entry: EntryTypes::Payment(payment), .. }) => {
            countersigning_session(&op).and_then(|session| validate_payment_entry(&payment, session))
        }
        FlatOp::CreateRecord(OpRecord::CreateEntry { app_entry: EntryTypes::Payment(payment), action }) => {
            countersigning_session(&op).and_then(|session| {
                validate_payment_entry(&payment, session)?;
                validate_continuity_of_both_parties(&payment, action.author(), session)
            })
        }
        FlatOp::CreateEntry(OpEntry::UpdateEntry { app_entry: EntryTypes::Payment(_), .. })
        | FlatOp::CreateRecord(OpRecord::UpdateEntry { app_entry: EntryTypes::Payment(_), .. })
        | FlatOp::Update(OpUpdate::Entry { app_entry: EntryTypes::Payment(_), .. }) => Err(immutable()),
        FlatOp::Update(update) => refuse_if_payment(update.original_action_hash()),
        FlatOp::Delete(OpDelete { action }) => refuse_if_payment(&action.deletes_address),
        FlatOp::CreateRecord(OpRecord::DeleteEntry { action }) => refuse_if_payment(&action.deletes_address),
        FlatOp::Link(OpLink::CreateLink { link_type: LinkTypes::VillageMember, action }) => {
            validate_membership(action.author(), &action.base_address, &action.target_address, &action.tag)
        }
        FlatOp::CreateRecord(OpRecord::CreateLink { link_type: LinkTypes::VillageMember, action }) => {
            validate_membership(action.author(), &action.base_address, &action.target_address, &action.tag)
        }
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

fn immutable() -> Refusal {
    Violation::new(ViolationCode::ImmutablePayment, "a payment can never be updated or deleted").into()
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
        _ => Err(Violation::new(ViolationCode::NotCountersigned, "a payment must be countersigned by payer and payee").into()),
    }
}

fn validate_payment_entry(payment: &Payment, session: &CounterSigningSessionData) -> Verdict {
    let signers: Vec<AgentPubKey> = session.preflight_request.signing_agents.iter().map(|(agent, _roles)| agent.clone()).collect();
    let village = VillageProperties::current()?;
    let limits = village.default_limits();
    check_payment_entry(&payment.facts(), &signers, limits, limits)?;
    Ok(())
}

fn validate_continuity_of_both_parties(payment: &Payment, author: &AgentPubKey, session: &CounterSigningSessionData) -> Verdict {
    if payment.side_of(author).is_none() {
        return Err(Violation::new(ViolationCode::ForgedCounterparty, "the author of a payment must be one of its parties").into());
    }
    for party in [&payment.payer, &payment.payee] {
        let chain_top = session
            .agent_state_for_agent(&party.agent)
            .map_err(|_| Violation::new(ViolationCode::ForgedCounterparty, "a party is missing from the countersigning session"))?
            .chain_top()
            .clone();
        validate_party_continuity(party, chain_top)?;
    }
    Ok(())
}

/// Rule 3: finds the party's latest payment as of the chain top it signed in the session, and
/// checks the entry names it and the balance it left. Back-to-back payments (the chain top *is*
/// the named payment) need only that action; otherwise the party's chain is walked back to it.
/// Actions and entries are fetched with `must_get_action`/`must_get_entry`, which only need the
/// data to exist, so a payee's conductor does not wait for the payer's last payment to be
/// validated by its authorities first; that payment's own validity is judged on its own ops.
fn validate_party_continuity(party: &PartyState, chain_top: ActionHash) -> Verdict {
    let position = match &party.previous_payment {
        Some(previous) if *previous == chain_top => {
            let action = must_get_action(previous.clone())?;
            payment_position(&party.agent, previous.clone(), action.hashed.content)?
        }
        Some(previous) => {
            // The named payment must be this party's own, or the walk below would have no end point.
            let action = must_get_action(previous.clone())?;
            if action.hashed.content.author() != &party.agent {
                return Err(Violation::new(ViolationCode::BrokenContinuity, "previous payment was not recorded by this party").into());
            }
            let activity = must_get_agent_activity(party.agent.clone(), ChainFilter::until_hash(chain_top, previous.clone()))?;
            latest_payment_position(&party.agent, &activity)?
        }
        None => {
            let activity = must_get_agent_activity(party.agent.clone(), ChainFilter::new(chain_top))?;
            latest_payment_position(&party.agent, &activity)?
        }
    };
    check_continuity(&side(party), &position)?;
    Ok(())
}

/// The newest payment in a stretch of a party's chain, and the balance it left the party with.
fn latest_payment_position(party: &AgentPubKey, activity: &[AgentActivity]) -> Result<ChainPosition<ActionHash>, Refusal> {
    let payment_def = payment_entry_def()?;
    let newest_payment = activity
        .iter()
        .filter(|item| item.action.hashed.content.app_entry_def().is_some_and(|def| *def == payment_def))
        .max_by_key(|item| item.action.hashed.content.action_seq());
    match newest_payment {
        None => Ok(ChainPosition { latest_payment: None, balance: 0 }),
        Some(item) => payment_position(party, item.action.hashed.hash.clone(), item.action.hashed.content.clone()),
    }
}

/// The position a payment action on `party`'s chain left it in.
fn payment_position(party: &AgentPubKey, action_hash: ActionHash, action: Action) -> Result<ChainPosition<ActionHash>, Refusal> {
    let broken = |why: &str| -> Refusal { Violation::new(ViolationCode::BrokenContinuity, why).into() };
    if action.author() != party {
        return Err(broken("previous payment was not recorded by this party"));
    }
    let payment_def = payment_entry_def()?;
    if action.app_entry_def() != Some(&payment_def) {
        return Err(broken("the named previous payment is not a payment"));
    }
    let entry_hash = action.entry_hash().ok_or_else(|| broken("a payment action has no entry"))?;
    let entry = must_get_entry(entry_hash.clone())?.content;
    let payment = Payment::from_entry(&entry)?.ok_or_else(|| broken("a payment action holds no payment"))?;
    let own_side = payment.side_of(party).ok_or_else(|| broken("a payment on this chain does not name its author"))?;
    Ok(ChainPosition { latest_payment: Some(action_hash), balance: own_side.balance_after })
}

fn payment_entry_def() -> ExternResult<AppEntryDef> {
    match EntryType::try_from(UnitEntryTypes::Payment)? {
        EntryType::App(def) => Ok(def),
        _ => Err(wasm_error!(WasmErrorInner::Guest("payment is not an app entry type".into()))),
    }
}

fn refuse_if_payment(original: &ActionHash) -> Verdict {
    let original = must_get_action(original.clone())?;
    let payment_def = payment_entry_def()?;
    if original.hashed.content.app_entry_def().is_some_and(|def| *def == payment_def) {
        return Err(immutable());
    }
    Ok(())
}

fn validate_membership(author: &AgentPubKey, base: &AnyLinkableHash, target: &AnyLinkableHash, tag: &LinkTag) -> Verdict {
    let forged = |why: &str| -> Refusal { Violation::new(ViolationCode::ForgedMember, why).into() };
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
