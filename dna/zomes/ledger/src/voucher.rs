//! Offline vouchers. With no network at all, a payer writes a voucher on its own chain: a payment
//! signed by the payer alone that debits it at once (validation covers it by the payer's floor) and
//! carries the payee's credit. It travels to the payee as a code (the signed action and its entry,
//! as the conductor serialized them), which the payee's app can check offline. Once the payer's
//! conductor has been online to publish it, the payee redeems it with a witness, without the payer:
//! a redemption names the voucher, copies its payer side and credits the payee with exactly what it
//! carries. Validation refuses a redemption after expiry, of a voucher past the payer's floor, or of
//! one the payee already redeemed. A voucher that expired unredeemed is taken back by its payer,
//! witnessed, once `VOUCHER_RECLAIM_GRACE_MICROS` has passed: a reclaim hands the credit the voucher
//! carried back to its payer, after the payee's chain (read from the top the witness attests) shows
//! no redemption of it.
use crate::activity::{agent_activity_views, fetch_record, own_chain_head, own_chain_newest_first};
use crate::chain_lock::lock_my_chain;
use crate::error::violation;
use crate::members::member;
use crate::pay::quorum_first;
use crate::position::{aged_to, payment_of, read_my_position, Position};
use crate::refuse;
use crate::session::{initiator, PaymentSession};
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{
    check_amount, check_memo, check_payment_entry, check_reclaim, check_redemption, check_voucher_issue, expected_after, reclaimable_from,
    reclaimed_into, redeemed_into, AttestedTops, ChainTop, MAX_VOUCHER_LIFETIME_MICROS,
};
use ledger_integrity::{
    current_village, voucher_payee_seen_now, voucher_unclaimed_now, Account, EntryTypes, PartyState, Payment, PaymentKind, UnitEntryTypes, Units,
    VillageProperties, ViolationCode,
};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct VoucherInput {
    pub payee: AgentPubKey,
    pub amount: Units,
    pub memo: String,
    /// How long the payee has to redeem it (at most a week).
    pub valid_for_secs: u32,
}

/// A voucher as it travels: the action recording it on the payer's chain, the payer's signature
/// over that action, and the entry it names, each exactly as the conductor serialized it, so the
/// payee can check the signature and the entry's hash without any network.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct SignedVoucher {
    pub action: SerializedBytes,
    pub signature: Signature,
    pub entry: SerializedBytes,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct RedeemInput {
    pub voucher: SignedVoucher,
    /// As in `PayInput`: witnesses the app has just found answering, tried first.
    #[serde(default)]
    pub witnesses_online: Vec<AgentPubKey>,
}

/// The voucher an honest payer would write now, without writing it. Reads nothing from the
/// network: the payee must be a member this conductor has already seen.
#[hdk_extern]
pub fn draft_voucher(input: VoucherInput) -> ExternResult<Payment> {
    let me = agent_info()?.agent_initial_pubkey;
    check_amount(input.amount).map_err(violation)?;
    check_memo(&input.memo).map_err(violation)?;
    if input.payee == me {
        return Err(refuse(ViolationCode::SelfPayment, "you cannot pay yourself"));
    }
    if member(&me, GetStrategy::Local)?.is_none() {
        return Err(refuse(ViolationCode::NotAMember, "join the village before writing vouchers"));
    }
    if member(&input.payee, GetStrategy::Local)?.is_none() {
        return Err(refuse(ViolationCode::UnknownMember, "the payee is not a member this conductor knows of"));
    }
    let village = current_village()?;
    let mine = read_my_position()?;
    if mine.closed {
        return Err(refuse(ViolationCode::AccountClosed, "your account is closed"));
    }
    let now = sys_time()?;
    let valid_for = (input.valid_for_secs as i64 * 1_000_000).min(MAX_VOUCHER_LIFETIME_MICROS);
    let kind = PaymentKind::Voucher { expires_at: now.as_micros() + valid_for };
    let empty = Account::opening(village.funds.len());
    let before = aged_to(&mine, now, &village)?;
    let (after, carried) = expected_after(input.amount, &kind, (&me, &before), (&input.payee, &empty), &village).map_err(violation)?;
    let voucher = Payment {
        amount: input.amount,
        kind,
        at: now,
        payer: PartyState { agent: me.clone(), previous_payment: mine.latest_payment, before, after },
        payee: PartyState { agent: input.payee, previous_payment: None, before: empty, after: carried },
        memo: input.memo,
    };
    check_voucher_issue(&voucher.facts(), now.as_micros(), village.funds.len()).map_err(violation)?;
    check_payment_entry(&voucher.facts(), &[me], &village).map_err(violation)?;
    Ok(voucher)
}

