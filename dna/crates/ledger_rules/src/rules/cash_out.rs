use crate::{check_amount, Account, CashOutPolicy, Micros, Units, Violation, ViolationCode, CLOCK_TOLERANCE_MICROS, MICROS_PER_SECOND, WHOLE_BP};

/// A member's request to take credit out as cash, recorded on its own chain before the settlement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CashOutRequestFacts<K> {
    pub author: K,
    pub amount: Units,
    /// The member's n-th cash-out: settles only when the member has settled n - 1.
    pub number: u32,
    /// When the request was written.
    pub at: Micros,
}

/// When a request written at `requested_at` can settle: after the village's wait, and the clocks'
/// tolerance on top, so a session dated ahead (as far as an honest witness allows) never settles early.
pub fn cash_out_ready_at(requested_at: Micros, policy: CashOutPolicy) -> Micros {
    requested_at.saturating_add(policy.wait_secs as Micros * MICROS_PER_SECOND).saturating_add(CLOCK_TOLERANCE_MICROS)
}

/// The boundary co-op's fee on `amount`, rounded down: the rest is paid out in cash.
pub fn cash_out_fee(amount: Units, policy: CashOutPolicy) -> Units {
    (amount as i128 * policy.fee_bp as i128 / WHOLE_BP as i128) as Units
}

/// Rule: a cash-out settles the payer's own, next, unsettled request, for at most its amount (a
/// member who spent part of it since takes out the rest: one request waits at a time, so it must
/// be able to settle), once the
/// village's waiting period has passed, with the village's fee, and never takes out care credits
/// (they spend inside the network only) or more than the payer holds. The wait is counted from
/// the request to the payment's time less the clock tolerance, so a session dated ahead (as far
/// as an honest witness allows) never settles early.
pub fn check_cash_out<K: PartialEq>(
    payer: &K,
    amount: Units,
    fee: Units,
    payer_before: &Account,
    request: &CashOutRequestFacts<K>,
    now: Micros,
    policy: CashOutPolicy,
) -> Result<(), Violation> {
    let wrong = |why: String| Err(Violation::new(ViolationCode::WrongCashOut, why));
    if request.author != *payer {
        return wrong("a cash-out settles the payer's own request".into());
    }
    if amount > request.amount {
        return wrong(format!("the request was for {}, the settlement pays {amount}", request.amount));
    }
    if request.number != payer_before.cash_outs + 1 {
        return wrong(format!("the next request to settle is number {}, this is number {}", payer_before.cash_outs + 1, request.number));
    }
    let expected_fee = cash_out_fee(amount, policy);
    if fee != expected_fee {
        return wrong(format!("the fee on {amount} is {expected_fee}, entry says {fee}"));
    }
    if payer_before.cash_outs_requested != request.number {
        return wrong(format!(
            "the payer's chain shows {} cash-out requests written, not request {}",
            payer_before.cash_outs_requested, request.number
        ));
    }
    let ready_at = cash_out_ready_at(request.at, policy);
    if now < ready_at {
        return Err(Violation::new(
            ViolationCode::CashOutTooEarly,
            format!(
                "a cash-out waits {} s after its request, and {} s more for the clocks' tolerance; {} s are left",
                policy.wait_secs,
                CLOCK_TOLERANCE_MICROS / MICROS_PER_SECOND,
                (ready_at - now + MICROS_PER_SECOND - 1) / MICROS_PER_SECOND
            ),
        ));
    }
    check_cashable(amount, payer_before)
}

/// Rule: a cash-out request is covered and numbered when it is written: the member holds the
/// cashable credit it asks for (so the waiting period runs on credit already held), it is the
/// member's next number (one more than it has settled), and no other request of the member is
/// waiting anywhere on its chain. `account` is the member's account as its chain leaves it before
/// the request (aged to the request's time, `cash_outs_requested` counting any request written
/// since its latest payment), so a request waiting from before that payment is still counted.
pub fn check_cash_out_request(amount: Units, number: u32, account: &Account) -> Result<(), Violation> {
    check_amount(amount)?;
    check_cashable(amount, account)?;
    if number != account.cash_outs + 1 {
        return Err(Violation::new(
            ViolationCode::WrongCashOut,
            format!("the next cash-out request is number {}, this is number {number}", account.cash_outs + 1),
        ));
    }
    if account.cash_outs_requested != account.cash_outs {
        return Err(Violation::new(ViolationCode::WrongCashOut, "another cash-out request is already waiting to settle"));
    }
    Ok(())
}

