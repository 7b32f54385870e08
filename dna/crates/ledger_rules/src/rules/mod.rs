//! One module per rule; `check_payment_entry` runs the ones that need nothing but the entry itself
//! and the village's parameters. Continuity, offers and cash-out requests need records the
//! integrity zome fetches first.
mod aging;
mod amount;
mod cash_out;
mod clock;
mod closure;
mod continuity;
mod demurrage;
mod fields;
mod fork;
mod levies;
mod limits;
mod membership;
mod offer;
mod parties;
mod roles;
mod transfer;
mod village;
mod voucher;
mod witness;
mod zero_sum;

#[cfg(test)]
mod vectors;

pub use aging::age;
pub use amount::check_amount;
pub use cash_out::{cash_out_fee, cash_out_ready_at, check_cash_out, check_cash_out_request, check_cashable, CashOutRequestFacts};
pub use clock::{check_session_clock, CLOCK_TOLERANCE_MICROS};
pub use closure::{check_closure, check_settlement, settles_member};
pub use continuity::{check_continuity, closed_since, written_since_payment, ChainPosition};
pub use demurrage::{decay, Decay, DemurragePolicy, MAX_DECAY_PERIODS};
pub use fields::{
    check_kind_fields, check_label, check_link_tag, check_memo, check_session_times, check_text, MAX_LABEL_CHARS, MAX_MEMO_CHARS, MAX_NAME_CHARS,
    MAX_NAME_TAG_BYTES, MAX_SESSION_MICROS, MAX_TITLE_CHARS,
};
pub use fork::fork_excess;
pub use levies::{split_levies, LevySplit, WHOLE_BP};
pub use limits::check_limits;
pub use membership::{check_invitation, check_listed_name, InvitationTerms};
pub use offer::{check_offer, check_offer_listing, check_purchase, PriceBreakdown};
pub use parties::check_parties;
pub use roles::{check_roles, kind_name};
pub use transfer::{check_transfer, expected_after};
pub use village::{CashOutPolicy, FounderName, Fund, LimitPolicy, Role, Village, MAX_STEWARDS, MAX_WITNESSES};
pub use voucher::{
    check_payee_seen_after_expiry, check_reclaim, check_redemption, check_voucher_issue, reclaimable_from, reclaimed_into, redeemed_into,
    MAX_VOUCHER_DATING_MICROS, MAX_VOUCHER_LIFETIME_MICROS, VOUCHER_PAYEE_UNSEEN_WAIT_MICROS, VOUCHER_RECLAIM_GRACE_MICROS,
};
pub use witness::{check_fund_cover, check_witnessed, distinct_village_witnesses, fund_spent, witness_quorum, AttestedTops, ChainTop};
pub use zero_sum::check_zero_sum;

use crate::{Kind, PaymentFacts, Violation};

/// The rules an entry authority can check from the entry, its signers and the village alone.
pub fn check_payment_entry<K: PartialEq, H>(payment: &PaymentFacts<K, H>, signers: &[K], village: &Village<K>) -> Result<(), Violation> {
    check_amount(payment.amount)?;
    check_kind_fields(&payment.kind, village)?;
    check_parties(&payment.payer.agent, &payment.payee.agent, signers, payment.kind.signing_parties())?;
    check_roles(&payment.kind, &payment.payer, &payment.payee, village)?;
    if let Kind::Settlement = payment.kind {
        let member_is_payer = village.role_of(&payment.payer.agent) == Role::Member;
        let member = if member_is_payer { &payment.payer } else { &payment.payee };
        check_settlement(payment.amount, &member.before, member_is_payer)?;
    }
    // A redemption's and a reclaim's sides are checked against their voucher (`check_redemption`,
    // `check_reclaim`), which validation fetches.
    if !matches!(payment.kind, Kind::Redemption { .. } | Kind::Reclaim { .. }) {
        check_transfer(payment, village)?;
    }
    check_zero_sum(payment)?;
    check_limits(payment, village)
}

#[cfg(test)]
pub(crate) mod fixtures {
    use crate::rules::village::tests::seed_village;
    use crate::{expected_after, Account, Kind, PartySide, PaymentFacts, Units};

    /// A hash standing for any record.
    pub const H: u32 = 7;

    pub fn side(agent: u8, balance: Units) -> PartySide<u8, u32> {
        let before = Account { balance, ..Account::opening(2) };
        PartySide { agent, previous_payment: None, after: before.clone(), before }
    }

    /// A consistent payment of `amount` from agent 1 (at `payer_before`) to agent 2 (at
    /// `payee_before`), in the seed village.
    pub fn payment(kind: Kind<u32>, amount: Units, payer_before: Units, payee_before: Units) -> PaymentFacts<u8, u32> {
        PaymentFacts { amount, kind, at: 0, payer: side(1, payer_before), payee: side(2, payee_before) }.settled()
    }

    impl PaymentFacts<u8, u32> {
        /// Recomputes both `after` states from the `before` states (left as they are when the
        /// payment itself is invalid, e.g. a zero amount).
        pub fn settled(mut self) -> Self {
            let expected = expected_after(
                self.amount,
                &self.kind,
                (&self.payer.agent, &self.payer.before),
                (&self.payee.agent, &self.payee.before),
                &seed_village(),
            );
            if let Ok((payer, payee)) = expected {
                (self.payer.after, self.payee.after) = (payer, payee);
            }
            self
        }
        pub fn from_agent(mut self, agent: u8) -> Self {
            self.payer.agent = agent;
            self.settled()
        }
        pub fn to_agent(mut self, agent: u8) -> Self {
            self.payee.agent = agent;
            self.settled()
        }
        pub fn with_payer_care(mut self, care: Units) -> Self {
            self.payer.before.care = care;
            self.settled()
        }
        pub fn with_payer_earned(mut self, earned: Units) -> Self {
            self.payer.before.earned = earned;
            self.settled()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::village::tests::seed_village;
    use super::*;
    use crate::ViolationCode;

    #[test]
    fn a_consistent_payment_passes_every_entry_rule() {
        assert_eq!(check_payment_entry(&payment(Kind::Trade, 200_000, 0, 0), &[1, 2], &seed_village()), Ok(()));
    }

    #[test]
    fn the_first_broken_rule_is_reported() {
        let village = seed_village();
        let err = check_payment_entry(&payment(Kind::Trade, 0, 0, 0), &[1, 2], &village).unwrap_err();
        assert_eq!(err.code, ViolationCode::InvalidAmount);
        let err = check_payment_entry(&payment(Kind::Trade, 50, -1_999_990, 0), &[1, 2], &village).unwrap_err();
        assert_eq!(err.code, ViolationCode::OverFloor);
        let err = check_payment_entry(&payment(Kind::Settlement, 40_000, 50_000, 0).to_agent(100), &[1, 100], &village).unwrap_err();
        assert_eq!(err.code, ViolationCode::WrongSettlement);
    }
}
