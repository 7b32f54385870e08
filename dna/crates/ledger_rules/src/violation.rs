use std::fmt;

/// Declares the one list of error codes: the variant, its stable wire string, what it means, how the
/// apps handle it, and what a member is told.
/// `ALL` lists them in order; the TypeScript client's `ErrorCode` union is generated from it
/// (`client/src/error-codes.ts`) and a test fails when the two drift.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal, $handling:ident, $sentence:literal,)*) => {
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

            /// How the apps treat a refusal with this code.
            pub fn handling(self) -> Handling {
                match self {
                    $(Self::$variant => Handling::$handling,)*
                }
            }

            /// What a member is told, in one sentence.
            pub fn sentence(self) -> &'static str {
                match self {
                    $(Self::$variant => $sentence,)*
                }
            }
        }
    };
}

/// How the apps treat a refusal, by its code: the one table the client's retries read (generated
/// into `client/src/error-codes.ts`). Where a stage of a payment treats a code otherwise, the client
/// says so beside that stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handling {
    /// The refusal stands until the member changes something: asking again changes nothing.
    NeverRetried,
    /// Nothing was written and the cause clears within moments (a store catching up, a witness
    /// busy, a lock released, a counterparty not yet reached): the app asks again within its window.
    RetriedAtOnce,
    /// A session of this member's is still settling (its own chain held, or a witness holding it):
    /// the app settles it, or waits for it, then asks again.
    RetriedAfterSettling,
    /// The payment may or may not have been recorded: the app reads the conductor's session state
    /// and the member's statement before it says anything else.
    OutcomeUnknown,
}

impl Handling {
    /// Every class, for the generated TypeScript.
    pub const ALL: &'static [Handling] = &[Handling::NeverRetried, Handling::RetriedAtOnce, Handling::RetriedAfterSettling, Handling::OutcomeUnknown];

    /// The stable name the TypeScript client reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Handling::NeverRetried => "never_retried",
            Handling::RetriedAtOnce => "retried_at_once",
            Handling::RetriedAfterSettling => "retried_after_settling",
            Handling::OutcomeUnknown => "outcome_unknown",
        }
    }
}

