//! Offline vouchers. With no network at all, a payer writes a voucher on its own chain: a payment
//! signed by the payer alone that debits it at once (validation covers it by the payer's floor) and
//! carries the payee's credit. It travels to the payee as a code (the signed action and its entry,
//! as the conductor serialized them), which the payee's app can check offline. Once the payer's
//! conductor has been online to publish it, the payee redeems it with a witness, without the payer:
//! a redemption names the voucher, copies its payer side and credits the payee with exactly what it
//! carries. Validation refuses a redemption after expiry, of a voucher past the payer's floor, or of
//! one the payee already redeemed.
use crate::activity::{fetch_record, own_chain_newest_first};
use crate::error::violation;
use crate::members::member;
use crate::pay::{initiator, lock_my_chain, my_top, witness_first, PaymentSession};
use crate::position::{aged_to, payment_of, read_my_position, Position};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{
    check_amount, check_memo, check_payment_entry, check_redemption, check_voucher_issue, expected_after, redeemed_into, AttestedTops, ChainTop,
    MAX_VOUCHER_LIFETIME_MICROS,
};
use ledger_integrity::{
    current_village, Account, EntryTypes, PartyState, Payment, PaymentKind, UnitEntryTypes, Units, VillageProperties, ViolationCode,
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
    if redeemed_since(&voucher_hash, voucher.at)? {
        return Err(refuse(ViolationCode::VoucherRedeemed, "you have already redeemed this voucher"));
    }
    let village = current_village()?;
    let voucher_top = ChainTop { hash: voucher_hash.clone(), seq: voucher_action.action_seq() };
    let signed = witness_first(&village, &input.witnesses_online, || {
        let (redemption, mine) = draft_redemption_of(&voucher_hash, &voucher_action, &voucher, &village)?;
        let tops = AttestedTops { payer: voucher_top.clone(), payee: my_top()?, fund_held: None };
        Ok((redemption, tops, mine))
    })?;
    debug_assert_eq!(initiator(&signed.payment), &me);
    let Some(my_response) = lock_my_chain(&signed, &signed.tops.payee)? else {
        return Ok(signed.unfinished());
    };
    Ok(PaymentSession { payment: signed.payment, responses: vec![signed.witness_response, my_response] })
}

/// The redemption an honest payee would commit now, without the checks against its own history
/// (`redeemed_since`) or the witness. Tests hand drafts, altered, to the dishonest `forger` zome.
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

/// Whether this agent's chain holds a redemption of `voucher` written since `since`. Walks back
/// from the head in pages until an action older than `since`: a week of this chain at most.
fn redeemed_since(voucher: &ActionHash, since: Timestamp) -> ExternResult<bool> {
    let payment_type = EntryType::try_from(UnitEntryTypes::Payment)?;
    let mut redeemed = false;
    own_chain_newest_first(ChainQueryFilter::new().include_entries(true), 64, 0, |records| {
        for record in records.iter().filter(|r| r.action().entry_type() == Some(&payment_type)) {
            redeemed |= matches!(payment_of(record)?.kind, PaymentKind::Redemption { voucher: ref v } if v == voucher);
        }
        Ok(redeemed || records.iter().any(|r| r.action().timestamp() < since))
    })?;
    Ok(redeemed)
}
