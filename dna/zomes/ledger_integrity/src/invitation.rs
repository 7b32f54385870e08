use hdi::prelude::*;
use ledger_rules::{check_invitation, InvitationTerms, Violation, ViolationCode};

use crate::VillageProperties;

/// A steward's signed invitation: the membrane proof a member installs the hApp with. It binds the
/// invitee's key and the name the village will list it under to this village's DNA.
#[derive(Serialize, Deserialize, SerializedBytes, Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub invitee: AgentPubKey,
    pub name: String,
    pub steward: AgentPubKey,
    /// The steward's signature over `InvitationTerms { village: <dna hash>, invitee, name }`.
    pub signature: Signature,
}

impl Invitation {
    /// What the steward signs.
    pub fn terms(&self, village: DnaHash) -> InvitationTerms<AgentPubKey, DnaHash> {
        InvitationTerms { village, invitee: self.invitee.clone(), name: self.name.clone() }
    }

    /// The invitation in a membrane proof; `None` when there is no proof or it is not one.
    pub fn from_membrane_proof(proof: Option<&MembraneProof>) -> Option<Invitation> {
        proof.and_then(|bytes| Invitation::try_from(SerializedBytes::from(UnsafeBytes::from(bytes.bytes().to_vec()))).ok())
    }

    pub fn to_membrane_proof(&self) -> ExternResult<MembraneProof> {
        let bytes = SerializedBytes::try_from(self.clone()).map_err(|e| wasm_error!(e))?;
        Ok(MembraneProof::new(bytes))
    }
}

/// Rule (run in `genesis_self_check`, on the agent's own validation package and on a member's
/// first payment): `agent` is a founder or holds a steward's invitation to this village.
pub fn check_joining(agent: &AgentPubKey, proof: Option<&MembraneProof>, village: &VillageProperties) -> Result<(), Violation> {
    let invitation = Invitation::from_membrane_proof(proof);
    if proof.is_some() && invitation.is_none() && !village.is_founder(agent) {
        return Err(Violation::new(ViolationCode::NotAMember, "the membrane proof is not an invitation"));
    }
    let dna = dna_info().map_err(|e| Violation::new(ViolationCode::InvalidVillage, format!("{e:?}")))?.hash;
    let signature_valid = match &invitation {
        Some(inv) => verify_signature(inv.steward.clone(), inv.signature.clone(), inv.terms(dna.clone())).unwrap_or(false),
        None => false,
    };
    let terms = invitation.as_ref().map(|inv| inv.terms(dna));
    check_invitation(agent, invitation.as_ref().zip(terms.as_ref()).map(|(inv, terms)| (terms, &inv.steward)), signature_valid, village)
}