/// Writes a voucher on this agent's chain (no network needed) and returns it as it travels.
#[hdk_extern]
pub fn issue_voucher(input: VoucherInput) -> ExternResult<SignedVoucher> {
    let voucher = draft_voucher(input)?;
    let hash = create_entry(EntryTypes::Payment(voucher))?;
    signed_voucher_at(hash)
}

/// A voucher this agent wrote, as it travels (to show its code again).
#[hdk_extern]
pub fn signed_voucher_at(hash: ActionHash) -> ExternResult<SignedVoucher> {
    let record = get(hash, GetOptions::local())?.ok_or_else(|| refuse(ViolationCode::WrongVoucher, "no such voucher on this chain"))?;
    let entry = record.entry().as_option().ok_or_else(|| refuse(ViolationCode::WrongVoucher, "the voucher's entry is missing"))?;
    Ok(SignedVoucher {
        action: SerializedBytes::try_from(record.action().clone()).map_err(|e| wasm_error!(e))?,
        signature: record.signature().clone(),
        entry: SerializedBytes::try_from(entry.clone()).map_err(|e| wasm_error!(e))?,
    })
}

/// What a travelling voucher says, checked as far as it can be without the network: the payer's
/// signature over the action, and that the entry is the one the action names and a voucher.
fn read_voucher(signed: &SignedVoucher) -> ExternResult<(ActionHash, Action, Payment)> {
    let unreadable = |what: &str| refuse(ViolationCode::WrongVoucher, format!("the voucher's {what} cannot be read"));
    let action = Action::try_from(signed.action.clone()).map_err(|_| unreadable("action"))?;
    if !verify_signature(action.author().clone(), signed.signature.clone(), &action)? {
        return Err(refuse(ViolationCode::WrongVoucher, "the voucher is not signed by the payer it names"));
    }
    let entry = Entry::try_from(signed.entry.clone()).map_err(|_| unreadable("entry"))?;
    if action.entry_hash() != Some(&hash_entry(entry.clone())?) {
        return Err(refuse(ViolationCode::WrongVoucher, "the voucher's entry is not the one its payer signed"));
    }
    let voucher = Payment::from_entry(&entry)?.ok_or_else(|| unreadable("payment"))?;
    if !matches!(voucher.kind, PaymentKind::Voucher { .. }) {
        return Err(refuse(ViolationCode::WrongVoucher, "this is not a voucher"));
    }
    Ok((hash_action(action.clone())?, action, voucher))
}

/// The payee redeems a voucher, witnessed; its payer takes no part. The voucher must be on the
/// network (its payer's conductor publishes it when it is next online).
#[hdk_extern]
pub fn start_redemption(input: RedeemInput) -> ExternResult<PaymentSession> {
    let me = agent_info()?.agent_initial_pubkey;
    let (voucher_hash, voucher_action, voucher) = read_voucher(&input.voucher)?;
    if voucher.payee.agent != me {
        return Err(refuse(ViolationCode::WrongVoucher, "this voucher is made out to another member"));
    }
    if fetch_record(voucher_hash.clone())?.is_none() {
        return Err(refuse(ViolationCode::NotSynced, "the payer's conductor has not published this voucher yet; try again once it has been online"));
    }
    if claimed_since(&voucher_hash, voucher.at)? {
        return Err(refuse(ViolationCode::VoucherRedeemed, "you have already redeemed this voucher"));
    }
    let village = current_village()?;
    let voucher_top = ChainTop { hash: voucher_hash.clone(), seq: voucher_action.action_seq() };
    payee_session(&village, &input.witnesses_online, || {
        let (redemption, mine) = draft_redemption_of(&voucher_hash, &voucher_action, &voucher, &village)?;
        let tops = AttestedTops { payer: voucher_top.clone(), payee: own_chain_head()?, fund_held: None };
        Ok((redemption, tops, mine))
    })
}

