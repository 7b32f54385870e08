use crate::{check_label, Account, CreditLimits, DemurragePolicy, Units, Violation, ViolationCode, MAX_AMOUNT, MAX_NAME_CHARS, WHOLE_BP};
use serde::{Deserialize, Serialize};

/// Most witnesses a village names. A majority of them countersign every payment
/// (`witness_quorum`) beside its two parties, and Holochain 0.7.1 takes at most 8 countersigners
/// (`MAX_COUNTERSIGNING_AGENTS`): 11 witnesses make a quorum of 6.
pub const MAX_WITNESSES: usize = 11;
/// Most founding stewards.
pub const MAX_STEWARDS: usize = 16;

/// A village's parameters: its DNA properties, so each village is its own DNA and network, and
/// every peer validates with the same numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village<K> {
    pub village_name: String,
    /// The unit's name, e.g. "h" for hours.
    pub unit: String,
    /// Amounts are integers of 10^-decimals of the unit.
    pub decimals: u8,
    pub limits: LimitPolicy,
    /// The commons funds the treasury holds, each with the levy it takes from every levied payment.
    pub funds: Vec<Fund>,
    /// The fund that receives a levy's rounding remainder.
    pub remainder_fund: u8,
    /// The fund that receives demurrage and settles leaving members' balances.
    pub commons_fund: u8,
    pub demurrage: DemurragePolicy,
    pub cash_out: CashOutPolicy,
    /// The commons-treasury agent, named in the village's founding properties.
    pub treasury: Option<K>,
    /// The co-op account running the cash boundary.
    pub boundary: Option<K>,
    /// The founding stewards: they sign the invitations that admit members.
    pub stewards: Vec<K>,
    /// The village's witnesses: every payment session is witnessed (and its parties' chain tops
    /// attested) by one of them. They hold no account.
    pub witnesses: Vec<K>,
    /// The name each founder that holds an account or invites (treasury, boundary, stewards) is
    /// listed under: founders join without an invitation to carry one.
    #[serde(default)]
    pub founder_names: Vec<FounderName<K>>,
}

/// A founder's name in the village's register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FounderName<K> {
    pub agent: K,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fund {
    pub name: String,
    /// Levy on every levied payment, in basis points (750 = 7.5 %).
    pub levy_bp: u32,
}

/// Credit limits, growing with contribution: floor = base floor - earned x contribution_bp / 10 000,
/// never below `floor_cap`. Everything a member receives counts as earned (sales, care,
/// stewardship, paid project work), except cash bought in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitPolicy {
    pub floor: Units,
    pub ceiling: Units,
    pub contribution_bp: u32,
    pub floor_cap: Units,
    /// Length of a contribution window: what was earned counts until the window ends.
    pub window_secs: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashOutPolicy {
    /// The boundary co-op's fee on cash paid out, in basis points (1000 = 10 %).
    pub fee_bp: u32,
    /// How long a cash-out request waits before it can settle.
    pub wait_secs: u32,
}

/// The part an agent plays in a village.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Member,
    Treasury,
    Boundary,
    /// Witnesses payments; takes part in none.
    Witness,
}

impl<K> Village<K> {
    /// The same village with its agent keys converted (DNA properties hold them as byte lists,
    /// since the conductor reads properties as YAML, which has no bytes).
    pub fn map_agents<L, E>(self, convert: impl Fn(K) -> Result<L, E>) -> Result<Village<L>, E> {
        Ok(Village {
            treasury: self.treasury.map(&convert).transpose()?,
            boundary: self.boundary.map(&convert).transpose()?,
            stewards: self.stewards.into_iter().map(&convert).collect::<Result<_, _>>()?,
            witnesses: self.witnesses.into_iter().map(&convert).collect::<Result<_, _>>()?,
            founder_names: self
                .founder_names
                .into_iter()
                .map(|f| Ok(FounderName { agent: convert(f.agent)?, name: f.name }))
                .collect::<Result<_, _>>()?,
            village_name: self.village_name,
            unit: self.unit,
            decimals: self.decimals,
            limits: self.limits,
            funds: self.funds,
            remainder_fund: self.remainder_fund,
            commons_fund: self.commons_fund,
            demurrage: self.demurrage,
            cash_out: self.cash_out,
        })
    }
}

