use std::fmt;

/// Declares the one list of error codes: the variant, its stable wire string, and what it means.
/// `ALL` lists them in order; the TypeScript client's `ErrorCode` union is generated from it
/// (`client/src/error-codes.ts`) and a test fails when the two drift.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal,)*) => {
        /// Stable codes: validation, the coordinator, the TypeScript client and the UI all key on these.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ViolationCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ViolationCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ViolationCode] = &[$(ViolationCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }

            /// The doc comment of the code, for the generated TypeScript.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Self::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }
        }
    };
}

error_codes! {
    // ---- judged by validation on every peer ----
    /// An amount is not a positive integer of at most 2^53-1.
    InvalidAmount => "invalid_amount",
    /// Payer and payee are the same agent.
    SelfPayment => "self_payment",
    /// A party did not sign, or someone else signed in its place.
    ForgedCounterparty => "forged_counterparty",
    /// A payment was written without a countersigning session.
    NotCountersigned => "not_countersigned",
    /// An `after` account is not what the village's rules make of the `before`.
    WrongBalance => "wrong_balance",
    /// Balances plus commons contributions do not change by exactly zero.
    NotZeroSum => "not_zero_sum",
    /// A member would go below its credit floor.
    OverFloor => "over_floor",
    /// A member would go above its credit ceiling.
    OverCeiling => "over_ceiling",
    /// A payment does not start from the party's latest payment.
    BrokenContinuity => "broken_continuity",
    /// Arithmetic would overflow.
    Overflow => "overflow",
    /// The village's parameters are incoherent.
    InvalidVillage => "invalid_village",
    /// A ledger entry cannot be updated or deleted.
    ImmutablePayment => "immutable_payment",
    /// A membership link or invitation is not what it claims.
    ForgedMember => "forged_member",
    /// The levies to the commons funds are wrong.
    WrongLevy => "wrong_levy",
    /// Care credits were not spent first or not kept as care.
    WrongCreditClass => "wrong_credit_class",
    /// That kind of payment is not open to these accounts.
    WrongRole => "wrong_role",
    /// A settlement does not bring the leaving member to exactly zero.
    WrongSettlement => "wrong_settlement",
    /// A purchase does not match its offer, or an offer's price is not its parts.
    WrongOffer => "wrong_offer",
    /// A cash-out does not settle a valid request of its payer.
    WrongCashOut => "wrong_cash_out",
    /// Care credits can never be cashed out.
    CareNotCashable => "care_not_cashable",
    /// More than the cashable balance was asked for.
    NotCashable => "not_cashable",
    /// A cash-out request is still in its waiting period.
    CashOutTooEarly => "cash_out_too_early",
    /// A party's idle balance was not aged by demurrage.
    DemurrageNotApplied => "demurrage_not_applied",
    /// The account is closed.
    AccountClosed => "account_closed",
    /// An account closes only at zero.
    AccountNotZero => "account_not_zero",
    /// A payment's time is not its session's start, goes back in time, or its window is too long.
    WrongTime => "wrong_time",
    /// A payment session was not witnessed by one of the village's witnesses.
    NoWitness => "no_witness",
    /// A party's chain top in the session is not the one its witness attested.
    UnattestedChainTop => "unattested_chain_top",
    /// A party is not a member: it joined without a steward's invitation.
    NotAMember => "not_a_member",
    /// A memo, title, name or reference is empty or too long.
    InvalidText => "invalid_text",
    /// A fund index is not one of the village's funds.
    UnknownFund => "unknown_fund",
    /// Treasury spending beyond what its witness attested the fund holds.
    FundShort => "fund_short",
    /// A voucher redeemed after it expired, or written with an expiry outside its lifetime.
    VoucherExpired => "voucher_expired",
    /// A voucher its payee has already redeemed.
    VoucherRedeemed => "voucher_redeemed",
    /// A reclaim read its voucher's payee's chain only up to before the voucher expired (a
    /// redemption could be on the far side of a split LAN), and the longer wait has not passed.
    PayeeNotSeen => "payee_not_seen",
    /// A redemption that does not match its voucher, or a voucher that is not one.
    WrongVoucher => "wrong_voucher",
    /// A link may not be deleted, or not by this agent.
    ForbiddenDelete => "forbidden_delete",
    /// An operation this village never allows (private entries, chain migration, key updates).
    ForbiddenOp => "forbidden_op",
    // ---- refused by a member's app or a witness before anything is written ----
    /// The witness saw a newer or forked chain than the session claims: a double-spend attempt.
    StaleChainTop => "stale_chain_top",
    /// The witness has not yet seen the party's latest actions; try again.
    WitnessBehind => "witness_behind",
    /// Every witness answering was busy signing other payments; nothing was locked. Try again.
    WitnessBusy => "witness_busy",
    /// The witness holds an unfinished session of the party at this chain position (its conductor
    /// stopped mid-payment); it signs again once that session completes or is dropped.
    SessionUnsettled => "session_unsettled",
    /// No village witness answered.
    NoWitnessOnline => "no_witness_online",
    /// The counterparty's conductor could not be reached.
    CounterpartyOffline => "counterparty_offline",
    /// The counterparty's conductor failed.
    CounterpartyError => "counterparty_error",
    /// The payee is not a member of this village.
    UnknownMember => "unknown_member",
    /// Only a steward can do that.
    NotASteward => "not_a_steward",
    /// Another member already goes by that name.
    NameTaken => "name_taken",
    /// Another payment session holds this chain until it completes or its window closes.
    PaymentInProgress => "payment_in_progress",
    /// The chain was still finishing its last payment: the lock Holochain left behind was released,
    /// nothing was written, and the call can be made again at once.
    LockReleased => "lock_released",
    /// A witness signed a later session since this one was drafted; the payment is drafted again.
    SignedLaterSession => "signed_later_session",
    /// This chain wrote that payment; it completes once the other signers' actions arrive.
    SessionCompleting => "session_completing",
    /// The countersigning session could not be set up.
    SessionRefused => "session_refused",
    /// The payee was asked to write its side too late in the session's window for the witness and
    /// the payer to write theirs; nothing was written.
    WindowClosing => "window_closing",
    /// A party's ledger moved while the payment was prepared.
    StaleState => "stale_state",
    /// A cash-out request is already waiting.
    CashOutPending => "cash_out_pending",
    /// The record named is not a payment.
    NotAPayment => "not_a_payment",
    /// A statement page must hold at least one payment and at most a hundred.
    InvalidPage => "invalid_page",
    /// This conductor has not yet received what it needs.
    NotSynced => "not_synced",
    /// The village has no cash boundary.
    NoBoundary => "no_boundary",
    /// The village has no treasury.
    NoTreasury => "no_treasury",
    // ---- reported by the client ----
    /// The session ended without completing; nothing was recorded.
    SessionTimeout => "session_timeout",
    /// The session was abandoned; nothing was recorded.
    SessionAbandoned => "session_abandoned",
    /// The conductor answered with an error that carries no code.
    ConductorError => "conductor_error",
}

impl ViolationCode {
    /// The code for its wire string.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

/// Why a rule refused: a stable code and a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub code: ViolationCode,
    pub message: String,
}

impl Violation {
    pub fn new(code: ViolationCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// Rendered as `[cc:<code>] <message>`: the marker survives the conductor's error wrapping, so clients
/// read the code back out of any error text.
impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[cc:{}] {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Violation {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for code in ViolationCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {}", code.as_str());
            assert!(code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", code.as_str());
            assert!(!code.meaning().is_empty(), "{} has no meaning", code.as_str());
            assert_eq!(ViolationCode::parse(code.as_str()), Some(*code));
        }
    }
}