/// A session this agent runs as the payment's payee side, the payer side taking no part (a
/// redemption, a reclaim): a quorum of witnesses signs first, then this agent locks its chain.
fn payee_session(
    village: &VillageProperties,
    online: &[AgentPubKey],
    draft: impl FnMut() -> ExternResult<(Payment, AttestedTops<ActionHash>, Position)>,
) -> ExternResult<PaymentSession> {
    let signed = quorum_first(village, online, draft)?;
    debug_assert_eq!(initiator(&signed.payment), &agent_info()?.agent_initial_pubkey);
    let Some(my_response) = lock_my_chain(&signed, &signed.tops.payee)? else {
        return Ok(signed.unfinished());
    };
    let mut responses = signed.witness_responses;
    responses.push(my_response);
    Ok(PaymentSession { payment: signed.payment, responses })
}

/// The redemption an honest payee would commit now, without the checks against its own history
/// (`claimed_since`) or the witness. Tests hand drafts, altered, to the dishonest `forger` zome.
#[hdk_extern]
pub fn draft_redemption(input: RedeemInput) -> ExternResult<Payment> {
    let (voucher_hash, voucher_action, voucher) = read_voucher(&input.voucher)?;
    Ok(draft_redemption_of(&voucher_hash, &voucher_action, &voucher, &current_village()?)?.0)
}

/// A redemption of `voucher` by this agent, now, and the position it was drafted from.
fn draft_redemption_of(
    voucher_hash: &ActionHash,
    voucher_action: &Action,
    voucher: &Payment,
    village: &VillageProperties,
) -> ExternResult<(Payment, Position)> {
    let me = agent_info()?.agent_initial_pubkey;
    if voucher.payee.agent != me {
        return Err(refuse(ViolationCode::WrongVoucher, "this voucher is made out to another member"));
    }
    let mine = read_my_position()?;
    if mine.closed {
        return Err(refuse(ViolationCode::AccountClosed, "your account is closed"));
    }
    let now = sys_time()?;
    let before = aged_to(&mine, now, village)?;
    let after = redeemed_into(&before, &voucher.payee.after).map_err(violation)?;
    let redemption = Payment {
        amount: voucher.amount,
        kind: PaymentKind::Redemption { voucher: voucher_hash.clone() },
        at: now,
        payer: voucher.payer.clone(),
        payee: PartyState { agent: me.clone(), previous_payment: mine.latest_payment.clone(), before, after },
        memo: voucher.memo.clone(),
    };
    check_redemption(&redemption.facts(), &voucher.facts(), voucher_action.author()).map_err(violation)?;
    check_payment_entry(&redemption.facts(), &[me], village).map_err(violation)?;
    Ok((redemption, mine))
}