impl<K: PartialEq> Village<K> {
    pub fn role_of(&self, agent: &K) -> Role {
        if self.treasury.as_ref() == Some(agent) {
            Role::Treasury
        } else if self.boundary.as_ref() == Some(agent) {
            Role::Boundary
        } else if self.witnesses.contains(agent) {
            Role::Witness
        } else {
            Role::Member
        }
    }

    /// Named in the founding properties, so admitted without an invitation.
    pub fn is_founder(&self, agent: &K) -> bool {
        self.role_of(agent) != Role::Member || self.stewards.contains(agent)
    }

    /// The name the founding properties give a founder.
    pub fn founder_name(&self, agent: &K) -> Option<&str> {
        self.founder_names.iter().find(|f| f.agent == *agent).map(|f| f.name.as_str())
    }

    /// Whether a founder is listed under this name.
    pub fn is_founder_name(&self, name: &str) -> bool {
        self.founder_names.iter().any(|f| f.name == name)
    }

    pub fn levy_rates(&self) -> Vec<u32> {
        self.funds.iter().map(|f| f.levy_bp).collect()
    }

    /// The limits a member's account is held to, given what it has earned in its current window.
    pub fn limits_for(&self, account: &Account) -> CreditLimits {
        let widening = (account.earned.max(0) as i128 * self.limits.contribution_bp as i128 / WHOLE_BP as i128) as Units;
        let floor = self.limits.floor.saturating_sub(widening).max(self.limits.floor_cap);
        CreditLimits { floor, ceiling: self.limits.ceiling }
    }