error_codes! {
    // ---- judged by validation on every peer ----
    /// An amount is not a positive integer of at most 2^53-1.
    InvalidAmount => "invalid_amount", NeverRetried, "Enter an amount greater than zero.",
    /// Payer and payee are the same agent.
    SelfPayment => "self_payment", NeverRetried, "You cannot pay yourself.",
    /// A party did not sign, or someone else signed in its place.
    ForgedCounterparty => "forged_counterparty", NeverRetried, "A party's signature is missing or not theirs: the payment was refused.",
    /// A payment was written without a countersigning session.
    NotCountersigned => "not_countersigned", NeverRetried, "A payment must be signed by both parties: this one was refused.",
    /// An `after` account is not what the village's rules make of the `before`.
    WrongBalance => "wrong_balance", NeverRetried, "The balances in this payment do not follow the village's rules: it was refused.",
    /// Balances plus commons contributions do not change by exactly zero.
    NotZeroSum => "not_zero_sum", NeverRetried, "This payment would create or destroy credit: it was refused.",
    /// A member would go below its credit floor.
    OverFloor => "over_floor", NeverRetried, "This payment would take you below your credit floor.",
    /// A member would go above its credit ceiling.
    OverCeiling => "over_ceiling", NeverRetried, "This payment would take the payee above their credit ceiling.",
    /// A payment does not start from the party's latest payment.
    BrokenContinuity => "broken_continuity", NeverRetried, "This payment does not follow on from the latest one on the ledger: it was refused.",
    /// Arithmetic would overflow.
    Overflow => "overflow", NeverRetried, "That amount is too large for the ledger.",
    /// The village's parameters are incoherent.
    InvalidVillage => "invalid_village", NeverRetried, "The village's settings are not coherent.",
    /// A ledger entry cannot be updated or deleted.
    ImmutablePayment => "immutable_payment", NeverRetried, "A recorded payment can never be changed or deleted.",
    /// A membership link or invitation is not what it claims.
    ForgedMember => "forged_member", NeverRetried, "That membership is not one a steward's invitation gave.",
    /// The levies to the commons funds are wrong.
    WrongLevy => "wrong_levy", NeverRetried, "The levies to the commons funds are not the village's: the payment was refused.",
    /// Care credits were not spent first or not kept as care.
    WrongCreditClass => "wrong_credit_class", NeverRetried, "Care credits were not spent first, or not kept as care: the payment was refused.",
    /// That kind of payment is not open to these accounts.
    WrongRole => "wrong_role", NeverRetried, "That kind of payment is not open to these accounts.",
    /// A settlement does not bring the leaving member to exactly zero.
    WrongSettlement => "wrong_settlement", NeverRetried, "A settlement must bring the leaving member to exactly zero.",
    /// A purchase does not match its offer, or an offer's price is not its parts.
    WrongOffer => "wrong_offer", NeverRetried, "The payment does not match the offer.",
    /// A cash-out does not settle a valid request of its payer.
    WrongCashOut => "wrong_cash_out", NeverRetried, "This cash-out does not settle a waiting request of yours.",
    /// Care credits can never be cashed out.
    CareNotCashable => "care_not_cashable", NeverRetried, "Care credits spend inside the village but can never be cashed out.",
    /// More than the cashable balance was asked for.
    NotCashable => "not_cashable", NeverRetried, "You can cash out at most your positive balance.",
    /// A cash-out request is still in its waiting period.
    CashOutTooEarly => "cash_out_too_early", NeverRetried, "This cash-out is still in its waiting period.",
    /// A party's idle balance was not aged by demurrage.
    DemurrageNotApplied => "demurrage_not_applied", NeverRetried, "An idle balance was not aged as the village's rules say: the payment was refused.",
    /// The account is closed.
    AccountClosed => "account_closed", NeverRetried, "That account is closed.",
    /// An account closes only at zero.
    AccountNotZero => "account_not_zero", NeverRetried, "An account closes at zero: settle it with the treasury first.",
    /// A payment's time is not its session's start, goes back in time, or its window is too long.
    WrongTime => "wrong_time", NeverRetried, "This payment's time is not its session's: check this machine's clock.",
    /// A payment session was not witnessed by one of the village's witnesses.
    NoWitness => "no_witness", NeverRetried, "The payment was not witnessed by the village's witnesses: it was refused.",
    /// A party's chain top in the session is not the one its witness attested.
    UnattestedChainTop => "unattested_chain_top", NeverRetried, "A ledger position in this payment is not the one its witnesses attested: it was refused.",
    /// A party is not a member: it joined without a steward's invitation.
    NotAMember => "not_a_member", NeverRetried, "Only members invited by a steward can trade in this village.",
    /// A memo, title, name or reference is empty or too long.
    InvalidText => "invalid_text", NeverRetried, "That text is too long or empty.",
    /// A fund index is not one of the village's funds.
    UnknownFund => "unknown_fund", NeverRetried, "That is not one of the village's funds.",
    /// Treasury spending beyond what its witness attested the fund holds.
    FundShort => "fund_short", NeverRetried, "The fund does not hold that much.",
    /// A voucher redeemed after it expired, or written with an expiry outside its lifetime.
    VoucherExpired => "voucher_expired", NeverRetried, "This voucher has expired.",
    /// A voucher its payee has already redeemed.
    VoucherRedeemed => "voucher_redeemed", NeverRetried, "This voucher has already been redeemed.",
    /// A reclaim read its voucher's payee's chain only up to before the voucher expired (a
    /// redemption could be on the far side of a split LAN), and the longer wait has not passed.
    PayeeNotSeen => "payee_not_seen", NeverRetried, "Its payee has not been seen since the voucher expired: you can take it back once their node has been online and written anything, or a week after it expired.",
    /// A redemption that does not match its voucher, or a voucher that is not one.
    WrongVoucher => "wrong_voucher", NeverRetried, "This is not a valid voucher for you.",
    /// A link may not be deleted, or not by this agent.
    ForbiddenDelete => "forbidden_delete", NeverRetried, "That cannot be deleted, or not by you.",
    /// An operation this village never allows (private entries, chain migration, key updates).
    ForbiddenOp => "forbidden_op", NeverRetried, "This village never allows that.",
    // ---- refused by a member's app or a witness before anything is written ----
    /// The witness saw a newer or forked chain than the session claims: a double-spend attempt.
    StaleChainTop => "stale_chain_top", NeverRetried, "The witness refused: this payment starts from an outdated ledger. Refresh and try again.",
    /// The witness has not yet seen the party's latest actions; try again.
    WitnessBehind => "witness_behind", RetriedAtOnce, "The witness has not caught up with the latest payments yet; try again in a moment.",
    /// Every witness answering was busy signing other payments; nothing was locked. Try again.
    WitnessBusy => "witness_busy", RetriedAtOnce, "The village's witnesses are busy with other payments; try again in a moment.",
    /// The witness holds an unfinished session of the party at this chain position (its conductor
    /// stopped mid-payment); it signs again once that session completes or is dropped.
    SessionUnsettled => "session_unsettled", RetriedAfterSettling, "Your last payment was interrupted and is still being settled; try again in a minute.",
    /// No village witness answered.
    NoWitnessOnline => "no_witness_online", NeverRetried, "A payment needs a majority of the village's witnesses online, and too few answered.",
    /// The counterparty's conductor could not be reached.
    CounterpartyOffline => "counterparty_offline", RetriedAtOnce, "The payee's app is not reachable right now.",
    /// The counterparty's conductor failed.
    CounterpartyError => "counterparty_error", NeverRetried, "The other member's app failed; nothing was recorded.",
    /// The payee is not a member of this village.
    UnknownMember => "unknown_member", NeverRetried, "That person is not a member of this village.",
    /// Only a steward can do that.
    NotASteward => "not_a_steward", NeverRetried, "Only a steward of this village can do that.",
    /// Another member already goes by that name.
    NameTaken => "name_taken", NeverRetried, "Another member already goes by that name.",
    /// Another payment session holds this chain until it completes or its window closes.
    PaymentInProgress => "payment_in_progress", RetriedAfterSettling, "Another payment is still in progress; try again in a few seconds.",
    /// The chain was still finishing its last payment: the lock Holochain left behind was released,
    /// nothing was written, and the call can be made again at once.
    LockReleased => "lock_released", RetriedAtOnce, "Your last payment was still finishing; try again.",
    /// A witness signed a later session since this one was drafted; the payment is drafted again.
    SignedLaterSession => "signed_later_session", RetriedAtOnce, "The witnesses moved on meanwhile; try again.",
    /// This chain wrote that payment; it completes once the other signers' actions arrive.
    SessionCompleting => "session_completing", RetriedAfterSettling, "Your last payment is still completing; try again in a moment.",
    /// The countersigning session could not be set up.
    SessionRefused => "session_refused", NeverRetried, "The payment session could not be set up; nothing was recorded.",
    /// The payee was asked to write its side too late in the session's window for the witness and
    /// the payer to write theirs; nothing was written.
    WindowClosing => "window_closing", RetriedAtOnce, "The network was too slow to finish the payment in time; nothing was recorded. Try again.",
    /// A party's ledger moved while the payment was prepared.
    StaleState => "stale_state", NeverRetried, "The payee's ledger changed meanwhile; try again.",
    /// A cash-out request is already waiting.
    CashOutPending => "cash_out_pending", NeverRetried, "A cash-out request is already waiting; settle it first.",
    /// The record named is not a payment.
    NotAPayment => "not_a_payment", NeverRetried, "That record is not a payment.",
    /// A statement page must hold at least one payment and at most a hundred.
    InvalidPage => "invalid_page", NeverRetried, "That page of your statement could not be read; start again from your newest payments.",
    /// This conductor has not yet received what it needs.
    NotSynced => "not_synced", RetriedAtOnce, "Not yet seen on the network: the other member's app has to be online once first. Try again later.",
    /// The village has no cash boundary.
    NoBoundary => "no_boundary", NeverRetried, "This village has no cash boundary.",
    /// The village has no treasury.
    NoTreasury => "no_treasury", NeverRetried, "This village has no treasury.",
    // ---- reported by the client ----
    /// The session ended without completing; nothing was recorded.
    SessionTimeout => "session_timeout", OutcomeUnknown, "The payment did not complete in time; its outcome is not known yet. Check your statement before paying again.",
    /// The session was abandoned; nothing was recorded.
    SessionAbandoned => "session_abandoned", NeverRetried, "The payment was abandoned; nothing was recorded.",
    /// The conductor answered with an error that carries no code.
    ConductorError => "conductor_error", NeverRetried, "Your node answered with an error it did not explain.",
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
            assert!(code.sentence().ends_with('.'), "{} has no sentence for members", code.as_str());
            assert_eq!(ViolationCode::parse(code.as_str()), Some(*code));
        }
    }
}
