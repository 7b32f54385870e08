use crate::{Violation, ViolationCode};

/// Rule 2: payer and payee are distinct, and they are exactly the agents who signed the session, so
/// nobody can write a payment in another agent's name. A voucher is signed by its payer alone, a
/// redemption by its payee alone (besides the witness): `signing` says which (`Kind::signing_parties`).
pub fn check_parties<K: PartialEq>(payer: &K, payee: &K, signers: &[K], signing: (bool, bool)) -> Result<(), Violation> {
    if payer == payee {
        return Err(Violation::new(ViolationCode::SelfPayment, "payer and payee must be different members"));
    }
    let expected: Vec<&K> = [(signing.0, payer), (signing.1, payee)].into_iter().filter(|(signs, _)| *signs).map(|(_, k)| k).collect();
    let exactly = signers.len() == expected.len() && expected.iter().all(|k| signers.contains(k));
    if !exactly {
        return Err(Violation::new(ViolationCode::ForgedCounterparty, "the payment's signers must be exactly the parties its kind names"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: (bool, bool) = (true, true);

    #[test]
    fn a_voucher_is_signed_by_its_payer_and_a_redemption_by_its_payee() {
        assert_eq!(check_parties(&1, &2, &[1], (true, false)), Ok(()));
        assert_eq!(check_parties(&1, &2, &[2], (false, true)), Ok(()));
        assert_eq!(check_parties(&1, &2, &[2], (true, false)).unwrap_err().code, ViolationCode::ForgedCounterparty);
        assert_eq!(check_parties(&1, &2, &[1, 2], (false, true)).unwrap_err().code, ViolationCode::ForgedCounterparty);
    }

    #[test]
    fn the_two_signers_in_either_order_pass() {
        assert_eq!(check_parties(&1, &2, &[1, 2], BOTH), Ok(()));
        assert_eq!(check_parties(&1, &2, &[2, 1], BOTH), Ok(()));
    }

    #[test]
    fn paying_yourself_is_refused() {
        assert_eq!(check_parties(&1, &1, &[1, 1], BOTH).unwrap_err().code, ViolationCode::SelfPayment);
    }

    #[test]
    fn a_party_who_did_not_sign_is_a_forgery() {
        for signers in [&[1, 3][..], &[3, 2], &[1], &[1, 2, 3], &[]] {
            assert_eq!(check_parties(&1, &2, signers, BOTH).unwrap_err().code, ViolationCode::ForgedCounterparty);
        }
    }
}