    /// Rule: a village's parameters make sense.
    pub fn check(&self) -> Result<(), Violation> {
        let invalid = |why: String| Err(Violation::new(ViolationCode::InvalidVillage, why));
        if self.decimals > 12 {
            return invalid(format!("decimals must be at most 12, got {}", self.decimals));
        }
        let LimitPolicy { floor, ceiling, floor_cap, .. } = self.limits;
        if !(-MAX_AMOUNT..=0).contains(&floor) || !(0..=MAX_AMOUNT).contains(&ceiling) || !(-MAX_AMOUNT..=floor).contains(&floor_cap) {
            return invalid(format!(
                "limits must satisfy -{MAX_AMOUNT} <= floor cap <= floor <= 0 <= ceiling <= {MAX_AMOUNT}, got {floor_cap}, {floor} and {ceiling}"
            ));
        }
        if self.funds.is_empty() || self.funds.len() > 8 {
            return invalid("a village has 1 to 8 commons funds".into());
        }
        let levies: u64 = self.funds.iter().map(|f| f.levy_bp as u64).sum();
        if levies > WHOLE_BP as u64 {
            return invalid(format!("levies add up to {levies} bp, more than 100 %"));
        }
        if self.remainder_fund as usize >= self.funds.len() || self.commons_fund as usize >= self.funds.len() {
            return invalid("the remainder and commons funds must be among the village's funds".into());
        }
        if self.cash_out.fee_bp > WHOLE_BP {
            return invalid("the cash-out fee is at most 100 %".into());
        }
        if self.demurrage.period_secs == 0 || self.demurrage.rate_ppm > 1_000_000 {
            return invalid("demurrage needs a period of at least a second and a rate of at most 100 %".into());
        }
        if self.treasury.is_some() && self.treasury == self.boundary {
            return invalid("the treasury and the cash boundary are different accounts".into());
        }
        if self.witnesses.is_empty() || self.witnesses.len() > MAX_WITNESSES {
            return invalid(format!("a village has 1 to {MAX_WITNESSES} witnesses"));
        }
        let accounts = [self.treasury.as_ref(), self.boundary.as_ref()];
        if self.witnesses.iter().any(|w| accounts.contains(&Some(w)) || self.stewards.contains(w)) {
            return invalid("a witness holds no account: it is neither the treasury, the boundary nor a steward".into());
        }
        if self.stewards.len() > MAX_STEWARDS {
            return invalid(format!("a village has at most {MAX_STEWARDS} founding stewards"));
        }
        let listed: Vec<&K> = self.treasury.iter().chain(self.boundary.iter()).chain(self.stewards.iter()).collect();
        for founder in &listed {
            if self.founder_names.iter().filter(|f| f.agent == **founder).count() != 1 {
                return invalid("the treasury, the boundary and every steward have exactly one founding name".into());
            }
        }
        for (i, named) in self.founder_names.iter().enumerate() {
            if !listed.contains(&&named.agent) {
                return invalid("founding names are for the treasury, the boundary and the stewards only".into());
            }
            check_label("a founder's name", &named.name, MAX_NAME_CHARS).or_else(|v| invalid(v.message))?;
            if self.founder_names[..i].iter().any(|other| other.name == named.name) {
                return invalid(format!("two founders share the name {:?}", named.name));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The seed village: levies 7.5 % State + 2.5 % Community, 0.5 % a month demurrage after 90
    /// days, cash out at a 10 % fee after 3 days, floors widening by 0.2 per credit earned.
    pub fn seed_village() -> Village<u8> {
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
            treasury: Some(100),
            boundary: Some(101),
            stewards: vec![103],
            witnesses: vec![102],
            founder_names: vec![
                FounderName { agent: 100, name: "Commons treasury".into() },
                FounderName { agent: 101, name: "Cash desk".into() },
                FounderName { agent: 103, name: "Village steward".into() },
            ],
        }
    }

    #[test]
    fn the_seed_village_passes() {
        assert_eq!(seed_village().check(), Ok(()));
    }

    #[test]
    fn incoherent_villages_are_refused() {
        let mutations: Vec<fn(&mut Village<u8>)> = vec![
            |v| v.decimals = 13,
            |v| v.limits.floor = 1,
            |v| v.limits.ceiling = -1,
            |v| v.limits.floor_cap = v.limits.floor + 1,
            |v| v.limits.ceiling = MAX_AMOUNT + 1,
            |v| v.funds.clear(),
            |v| v.funds[0].levy_bp = 9_800,
            |v| v.remainder_fund = 2,
            |v| v.commons_fund = 7,
            |v| v.cash_out.fee_bp = 10_001,
            |v| v.demurrage.period_secs = 0,
            |v| v.boundary = v.treasury,
            |v| v.witnesses.clear(),
            |v| v.witnesses.push(100),
            |v| v.witnesses.push(103),
            |v| v.founder_names.pop().map(|_| ()).unwrap_or(()),
            |v| v.founder_names.push(FounderName { agent: 103, name: "Another".into() }),
            |v| v.founder_names.push(FounderName { agent: 102, name: "Witness".into() }),
            |v| v.founder_names[1].name = "Commons treasury".into(),
            |v| v.founder_names[0].name = " Treasury".into(),
        ];
        for (i, mutate) in mutations.into_iter().enumerate() {
            let mut village = seed_village();
            mutate(&mut village);
            assert_eq!(village.check().unwrap_err().code, ViolationCode::InvalidVillage, "mutation {i}");
        }
    }

    #[test]
    fn floors_widen_with_what_was_earned_up_to_the_cap() {
        let village = seed_village();
        let mut account = Account::opening(2);
        assert_eq!(village.limits_for(&account).floor, -2_000_000);
        account.earned = 1_000_000; // 10 h earned widens the floor by 2 h
        assert_eq!(village.limits_for(&account).floor, -2_200_000);
        account.earned = 100_000_000;
        assert_eq!(village.limits_for(&account).floor, -5_000_000);
        assert_eq!(village.limits_for(&account).ceiling, 2_000_000);
    }

    #[test]
    fn roles_come_from_the_founding_properties() {
        let village = seed_village();
        assert_eq!(village.role_of(&100), Role::Treasury);
        assert_eq!(village.role_of(&101), Role::Boundary);
        assert_eq!(village.role_of(&102), Role::Witness);
        assert_eq!(village.role_of(&1), Role::Member);
        assert!(village.is_founder(&103) && village.is_founder(&102) && !village.is_founder(&1));
    }
}
