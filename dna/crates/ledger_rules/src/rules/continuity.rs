use crate::{age, Account, Micros, PartySide, Village, Violation, ViolationCode};
use serde::{Deserialize, Serialize};

/// What a party's own chain says: read by the validator from the chain up to the new payment, and
/// by the coordinator to draft the next payment and show the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainPosition<H> {
    /// The party's latest payment before the new one, if it has made any.
    pub latest_payment: Option<H>,
    /// The account that latest payment left (an opening account before the first).
    pub account: Account,
    /// When that payment was made (None before the first payment: nothing has aged).
    pub at: Option<Micros>,
    /// The party closed its account after its latest payment.
    pub closed: bool,
}

impl<H> ChainPosition<H> {
    pub fn opening(funds: usize) -> Self {
        Self { latest_payment: None, account: Account::opening(funds), at: None, closed: false }
    }

    /// What a party wrote after this payment changes of its position: a closure closes the
    /// account; a cash-out request waits (its own validation numbered it one past the settled ones).
    /// Validation's walk and the app's reading of a chain both apply it.
    pub fn note_written_since(&mut self, closure: bool, cash_out_request: bool) {
        self.closed |= closure;
        if cash_out_request {
            self.account.cash_outs_requested = self.account.cash_outs + 1;
        }
    }

    /// The account as it stands at `now`, demurrage and contribution window applied.
    pub fn aged_to<K: PartialEq>(&self, now: Micros, village: &Village<K>) -> Result<Account, Violation> {
        age(&self.account, self.at.unwrap_or(now), now, village)
    }
}

/// Whether a party's newest account closure (by action sequence) follows its newest payment: a
/// closure with no payment after it closes the account.
pub fn closed_since(latest_payment_seq: Option<u32>, latest_closure_seq: Option<u32>) -> bool {
    written_since_payment(latest_payment_seq, latest_closure_seq)
}

/// Whether an action at chain position `seq` (if there is one) follows a party's newest payment.
pub fn written_since_payment(latest_payment_seq: Option<u32>, seq: Option<u32>) -> bool {
    seq.is_some_and(|written| latest_payment_seq.is_none_or(|paid| written > paid))
}

/// Rule: a party's previous payment named in the entry is really its latest one, its account has
/// not been closed since, and its `before` state is the account that payment left, aged to now.
/// This stops a replay of an old state, a fork that spends the same credit twice, an invented
/// starting balance, a skipped demurrage and trading after leaving.
pub fn check_continuity<K: PartialEq, H: PartialEq + std::fmt::Debug>(
    side: &PartySide<K, H>,
    chain: &ChainPosition<H>,
    now: Micros,
    village: &Village<K>,
) -> Result<(), Violation> {
    if chain.closed {
        return Err(Violation::new(ViolationCode::AccountClosed, "this account was closed and cannot trade again"));
    }
    if chain.at.is_some_and(|previous| now < previous) {
        // Dating a payment before the previous one would skip demurrage and reopen old windows.
        return Err(Violation::new(ViolationCode::WrongTime, "a payment cannot be dated before the party's previous payment"));
    }
    if side.previous_payment != chain.latest_payment {
        return Err(Violation::new(
            ViolationCode::BrokenContinuity,
            format!("previous payment must be the party's latest ({:?}), entry names {:?}", chain.latest_payment, side.previous_payment),
        ));
    }
    let expected = chain.aged_to(now, village)?;
    if side.before == expected {
        return Ok(());
    }
    if side.before.balance == chain.account.balance && expected.balance != chain.account.balance {
        return Err(Violation::new(
            ViolationCode::DemurrageNotApplied,
            format!("an idle balance of {} has decayed to {} by now; entry ignores the demurrage", chain.account.balance, expected.balance),
        ));
    }
    Err(Violation::new(
        ViolationCode::BrokenContinuity,
        format!("account before must be {expected:?} (left by the previous payment), entry says {:?}", side.before),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::village::tests::seed_village;
    use crate::MICROS_PER_SECOND;

    const DAY: Micros = 86_400 * MICROS_PER_SECOND;

    fn chain(latest: Option<u32>, balance: i64, at: Micros) -> ChainPosition<u32> {
        let mut account = Account::opening(2);
        account.balance = balance;
        ChainPosition { latest_payment: latest, account, at: Some(at), closed: false }
    }

    fn side(previous: Option<u32>, before: Account) -> PartySide<u8, u32> {
        PartySide { agent: 1, previous_payment: previous, after: before.clone(), before }
    }

    fn check(side: &PartySide<u8, u32>, chain: &ChainPosition<u32>, now: Micros) -> Result<(), ViolationCode> {
        check_continuity(side, chain, now, &seed_village()).map_err(|v| v.code)
    }

    #[test]
    fn naming_the_latest_payment_and_its_aged_account_passes() {
        let c = chain(Some(7), 40, DAY);
        assert_eq!(check(&side(Some(7), c.aged_to(2 * DAY, &seed_village()).unwrap()), &c, 2 * DAY), Ok(()));
        let first = ChainPosition::opening(2);
        assert_eq!(check(&side(None, first.aged_to(DAY, &seed_village()).unwrap()), &first, DAY), Ok(()));
    }

    #[test]
    fn a_payment_dated_before_the_previous_one_is_refused() {
        let c = chain(Some(7), 40, 2 * DAY);
        assert_eq!(check(&side(Some(7), c.account.clone()), &c, DAY), Err(ViolationCode::WrongTime));
    }

    #[test]
    fn replaying_an_older_payment_is_refused() {
        let c = chain(Some(7), 40, DAY);
        assert_eq!(check(&side(Some(6), c.aged_to(DAY, &seed_village()).unwrap()), &c, DAY), Err(ViolationCode::BrokenContinuity));
    }

    #[test]
    fn an_invented_starting_balance_is_refused() {
        let c = chain(Some(7), 40, DAY);
        let mut before = c.aged_to(DAY, &seed_village()).unwrap();
        before.balance = 400;
        assert_eq!(check(&side(Some(7), before), &c, DAY), Err(ViolationCode::BrokenContinuity));
    }

    #[test]
    fn ignoring_demurrage_on_an_idle_balance_is_refused() {
        let c = chain(Some(7), 10_000_000, 0);
        let mut before = c.aged_to(120 * DAY, &seed_village()).unwrap();
        assert_eq!(before.balance, 9_950_000);
        before.balance = 10_000_000;
        before.commons = c.account.commons.clone();
        assert_eq!(check(&side(Some(7), before), &c, 120 * DAY), Err(ViolationCode::DemurrageNotApplied));
    }

    #[test]
    fn only_a_closure_after_the_latest_payment_closes_the_account() {
        assert!(closed_since(Some(4), Some(5)));
        assert!(closed_since(None, Some(2)));
        assert!(!closed_since(Some(6), Some(5)));
        assert!(!closed_since(Some(6), None));
    }

    #[test]
    fn a_closed_account_cannot_trade_again() {
        let mut c = chain(Some(7), 0, DAY);
        c.closed = true;
        assert_eq!(check(&side(Some(7), c.aged_to(DAY, &seed_village()).unwrap()), &c, DAY), Err(ViolationCode::AccountClosed));
    }
}