/// Whether this agent's chain holds a redemption or reclaim of `voucher` written since `since`.
/// Walks back from the head in pages until an action older than `since`: a week of this chain at most.
fn claimed_since(voucher: &ActionHash, since: Timestamp) -> ExternResult<bool> {
    let payment_type = EntryType::try_from(UnitEntryTypes::Payment)?;
    let mut redeemed = false;
    own_chain_newest_first(ChainQueryFilter::new().include_entries(true), 64, 0, |records| {
        for record in records.iter().filter(|r| r.action().entry_type() == Some(&payment_type)) {
            redeemed |= matches!(payment_of(record)?.kind, PaymentKind::Redemption { voucher: ref v } | PaymentKind::Reclaim { voucher: ref v } if v == voucher);
        }
        Ok(redeemed || records.iter().any(|r| r.action().timestamp() < since))
    })?;
    Ok(redeemed)
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct ReclaimInput {
    /// The action recording the voucher on this agent's chain.
    pub voucher: ActionHash,
    /// As in `PayInput`: witnesses the app has just found answering, tried first.
    #[serde(default)]
    pub witnesses_online: Vec<AgentPubKey>,
}

/// A voucher this agent wrote, as its app lists it: whether it was taken back, and from when it can be.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct WrittenVoucher {
    pub voucher_hash: ActionHash,
    pub voucher: Payment,
    /// Microseconds since the epoch: the voucher's expiry plus the reclaim grace.
    pub reclaimable_from: i64,
    pub reclaimed: bool,
}

/// The vouchers on this agent's chain, newest first, with whether each was taken back. Whether its
/// payee redeemed one is on the payee's chain: `start_reclaim` reads it.
#[hdk_extern]
pub fn my_vouchers(_: ()) -> ExternResult<Vec<WrittenVoucher>> {
    let payment_type = EntryType::try_from(UnitEntryTypes::Payment)?;
    let mut records = query(ChainQueryFilter::new().entry_type(payment_type).include_entries(true))?;
    records.sort_by_key(|r| std::cmp::Reverse(r.action().action_seq()));
    let payments = records.iter().map(|r| Ok((r.action_address().clone(), payment_of(r)?))).collect::<ExternResult<Vec<_>>>()?;
    let reclaimed: Vec<&ActionHash> =
        payments.iter().filter_map(|(_, p)| if let PaymentKind::Reclaim { voucher } = &p.kind { Some(voucher) } else { None }).collect();
    Ok(payments
        .iter()
        .filter_map(|(hash, payment)| {
            reclaimable_from(&payment.kind).map(|from| WrittenVoucher {
                voucher_hash: hash.clone(),
                voucher: payment.clone(),
                reclaimable_from: from,
                reclaimed: reclaimed.contains(&hash),
            })
        })
        .collect())
}

/// The payer takes back a voucher that expired unredeemed, witnessed; its payee takes no part.
#[hdk_extern]
pub fn start_reclaim(input: ReclaimInput) -> ExternResult<PaymentSession> {
    let (record, voucher) = my_voucher(&input.voucher)?;
    let village = current_village()?;
    payee_session(&village, &input.witnesses_online, || {
        let (reclaim, mine) = draft_reclaim_of(&input.voucher, record.action(), &voucher, &village)?;
        let payee_top = check_unclaimed(&input.voucher, record.action().timestamp(), &voucher, reclaim.at)?;
        let tops = AttestedTops { payer: payee_top, payee: own_chain_head()?, fund_held: None };
        Ok((reclaim, tops, mine))
    })
}

/// A voucher this agent wrote: the record on its own chain, and the voucher.
fn my_voucher(hash: &ActionHash) -> ExternResult<(Record, Payment)> {
    let me = agent_info()?.agent_initial_pubkey;
    let record = get(hash.clone(), GetOptions::local())?
        .filter(|r| *r.action().author() == me)
        .ok_or_else(|| refuse(ViolationCode::WrongVoucher, "no such voucher on your chain"))?;
    let voucher = payment_of(&record)?;
    Ok((record, voucher))
}

/// The reclaim an honest payer would commit now, without the checks against its own and the
/// payee's chains (`check_unclaimed`) or the witness. Tests hand drafts to the dishonest `forger` zome.
#[hdk_extern]
pub fn draft_reclaim(voucher_hash: ActionHash) -> ExternResult<Payment> {
    let (record, voucher) = my_voucher(&voucher_hash)?;
    Ok(draft_reclaim_of(&voucher_hash, record.action(), &voucher, &current_village()?)?.0)
}

