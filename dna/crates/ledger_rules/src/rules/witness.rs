use crate::{Kind, Role, Units, Village, Violation, ViolationCode};
use serde::{Deserialize, Serialize};

/// Where a party's source chain stood when it joined a payment session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainTop<H> {
    pub hash: H,
    pub seq: u32,
}

/// What a payment's witness attests, carried in the session request's app bytes so the witness's
/// signature covers it: each party's chain top, as the witness saw it on the party's agent
/// activity authorities, current and unforked, when it agreed to witness.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestedTops<H> {
    pub payer: ChainTop<H>,
    pub payee: ChainTop<H>,
    /// A payment out of a commons fund only (`fund_spent`): the least the fund held when the witness read it.
    #[serde(default)]
    pub fund_held: Option<Units>,
}

/// The commons fund a payment is paid out of, if any: the treasury's spending from the fund it
/// names, and a settlement the treasury pays (a leaving member's deficit), from the commons fund.
pub fn fund_spent<K: PartialEq, H>(kind: &Kind<H>, payer: &K, village: &Village<K>) -> Option<u8> {
    match kind {
        Kind::TreasurySpend { fund } => Some(*fund),
        Kind::Settlement if village.role_of(payer) == Role::Treasury => Some(village.commons_fund),
        _ => None,
    }
}

/// Rule: the treasury pays out no more than the fund holds. A fund's balance is a sum over every
/// account, which no validator can read from one entry, so the witness reads it and attests a
/// figure its signature covers; the payment may not exceed that figure. The figure stays on the
/// treasury's chain with the payment, so anyone can audit it against the accounts. `spent`: the
/// fund the payment is paid out of (`fund_spent`).
pub fn check_fund_cover(amount: Units, spent: Option<u8>, fund_held: Option<Units>) -> Result<(), Violation> {
    if spent.is_none() {
        return Ok(());
    }
    match fund_held {
        None => Err(Violation::new(ViolationCode::FundShort, "a payment out of a commons fund must carry the fund balance its witness attested")),
        Some(held) if amount > held => {
            Err(Violation::new(ViolationCode::FundShort, format!("the fund holds {held}, less than the {amount} to spend")))
        }
        Some(_) => Ok(()),
    }
}

/// How many of a village's witnesses countersign each payment: a majority. Any two majorities
/// share a witness, and an honest witness signs one session at a time and never a second one at a
/// chain top it already signed, so two sessions from one top (a double spend) both complete only
/// if a witness that signed both is dishonest.
pub const fn witness_quorum(witnesses: usize) -> usize {
    witnesses / 2 + 1
}

/// Whether `witnesses` are each one of the village's witnesses, none twice: a quorum must be
/// distinct to share a witness with every other quorum.
pub fn distinct_village_witnesses<K: PartialEq>(witnesses: &[K], village: &Village<K>) -> bool {
    witnesses.iter().enumerate().all(|(i, w)| village.witnesses.contains(w) && !witnesses[..i].contains(w))
}

