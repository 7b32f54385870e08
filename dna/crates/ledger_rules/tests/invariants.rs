//! Property tests of the ledger's invariants, through the public API only: random runs of payments
//! of every kind among five members, the treasury and the cash boundary, with time passing between
//! them so demurrage and contribution windows come into play.
//!
//! Each payment is drafted the way the coordinator drafts it (each party's chain position aged to
//! the payment's time, `expected_after`), then judged the way validation judges it
//! (`check_payment_entry`, `check_continuity`). Properties:
//! - a drafted payment is accepted, or refused by exactly the limit rules (over_floor, over_ceiling);
//! - balances plus commons contributions over all accounts always sum to zero;
//! - care credits are never negative and never more than a positive balance;
//! - changing any one field of an `after` account gets the entry refused;
//! - demurrage aging never raises a balance and conserves balance plus commons.

use ledger_rules::{
    age, check_continuity, check_payment_entry, check_reclaim, check_voucher_issue, check_zero_sum, expected_after, reclaimable_from, reclaimed_into,
    Account, CashOutPolicy, ChainPosition, DemurragePolicy, Fund, Kind, LimitPolicy, PartySide, PaymentFacts, StewardshipWork, Units, Village,
    ViolationCode, MICROS_PER_SECOND,
};
use proptest::prelude::*;

type Agent = u8;
type Hash = u32;

const MEMBERS: [Agent; 5] = [1, 2, 3, 4, 5];
const TREASURY: Agent = 100;
const BOUNDARY: Agent = 101;
const WITNESS: Agent = 102;
const STEWARD: Agent = 1;
const DAY_SECS: i64 = 86_400;
/// 14 November 2023, so contribution windows (opened at 0) start afresh on the first payment.
const START: i64 = 1_700_000_000 * MICROS_PER_SECOND;

/// The seed village of the rule tests: levies 7.5 % + 2.5 %, demurrage 0.5 % a month after 90 days,
/// floors of -20 h widening by 0.2 per credit earned down to -50 h, ceilings of 20 h.
fn village() -> Village<Agent> {
    Village {
        village_name: "Riverside".into(),
        unit: "h".into(),
        decimals: 5,
        limits: LimitPolicy { floor: -2_000_000, ceiling: 2_000_000, contribution_bp: 2_000, floor_cap: -5_000_000, window_secs: 90 * 86_400 },
        funds: vec![Fund { name: "State".into(), levy_bp: 750 }, Fund { name: "Community".into(), levy_bp: 250 }],
        remainder_fund: 1,
        commons_fund: 1,
        demurrage: DemurragePolicy { grace_secs: 90 * 86_400, period_secs: 30 * 86_400, rate_ppm: 5_000 },
        cash_out: CashOutPolicy { fee_bp: 1_000, wait_secs: 3 * 86_400 },
        treasury: Some(TREASURY),
        boundary: Some(BOUNDARY),
        stewards: vec![STEWARD],
        witnesses: vec![WITNESS],
        founder_names: vec![],
    }
}

/// A payment of a run; members are indices into `MEMBERS`. A settlement is the treasury's with a
/// member for the member's whole balance, whichever way it goes.
#[derive(Clone, Debug)]
enum Payment {
    Trade { from: usize, to: usize, amount: Units },
    Purchase { from: usize, to: usize, amount: Units },
    Stewardship { from: usize, to: usize, amount: Units, care: bool },
    TreasurySpend { to: usize, fund: u8, amount: Units },
    CashIn { to: usize, amount: Units },
    CashOut { from: usize, amount: Units },
    Settlement { member: usize },
}

/// One step of a run: time passing, then a payment.
#[derive(Clone, Debug)]
struct Step {
    wait_secs: i64,
    payment: Payment,
}

fn amount() -> impl Strategy<Value = Units> {
    prop_oneof![3 => 1..=1_500_000i64, 1 => 1..=100i64, 1 => 1_500_000..=6_000_000i64]
}

/// A second member, never the first.
fn other(from: usize, offset: usize) -> usize {
    (from + 1 + offset % (MEMBERS.len() - 1)) % MEMBERS.len()
}

