use crate::{Violation, ViolationCode};

/// Rule 2: payer and payee are distinct, and they are exactly the agents who signed the session, so
/// nobody can write a payment in another agent's name.
pub fn check_parties<K: PartialEq>(payer: &K, payee: &K, signers: &[K]) -> Result<(), Violation> {
    if payer == payee {
        return Err(Violation::new(ViolationCode::SelfPayment, "payer and payee must be different members"));
    }
    let both_signed = signers.len() == 2 && signers.contains(payer) && signers.contains(payee);
    if !both_signed {
        return Err(Violation::new(
            ViolationCode::ForgedCounterparty,
            "payer and payee must be exactly the two agents who countersigned the payment",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_signers_in_either_order_pass() {
        assert_eq!(check_parties(&1, &2, &[1, 2]), Ok(()));
        assert_eq!(check_parties(&1, &2, &[2, 1]), Ok(()));
    }

    #[test]
    fn paying_yourself_is_refused() {
        assert_eq!(check_parties(&1, &1, &[1, 1]).unwrap_err().code, ViolationCode::SelfPayment);
    }

    #[test]
    fn a_party_who_did_not_sign_is_a_forgery() {
        for signers in [&[1, 3][..], &[3, 2], &[1], &[1, 2, 3], &[]] {
            assert_eq!(check_parties(&1, &2, signers).unwrap_err().code, ViolationCode::ForgedCounterparty);
        }
    }
}
