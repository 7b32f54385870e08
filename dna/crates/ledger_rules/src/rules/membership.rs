use crate::{check_label, Village, Violation, ViolationCode, MAX_NAME_CHARS};
use serde::{Deserialize, Serialize};

/// A steward's invitation to join a village: it names the invitee's key and the name the village
/// will know it by. The steward signs `InvitationTerms` (with the village's DNA hash); the signed
/// invitation is the membrane proof the invitee installs the hApp with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationTerms<K, D> {
    /// The village's DNA hash: an invitation to one village opens no other.
    pub village: D,
    pub invitee: K,
    pub name: String,
}

/// Rule: an agent joins a village either as one of its founders (stewards, treasury, boundary,
/// witnesses, named in its properties) or with an invitation signed by one of its stewards, for
/// its own key, under a valid name. `signature_valid` is the host's verdict on the steward's
/// signature over the terms.
pub fn check_invitation<K: PartialEq, D>(
    joiner: &K,
    invitation: Option<(&InvitationTerms<K, D>, &K)>,
    signature_valid: bool,
    village: &Village<K>,
) -> Result<(), Violation> {
    if village.is_founder(joiner) {
        return Ok(());
    }
    let not_a_member = |why: &str| Err(Violation::new(ViolationCode::NotAMember, why.to_string()));
    let Some((terms, steward)) = invitation else {
        return not_a_member("joining this village needs an invitation signed by a steward");
    };
    if terms.invitee != *joiner {
        return not_a_member("the invitation was issued to another key");
    }
    if !village.stewards.contains(steward) {
        return not_a_member("the invitation is not signed by one of the village's stewards");
    }
    if !signature_valid {
        return not_a_member("the steward's signature on the invitation is not valid");
    }
    check_label("a member's name", &terms.name, MAX_NAME_CHARS)
}

/// Rule: a member's listing shows exactly the name its invitation gave it (founders choose their own).
pub fn check_listed_name(listed: &str, invited: Option<&str>) -> Result<(), Violation> {
    check_label("a member's name", listed, MAX_NAME_CHARS)?;
    match invited {
        Some(name) if name != listed => Err(Violation::new(
            ViolationCode::ForgedMember,
            format!("a member is listed under the name its invitation gave ({name:?}), not {listed:?}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::village::tests::seed_village;

    const STEWARD: u8 = 103;

    fn terms(invitee: u8) -> InvitationTerms<u8, ()> {
        InvitationTerms { village: (), invitee, name: "Iris".into() }
    }

    #[test]
    fn founders_join_without_an_invitation() {
        let village = seed_village();
        for founder in [100, 101, 102, STEWARD] {
            assert_eq!(check_invitation::<u8, ()>(&founder, None, false, &village), Ok(()));
        }
    }

    #[test]
    fn a_stewards_valid_invitation_for_this_key_admits() {
        assert_eq!(check_invitation(&1, Some((&terms(1), &STEWARD)), true, &seed_village()), Ok(()));
    }

    #[test]
    fn outsiders_and_borrowed_or_forged_invitations_are_refused() {
        let village = seed_village();
        let code = |joiner: u8, invitation: Option<(&InvitationTerms<u8, ()>, &u8)>, valid| {
            check_invitation(&joiner, invitation, valid, &village).unwrap_err().code
        };
        assert_eq!(code(1, None, false), ViolationCode::NotAMember);
        assert_eq!(code(2, Some((&terms(1), &STEWARD)), true), ViolationCode::NotAMember);
        assert_eq!(code(1, Some((&terms(1), &5)), true), ViolationCode::NotAMember);
        assert_eq!(code(1, Some((&terms(1), &STEWARD)), false), ViolationCode::NotAMember);
    }

    #[test]
    fn the_listing_carries_the_invited_name() {
        assert_eq!(check_listed_name("Iris", Some("Iris")), Ok(()));
        assert_eq!(check_listed_name("Iris", None), Ok(()));
        assert_eq!(check_listed_name("Iris", Some("Marcus")).unwrap_err().code, ViolationCode::ForgedMember);
        assert_eq!(check_listed_name(" Iris", None).unwrap_err().code, ViolationCode::InvalidText);
    }
}