fn step() -> impl Strategy<Value = Step> {
    let member = 0..MEMBERS.len();
    let payment = prop_oneof![
        4 => (member.clone(), 0..4usize, amount()).prop_map(|(from, o, amount)| Payment::Trade { from, to: other(from, o), amount }),
        1 => (member.clone(), 0..4usize, amount()).prop_map(|(from, o, amount)| Payment::Purchase { from, to: other(from, o), amount }),
        2 => (member.clone(), 0..4usize, amount(), any::<bool>())
            .prop_map(|(from, o, amount, care)| Payment::Stewardship { from, to: other(from, o), amount, care }),
        1 => (member.clone(), 0..2u8, amount()).prop_map(|(to, fund, amount)| Payment::TreasurySpend { to, fund, amount }),
        1 => (member.clone(), amount()).prop_map(|(to, amount)| Payment::CashIn { to, amount }),
        1 => (member.clone(), amount()).prop_map(|(from, amount)| Payment::CashOut { from, amount }),
        1 => member.prop_map(|member| Payment::Settlement { member }),
    ];
    // Mostly seconds to hours apart; sometimes months, so balances decay and windows close.
    let wait_secs = prop_oneof![4 => 0..=3_600i64, 1 => 0..=400 * DAY_SECS];
    (wait_secs, payment).prop_map(|(wait_secs, payment)| Step { wait_secs, payment })
}

/// A field of an `after` account to change, and by how much (never zero).
#[derive(Clone, Copy, Debug)]
enum Field {
    Balance,
    Care,
    Commons(usize),
    Earned,
}

#[derive(Clone, Copy, Debug)]
struct Tamper {
    payee: bool,
    field: Field,
    delta: Units,
}

fn tamper() -> impl Strategy<Value = Tamper> {
    let field = prop_oneof![Just(Field::Balance), Just(Field::Care), (0..2usize).prop_map(Field::Commons), Just(Field::Earned)];
    let delta = prop_oneof![-1_000_000..=-1i64, 1..=1_000_000i64];
    (any::<bool>(), field, delta).prop_map(|(payee, field, delta)| Tamper { payee, field, delta })
}

/// Every account's own chain, as the rules see it.
struct Ledger {
    village: Village<Agent>,
    now: i64,
    next_hash: Hash,
    chains: Vec<(Agent, ChainPosition<Hash>)>,
}

impl Ledger {
    fn new() -> Self {
        let funds = 2;
        let agents = MEMBERS.iter().copied().chain([TREASURY, BOUNDARY]);
        Self { village: village(), now: START, next_hash: 1, chains: agents.map(|a| (a, ChainPosition::opening(funds))).collect() }
    }

    fn chain(&self, agent: Agent) -> &ChainPosition<Hash> {
        &self.chains.iter().find(|(a, _)| *a == agent).expect("a known agent").1
    }

    /// The party's side of a new payment at `now`, its `after` left as its `before`.
    fn side(&self, agent: Agent) -> PartySide<Agent, Hash> {
        let chain = self.chain(agent);
        let before = chain.aged_to(self.now, &self.village).expect("aging a valid account");
        PartySide { agent, previous_payment: chain.latest_payment, after: before.clone(), before }
    }

    /// The payment for a step, drafted as the coordinator drafts it; None for a settlement of a
    /// zero balance (there is nothing to settle).
    fn draft(&self, payment: &Payment) -> Option<PaymentFacts<Agent, Hash>> {
        let m = |i: usize| MEMBERS[i];
        let (payer, payee, amount, kind) = match *payment {
            Payment::Trade { from, to, amount } => (m(from), m(to), amount, Kind::Trade),
            Payment::Purchase { from, to, amount } => (m(from), m(to), amount, Kind::Purchase { offer: 0 }),
            Payment::Stewardship { from, to, amount, care } => {
                let work = if care { StewardshipWork::Care } else { StewardshipWork::Ecological };
                (m(from), m(to), amount, Kind::Stewardship { commons: "watershed".into(), work })
            }
            Payment::TreasurySpend { to, fund, amount } => (TREASURY, m(to), amount, Kind::TreasurySpend { fund }),
            Payment::CashIn { to, amount } => (BOUNDARY, m(to), amount, Kind::CashIn { reference: "receipt".into() }),
            Payment::CashOut { from, amount } => (m(from), BOUNDARY, amount, Kind::CashOut { request: 0, fee: amount / 10 }),
            Payment::Settlement { member } => {
                let balance = self.side(m(member)).before.balance;
                match balance.signum() {
                    0 => return None,
                    1 => (m(member), TREASURY, balance, Kind::Settlement),
                    _ => (TREASURY, m(member), -balance, Kind::Settlement),
                }
            }
        };
        let (mut payer, mut payee) = (self.side(payer), self.side(payee));
        let (payer_after, payee_after) =
            expected_after(amount, &kind, (&payer.agent, &payer.before), (&payee.agent, &payee.before), &self.village).expect("a computable payment");
        (payer.after, payee.after) = (payer_after, payee_after);
        Some(PaymentFacts { amount, kind, at: self.now, payer, payee })
    }