/// Rule: no more than `balance - care` leaves through the boundary: care credits never, and
/// nothing beyond a positive balance.
pub fn check_cashable(amount: Units, account: &Account) -> Result<(), Violation> {
    if amount <= account.cashable() {
        return Ok(());
    }
    if amount <= account.balance {
        return Err(Violation::new(
            ViolationCode::CareNotCashable,
            format!("{} of this balance are care credits, which can never be cashed out; at most {} can be", account.care, account.cashable()),
        ));
    }
    Err(Violation::new(ViolationCode::NotCashable, format!("at most {} can be cashed out", account.cashable())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: CashOutPolicy = CashOutPolicy { fee_bp: 1_000, wait_secs: 3 * 86_400 };
    const READY: Micros = 3 * 86_400 * MICROS_PER_SECOND + CLOCK_TOLERANCE_MICROS;

    /// An account with request number 1 waiting.
    fn holding(balance: Units, care: Units) -> Account {
        Account { balance, care, cash_outs_requested: 1, ..Account::opening(2) }
    }

    #[test]
    fn a_request_is_covered_numbered_and_alone_when_written() {
        let held = Account { cash_outs: 2, cash_outs_requested: 2, ..holding(1_000, 200) };
        assert_eq!(check_cash_out_request(800, 3, &held), Ok(()));
        assert_eq!(check_cash_out_request(900, 3, &held).unwrap_err().code, ViolationCode::CareNotCashable);
        assert_eq!(check_cash_out_request(2_000, 3, &held).unwrap_err().code, ViolationCode::NotCashable);
        assert_eq!(check_cash_out_request(800, 2, &held).unwrap_err().code, ViolationCode::WrongCashOut);
        assert_eq!(check_cash_out_request(800, 4, &held).unwrap_err().code, ViolationCode::WrongCashOut);
        let waiting = Account { cash_outs_requested: 3, ..held.clone() };
        assert_eq!(check_cash_out_request(800, 3, &waiting).unwrap_err().code, ViolationCode::WrongCashOut);
        assert_eq!(check_cash_out_request(0, 3, &held).unwrap_err().code, ViolationCode::InvalidAmount);
    }

    fn request(amount: Units) -> CashOutRequestFacts<u8> {
        CashOutRequestFacts { author: 1, amount, number: 1, at: 0 }
    }

    fn check(amount: Units, fee: Units, before: &Account, now: Micros) -> Result<(), ViolationCode> {
        check_cash_out(&1, amount, fee, before, &request(amount), now, POLICY).map_err(|v| v.code)
    }

    #[test]
    fn a_hundred_credits_pay_ninety_in_cash_and_ten_to_the_boundary_co_op() {
        assert_eq!(cash_out_fee(10_000_000, POLICY), 1_000_000);
        assert_eq!(check(10_000_000, 1_000_000, &holding(10_000_000, 0), READY), Ok(()));
    }

    #[test]
    fn a_cash_out_before_its_waiting_period_is_refused() {
        assert_eq!(check(10_000_000, 1_000_000, &holding(10_000_000, 0), READY - 1), Err(ViolationCode::CashOutTooEarly));
        let dated_ahead = READY - CLOCK_TOLERANCE_MICROS;
        assert_eq!(
            check(10_000_000, 1_000_000, &holding(10_000_000, 0), dated_ahead),
            Err(ViolationCode::CashOutTooEarly),
            "the tolerance gains nothing"
        );
    }

    #[test]
    fn a_request_settles_for_at_most_its_amount() {
        let before = holding(10_000_000, 0);
        assert_eq!(check_cash_out(&1, 4_000_000, 400_000, &before, &request(10_000_000), READY, POLICY), Ok(()));
    }

    #[test]
    fn a_cash_out_settles_only_a_request_its_chain_shows() {
        let unseen = Account { cash_outs_requested: 0, ..holding(10_000_000, 0) };
        assert_eq!(check(10_000_000, 1_000_000, &unseen, READY), Err(ViolationCode::WrongCashOut));
    }

    #[test]
    fn care_credits_are_never_cashed_out() {
        let with_care = holding(10_000_000, 4_000_000);
        assert_eq!(check(6_000_000, 600_000, &with_care, READY), Ok(()));
        assert_eq!(check(6_000_001, 600_000, &with_care, READY), Err(ViolationCode::CareNotCashable));
        assert_eq!(check(10_000_001, 1_000_000, &holding(10_000_000, 0), READY), Err(ViolationCode::NotCashable));
    }

    #[test]
    fn a_wrong_fee_another_amount_or_a_settled_request_is_refused() {
        let before = holding(10_000_000, 0);
        assert_eq!(check(10_000_000, 0, &before, READY), Err(ViolationCode::WrongCashOut));
        let more = check_cash_out(&1, 15_000_000, 1_500_000, &before, &request(10_000_000), READY, POLICY);
        assert_eq!(more.unwrap_err().code, ViolationCode::WrongCashOut);
        let settled = Account { cash_outs: 1, cash_outs_requested: 2, ..before.clone() };
        assert_eq!(check(10_000_000, 1_000_000, &settled, READY), Err(ViolationCode::WrongCashOut));
        let someone_elses = check_cash_out(&2, 10_000_000, 1_000_000, &before, &request(10_000_000), READY, POLICY);
        assert_eq!(someone_elses.unwrap_err().code, ViolationCode::WrongCashOut);
    }
}