/// Rule: a payment session is enzymatic, its first signers are a quorum of distinct village
/// witnesses (`witness_quorum`, the first of them the enzyme) and the parties follow them, and each
/// party's chain top in the session is the one the witnesses attested. Validation walks continuity
/// from those tops, so a party cannot name an older top (a fork that spends the same credit twice)
/// without a quorum vouching for it. Returns how many witnesses lead the signers.
pub fn check_witnessed<K: PartialEq, H: PartialEq + std::fmt::Debug>(
    signers: &[K],
    enzymatic: bool,
    village: &Village<K>,
    attested: Option<&AttestedTops<H>>,
    session_tops: (&ChainTop<H>, &ChainTop<H>),
) -> Result<usize, Violation> {
    let unwitnessed = |why: String| Err(Violation::new(ViolationCode::NoWitness, why));
    if !enzymatic {
        return unwitnessed("a payment session must be enzymatic, with village witnesses as its first signers".into());
    }
    let quorum = witness_quorum(village.witnesses.len());
    let Some(witnesses) = signers.get(..quorum).filter(|_| signers.len() > quorum) else {
        return unwitnessed(format!("a payment session is signed by {quorum} of the village's witnesses before its parties"));
    };
    if !distinct_village_witnesses(witnesses, village) {
        return unwitnessed(format!("the first {quorum} signers of a payment session must be distinct village witnesses"));
    }
    let Some(attested) = attested else {
        return unwitnessed("the session request does not carry the witnesses' attestation of the parties' chain tops".into());
    };
    for (who, claimed, signed) in [("payer", &attested.payer, session_tops.0), ("payee", &attested.payee, session_tops.1)] {
        if claimed != signed {
            return Err(Violation::new(
                ViolationCode::UnattestedChainTop,
                format!("the {who} signed the session at chain top {signed:?}, its witnesses attested {claimed:?}"),
            ));
        }
    }
    Ok(quorum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::village::tests::seed_village;

    const WITNESS: u8 = 102;

    fn top(seq: u32) -> ChainTop<u32> {
        ChainTop { hash: seq * 10, seq }
    }

    fn attested() -> AttestedTops<u32> {
        AttestedTops { payer: top(5), payee: top(8), fund_held: None }
    }

    #[test]
    fn treasury_spending_is_bounded_by_the_attested_fund() {
        assert_eq!(check_fund_cover(500, Some(0), Some(500)), Ok(()));
        assert_eq!(check_fund_cover(501, Some(0), Some(500)).unwrap_err().code, ViolationCode::FundShort);
        assert_eq!(check_fund_cover(1, Some(0), None).unwrap_err().code, ViolationCode::FundShort);
        assert_eq!(check_fund_cover(10_000, None, None), Ok(()));
    }

    #[test]
    fn spending_and_the_treasurys_settlements_come_out_of_a_fund() {
        let village = seed_village();
        assert_eq!(fund_spent::<u8, u32>(&Kind::TreasurySpend { fund: 0 }, &100, &village), Some(0));
        assert_eq!(fund_spent::<u8, u32>(&Kind::Settlement, &100, &village), Some(village.commons_fund));
        assert_eq!(fund_spent::<u8, u32>(&Kind::Settlement, &1, &village), None, "a surplus settled goes into the fund");
        assert_eq!(fund_spent::<u8, u32>(&Kind::Trade, &1, &village), None);
    }

    #[test]
    fn a_witnessed_session_at_the_attested_tops_passes() {
        let village = seed_village();
        assert_eq!(check_witnessed(&[WITNESS, 1, 2], true, &village, Some(&attested()), (&top(5), &top(8))), Ok(1));
    }

    #[test]
    fn a_quorum_is_a_majority_so_any_two_share_a_witness() {
        for n in 1..=crate::MAX_WITNESSES {
            assert!(2 * witness_quorum(n) > n, "two quorums of {n} witnesses overlap");
            assert!(witness_quorum(n) + 2 <= 8, "a quorum and two parties fit Holochain's countersigning limit");
        }
        for (witnesses, quorum) in crate::rules::vectors::quorum_vectors() {
            assert_eq!(witness_quorum(witnesses), quorum, "the client's vector for {witnesses} witnesses");
        }
    }

    #[test]
    fn a_session_needs_a_quorum_of_distinct_witnesses() {
        let mut village = seed_village();
        village.witnesses = vec![101, 102, 103];
        let check = |signers: &[u8]| check_witnessed(signers, true, &village, Some(&attested()), (&top(5), &top(8)));
        assert_eq!(check(&[101, 103, 1, 2]), Ok(2));
        assert_eq!(check(&[103, 102, 1, 2]), Ok(2));
        assert_eq!(check(&[101, 1, 2]).unwrap_err().code, ViolationCode::NoWitness, "one witness of three");
        assert_eq!(check(&[101, 101, 1, 2]).unwrap_err().code, ViolationCode::NoWitness, "one witness twice");
        assert_eq!(check(&[101, 104, 1, 2]).unwrap_err().code, ViolationCode::NoWitness, "a stranger");
        assert_eq!(check(&[101, 102]).unwrap_err().code, ViolationCode::NoWitness, "no parties");
    }

    #[test]
    fn sessions_without_a_village_witness_are_refused() {
        let village = seed_village();
        let code = |signers: &[u8], enzymatic, a: Option<&AttestedTops<u32>>| {
            check_witnessed(signers, enzymatic, &village, a, (&top(5), &top(8))).unwrap_err().code
        };
        assert_eq!(code(&[WITNESS, 1, 2], false, Some(&attested())), ViolationCode::NoWitness);
        assert_eq!(code(&[3, 1, 2], true, Some(&attested())), ViolationCode::NoWitness);
        assert_eq!(code(&[1, 2], true, Some(&attested())), ViolationCode::NoWitness);
        assert_eq!(code(&[WITNESS, 1, 2], true, None), ViolationCode::NoWitness);
    }

    #[test]
    fn an_older_chain_top_than_attested_is_refused() {
        let village = seed_village();
        let err = check_witnessed(&[WITNESS, 1, 2], true, &village, Some(&attested()), (&top(4), &top(8))).unwrap_err();
        assert_eq!(err.code, ViolationCode::UnattestedChainTop);
        let err = check_witnessed(&[WITNESS, 1, 2], true, &village, Some(&attested()), (&top(5), &top(7))).unwrap_err();
        assert_eq!(err.code, ViolationCode::UnattestedChainTop);
    }
}