    /// Writes an accepted payment onto both parties' chains.
    fn record(&mut self, payment: &PaymentFacts<Agent, Hash>) {
        let hash = self.next_hash;
        self.next_hash += 1;
        for side in [&payment.payer, &payment.payee] {
            let chain = &mut self.chains.iter_mut().find(|(a, _)| *a == side.agent).expect("a known agent").1;
            *chain = ChainPosition { latest_payment: Some(hash), account: side.after.clone(), at: Some(payment.at), closed: false };
        }
    }

    /// Every account as its chain stores it, and as it stands now (aged).
    fn accounts(&self) -> Vec<(Agent, Account, Account)> {
        self.chains.iter().map(|(a, c)| (*a, c.account.clone(), c.aged_to(self.now, &self.village).expect("aging"))).collect()
    }
}

fn holdings(account: &Account) -> i128 {
    account.balance as i128 + account.commons.iter().map(|&c| c as i128).sum::<i128>()
}

fn care_in_bounds(account: &Account) -> bool {
    account.care >= 0 && account.care <= account.balance.max(0)
}

fn tampered(payment: &PaymentFacts<Agent, Hash>, t: Tamper) -> PaymentFacts<Agent, Hash> {
    let mut forged = payment.clone();
    let after = if t.payee { &mut forged.payee.after } else { &mut forged.payer.after };
    match t.field {
        Field::Balance => after.balance += t.delta,
        Field::Care => after.care += t.delta,
        Field::Commons(i) => after.commons[i] += t.delta,
        Field::Earned => after.earned += t.delta,
    }
    forged
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_runs_keep_the_ledger_whole(steps in prop::collection::vec((step(), tamper()), 1..=30)) {
        let mut ledger = Ledger::new();
        for (i, (step, tamper)) in steps.iter().enumerate() {
            ledger.now += step.wait_secs * MICROS_PER_SECOND;
            let Some(payment) = ledger.draft(&step.payment) else { continue };
            let signers = [payment.payer.agent, payment.payee.agent];

            // The drafted `before` states are what validation expects of each party's chain.
            for side in [&payment.payer, &payment.payee] {
                let chain = ledger.chain(side.agent);
                prop_assert_eq!(check_continuity(side, chain, payment.at, &ledger.village), Ok(()), "step {}: continuity of {}", i, side.agent);
            }
            prop_assert!(care_in_bounds(&payment.payer.after) && care_in_bounds(&payment.payee.after), "step {}: care out of bounds in {:?}", i, payment);
            prop_assert_eq!(
                holdings(&payment.payer.after) + holdings(&payment.payee.after),
                holdings(&payment.payer.before) + holdings(&payment.payee.before),
                "step {}: not zero-sum: {:?}", i, payment
            );

            match check_payment_entry(&payment, &signers, &ledger.village) {
                Ok(()) => {
                    let forged = tampered(&payment, *tamper);
                    prop_assert!(
                        check_payment_entry(&forged, &signers, &ledger.village).is_err(),
                        "step {}: {:?} was accepted: {:?}", i, tamper, forged
                    );
                    ledger.record(&payment);
                }
                Err(refusal) => prop_assert!(
                    matches!(refusal.code, ViolationCode::OverFloor | ViolationCode::OverCeiling),
                    "step {}: a drafted payment was refused by more than its limits: {} ({:?})", i, refusal, payment
                ),
            }

            let accounts = ledger.accounts();
            prop_assert_eq!(accounts.iter().map(|(_, stored, _)| holdings(stored)).sum::<i128>(), 0, "step {}: stored accounts", i);
            prop_assert_eq!(accounts.iter().map(|(_, _, aged)| holdings(aged)).sum::<i128>(), 0, "step {}: aged accounts", i);
            for (agent, stored, aged) in &accounts {
                prop_assert!(care_in_bounds(stored) && care_in_bounds(aged), "step {}: care of {} out of bounds: {:?} / {:?}", i, agent, stored, aged);
            }
        }
    }

    #[test]
    fn aging_never_raises_a_balance_and_conserves_holdings(
        balance in -5_000_000..=9_000_000_000i64,
        care_share in 0..=100i64,
        commons in prop::collection::vec(-9_000_000_000..=9_000_000_000i64, 2),
        earned in 0..=10_000_000i64,
        since_secs in 0..=1_000 * DAY_SECS,
        idle_secs in 0..=3_000 * DAY_SECS,
    ) {
        let village = village();
        let care = balance.max(0) / 100 * care_share;
        let account = Account { balance, care, commons, earned, window_start: START, cash_outs: 0, cash_outs_requested: 0 };
        let since = START + since_secs * MICROS_PER_SECOND;
        let aged = age(&account, since, since + idle_secs * MICROS_PER_SECOND, &village).expect("aging a valid account");
        prop_assert!(aged.balance <= account.balance, "{:?} aged to {:?}", account, aged);
        prop_assert!(aged.balance >= account.balance.min(0), "demurrage took more than there was: {:?}", aged);
        prop_assert_eq!(holdings(&aged), holdings(&account));
        prop_assert!(care_in_bounds(&aged), "{:?}", aged);
        // Aging only moves credit into the commons fund.
        prop_assert_eq!(aged.commons[0], account.commons[0]);
        prop_assert!(aged.commons[1] >= account.commons[1]);
    }

    /// A voucher that expires unredeemed and is taken back: each entry sums to zero, the payer ends
    /// where it started less only the levies (which stay with the funds), care stays in bounds and
    /// taking back earns nothing.
    #[test]
    fn a_voucher_taken_back_returns_all_but_its_levies(
        amount in amount(),
        balance in -1_000_000..=1_900_000i64,
        care_share in 0..=100i64,
        earned in 0..=10_000_000i64,
    ) {
        let village = village();
        let (payer, payee) = (MEMBERS[0], MEMBERS[1]);
        let care = balance.max(0) / 100 * care_share;
        let start = Account { balance, care, earned, ..Account::opening(2) };
        let kind = Kind::Voucher { expires_at: START + DAY_SECS * MICROS_PER_SECOND };
        let Ok((after, carried)) = expected_after(amount, &kind, (&payer, &start), (&payee, &Account::opening(2)), &village) else {
            return Ok(());
        };
        let voucher = PaymentFacts {
            amount,
            kind,
            at: START,
            payer: PartySide { agent: payer, previous_payment: None, before: start.clone(), after },
            payee: PartySide { agent: payee, previous_payment: None, before: Account::opening(2), after: carried.clone() },
        };
        if check_payment_entry(&voucher, &[payer], &village).is_err() {
            return Ok(()); // past the payer's floor: refused when written
        }
        prop_assert_eq!(check_voucher_issue(&voucher, START, 2), Ok(()));
        let back = reclaimed_into(&voucher.payer.after, &carried).expect("what was carried fits back");
        let reclaim = PaymentFacts {
            amount,
            kind: Kind::Reclaim { voucher: 9 },
            at: reclaimable_from(&voucher.kind).expect("a voucher"),
            payer: PartySide { agent: payee, previous_payment: None, before: carried, after: Account::opening(2) },
            payee: PartySide { agent: payer, previous_payment: Some(9), before: voucher.payer.after.clone(), after: back.clone() },
        };
        prop_assert_eq!(check_reclaim(&reclaim, &voucher, &payer, 2), Ok(()));
        prop_assert_eq!(check_payment_entry(&reclaim, &[payer], &village), Ok(()));
        prop_assert_eq!(check_zero_sum(&voucher), Ok(()));
        prop_assert_eq!(check_zero_sum(&reclaim), Ok(()));
        let levies: Units = back.commons.iter().zip(&start.commons).map(|(a, b)| a - b).sum();
        prop_assert_eq!(back.balance, start.balance - levies);
        prop_assert_eq!(back.earned, start.earned);
        prop_assert!(care_in_bounds(&back), "{:?}", back);
    }
}
