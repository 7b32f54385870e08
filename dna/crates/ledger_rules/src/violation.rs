use std::fmt;

/// Stable codes: the coordinator, the TypeScript client and the UI all key on these strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationCode {
    InvalidAmount,
    SelfPayment,
    ForgedCounterparty,
    NotCountersigned,
    WrongBalance,
    NotZeroSum,
    OverFloor,
    OverCeiling,
    BrokenContinuity,
    Overflow,
    InvalidVillage,
    ImmutablePayment,
    ForgedMember,
    WrongLevy,
    WrongCreditClass,
    WrongRole,
    WrongSettlement,
    WrongOffer,
    WrongCashOut,
    CareNotCashable,
    NotCashable,
    CashOutTooEarly,
    DemurrageNotApplied,
    AccountClosed,
    AccountNotZero,
    WrongTime,
}

impl ViolationCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidAmount => "invalid_amount",
            Self::SelfPayment => "self_payment",
            Self::ForgedCounterparty => "forged_counterparty",
            Self::NotCountersigned => "not_countersigned",
            Self::WrongBalance => "wrong_balance",
            Self::NotZeroSum => "not_zero_sum",
            Self::OverFloor => "over_floor",
            Self::OverCeiling => "over_ceiling",
            Self::BrokenContinuity => "broken_continuity",
            Self::Overflow => "overflow",
            Self::InvalidVillage => "invalid_village",
            Self::ImmutablePayment => "immutable_payment",
            Self::ForgedMember => "forged_member",
            Self::WrongLevy => "wrong_levy",
            Self::WrongCreditClass => "wrong_credit_class",
            Self::WrongRole => "wrong_role",
            Self::WrongSettlement => "wrong_settlement",
            Self::WrongOffer => "wrong_offer",
            Self::WrongCashOut => "wrong_cash_out",
            Self::CareNotCashable => "care_not_cashable",
            Self::NotCashable => "not_cashable",
            Self::CashOutTooEarly => "cash_out_too_early",
            Self::DemurrageNotApplied => "demurrage_not_applied",
            Self::AccountClosed => "account_closed",
            Self::AccountNotZero => "account_not_zero",
            Self::WrongTime => "wrong_time",
        }
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
