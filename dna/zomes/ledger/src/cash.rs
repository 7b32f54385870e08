//! The cash boundary: credit issued for cash at par, redeemed for cash after a request has waited
//! the village's period, less the boundary co-op's fee. Care credits never leave.
use crate::history::payments_of;
use crate::position::{aged_to, read_my_position};
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{cash_out_fee, cash_out_ready_at, check_amount, check_cash_out_request};
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, Account, CashOutRequest, EntryTypes, Kind, Units};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct CashOutTicket {
    pub request: ActionHash,
    pub amount: Units,
    pub number: u32,
    /// The fee the boundary co-op keeps, and the cash paid out.
    pub fee: Units,
    pub cash_paid: Units,
    /// When the request was written.
    pub requested_at: Timestamp,
    /// When the request can settle: its wait, and the clocks' tolerance (`check_cash_out`).
    pub ready_at: Timestamp,
}

/// Records a request to cash out `amount`; it settles (a `CashOut` payment to the boundary) once
/// the waiting period has passed. One request waits at a time.
#[hdk_extern]
pub fn request_cash_out(amount: Units) -> ExternResult<CashOutTicket> {
    check_amount(amount).map_err(crate::error::violation)?;
    let village = current_village()?;
    if village.boundary.is_none() {
        return Err(refuse(ViolationCode::NoBoundary, "this village has no cash boundary"));
    }
    let position = read_my_position()?;
    let account = aged_to(&position, sys_time()?, &village)?;
    // The rule validation runs on the request, checked before writing; a request already waiting
    // gets its own code after the rule's other checks.
    let number = account.cash_outs + 1;
    let none_waiting = Account { cash_outs_requested: account.cash_outs, ..account.clone() };
    check_cash_out_request(amount, number, &none_waiting).map_err(crate::error::violation)?;
    if account.cash_outs_requested != account.cash_outs {
        return Err(refuse(ViolationCode::CashOutPending, "a cash-out request is already waiting; settle it first"));
    }
    let request = create_entry(EntryTypes::CashOutRequest(CashOutRequest { amount, number, previous_payment: position.latest_payment }))?;
    let record = get(request.clone(), GetOptions::local())?.ok_or_else(|| refuse(ViolationCode::NotSynced, "the request was not written"))?;
    let fee = cash_out_fee(amount, village.cash_out);
    let requested_at = record.action().timestamp();
    let ready_at = Timestamp::from_micros(cash_out_ready_at(requested_at.as_micros(), village.cash_out));
    Ok(CashOutTicket { request, amount, number, fee, cash_paid: amount - fee, requested_at, ready_at })
}

/// The cash boundary's published reserve: cash it holds against the credit it issued.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct BoundaryReserve {
    pub cash_in: Units,
    pub cash_paid_out: Units,
    pub fees: Units,
    /// Cash in hand: taken in less paid out.
    pub cash_held: Units,
    /// Credit issued through the boundary and not yet redeemed: the boundary's own debit balance.
    pub credit_outstanding: Units,
}

#[hdk_extern]
pub fn boundary_reserve(_: ()) -> ExternResult<BoundaryReserve> {
    let boundary = current_village()?.boundary.ok_or_else(|| refuse(ViolationCode::NoBoundary, "this village has no cash boundary"))?;
    let mut reserve = BoundaryReserve { cash_in: 0, cash_paid_out: 0, fees: 0, cash_held: 0, credit_outstanding: 0 };
    for record in payments_of(&boundary)? {
        match record.payment.kind {
            Kind::CashIn { .. } => reserve.cash_in += record.payment.amount,
            Kind::CashOut { fee, .. } => {
                reserve.cash_paid_out += record.payment.amount - fee;
                reserve.fees += fee;
            }
            _ => {}
        }
    }
    reserve.cash_held = reserve.cash_in - reserve.cash_paid_out;
    reserve.credit_outstanding = reserve.cash_in - reserve.cash_paid_out - reserve.fees;
    Ok(reserve)
}
