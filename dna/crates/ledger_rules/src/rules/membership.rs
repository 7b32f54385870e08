use crate::{check_label, Role, Village, Violation, ViolationCode, MAX_NAME_CHARS};
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
    check_label("a member's name", &terms.name, MAX_NAME_CHARS)?;
    if village.is_founder_name(&terms.name) {
        return Err(Violation::new(ViolationCode::ForgedMember, format!("{:?} is a founder's name", terms.name)));
    }
    Ok(())
}

/// Rule: an agent is listed under one name only: the one its invitation gave it (`invited`), or
/// for a founder the one the founding properties give it. Witnesses hold no account and are not
/// listed at all.
pub fn check_listed_name<K: PartialEq>(listed: &str, agent: &K, invited: Option<&str>, village: &Village<K>) -> Result<(), Violation> {
    check_label("a member's name", listed, MAX_NAME_CHARS)?;
    let forged = |why: String| Err(Violation::new(ViolationCode::ForgedMember, why));
    if village.role_of(agent) == Role::Witness {
        return forged("a witness holds no account and is not listed".into());
    }
    let given = if village.is_founder(agent) { village.founder_name(agent) } else { invited };
    match given {
        Some(name) if name == listed => Ok(()),
        Some(name) => forged(format!("this agent is listed under the name it was given ({name:?}), not {listed:?}")),
        None => forged("this agent was given no name to be listed under".into()),
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
    fn the_listing_carries_the_given_name() {
        let village = seed_village();
        assert_eq!(check_listed_name("Iris", &1, Some("Iris"), &village), Ok(()));
        assert_eq!(check_listed_name("Iris", &1, Some("Marcus"), &village).unwrap_err().code, ViolationCode::ForgedMember);
        assert_eq!(check_listed_name("Iris", &1, None, &village).unwrap_err().code, ViolationCode::ForgedMember);
        assert_eq!(check_listed_name(" Iris", &1, Some(" Iris"), &village).unwrap_err().code, ViolationCode::InvalidText);
    }

    #[test]
    fn founders_are_listed_under_their_founding_names_and_witnesses_not_at_all() {
        let village = seed_village();
        assert_eq!(check_listed_name("Commons treasury", &100, None, &village), Ok(()));
        assert_eq!(check_listed_name("Iris", &100, None, &village).unwrap_err().code, ViolationCode::ForgedMember);
        assert_eq!(check_listed_name("Iris", &STEWARD, Some("Iris"), &village).unwrap_err().code, ViolationCode::ForgedMember);
        assert_eq!(check_listed_name("Iris", &102, None, &village).unwrap_err().code, ViolationCode::ForgedMember);
    }

    #[test]
    fn an_invitation_cannot_give_a_founders_name() {
        let taken = InvitationTerms { village: (), invitee: 1, name: "Commons treasury".into() };
        assert_eq!(check_invitation(&1, Some((&taken, &STEWARD)), true, &seed_village()).unwrap_err().code, ViolationCode::ForgedMember);
    }
}