/// Neither this agent (the voucher's payer) nor the voucher's payee has claimed it since it was
/// written, as their chains read now, and the payee's was read from past the expiry (or a week
/// passed); returns the payee's chain top it was read from.
fn check_unclaimed(voucher_hash: &ActionHash, since: Timestamp, voucher: &Payment, reclaim_at: Timestamp) -> ExternResult<ChainTop<ActionHash>> {
    let payee = &voucher.payee.agent;
    if claimed_since(voucher_hash, since)? {
        return Err(refuse(ViolationCode::VoucherRedeemed, "you have already taken this voucher back"));
    }
    let payee_top =
        current_top_of(payee)?.ok_or_else(|| refuse(ViolationCode::NotSynced, "the payee's chain is not reachable yet; try again in a moment"))?;
    voucher_unclaimed_now(payee, payee_top.hash.clone(), voucher_hash, since)
        .map_err(|_| refuse(ViolationCode::NotSynced, "your conductor has not yet read the payee's chain; try again in a moment"))?
        .map_err(violation)?;
    voucher_payee_seen_now(voucher, payee_top.hash.clone(), reclaim_at)
        .map_err(|_| refuse(ViolationCode::NotSynced, "your conductor has not yet read the payee's chain; try again in a moment"))?
        .map_err(violation)?;
    Ok(payee_top)
}

/// A reclaim of `voucher` by this agent (its payer), now, and the position it was drafted from.
fn draft_reclaim_of(
    voucher_hash: &ActionHash,
    voucher_action: &Action,
    voucher: &Payment,
    village: &VillageProperties,
) -> ExternResult<(Payment, Position)> {
    let me = agent_info()?.agent_initial_pubkey;
    let Some(from) = reclaimable_from(&voucher.kind) else {
        return Err(refuse(ViolationCode::WrongVoucher, "this is not a voucher"));
    };
    let now = sys_time()?;
    if now.as_micros() < from {
        let wait_secs = (from - now.as_micros() + 999_999) / 1_000_000;
        return Err(refuse(ViolationCode::WrongTime, format!("this voucher can be taken back in {wait_secs} s, once it has expired unredeemed")));
    }
    let payee = &voucher.payee.agent;
    let mine = read_my_position()?;
    if mine.closed {
        return Err(refuse(ViolationCode::AccountClosed, "your account is closed"));
    }
    let before = aged_to(&mine, now, village)?;
    let after = reclaimed_into(&before, &voucher.payee.after).map_err(violation)?;
    let reclaim = Payment {
        amount: voucher.amount,
        kind: PaymentKind::Reclaim { voucher: voucher_hash.clone() },
        at: now,
        payer: PartyState {
            agent: payee.clone(),
            previous_payment: None,
            before: voucher.payee.after.clone(),
            after: Account::opening(village.funds.len()),
        },
        payee: PartyState { agent: me.clone(), previous_payment: mine.latest_payment.clone(), before, after },
        memo: voucher.memo.clone(),
    };
    check_reclaim(&reclaim.facts(), &voucher.facts(), voucher_action.author(), village.funds.len()).map_err(violation)?;
    check_payment_entry(&reclaim.facts(), &[me], village).map_err(violation)?;
    Ok((reclaim, mine))
}

/// An agent's chain top as its authorities and this conductor's own store show it, the more
/// advanced of the two (`agent_activity_views`); the witness checks it is the current one.
pub fn current_top_of(agent: &AgentPubKey) -> ExternResult<Option<ChainTop<ActionHash>>> {
    let views = agent_activity_views(agent, ChainQueryFilter::new(), ActivityRequest::Status)?;
    Ok(views
        .into_iter()
        .filter_map(|view| view.highest_observed)
        .max_by_key(|highest| highest.action_seq)
        .and_then(|highest| highest.hash.into_iter().next().map(|hash| ChainTop { hash, seq: highest.action_seq })))
}
