//! Membership: stewards invite, invitees join with the invitation as their membrane proof, and the
//! village's register lists every member under the name its invitation gave it.
use crate::error::violation;
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{check_label, check_listed_name, MAX_NAME_CHARS};
use ledger_integrity::ViolationCode;
use ledger_integrity::{current_village, members_anchor, Invitation, LinkTypes};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Member {
    pub agent: AgentPubKey,
    pub name: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct InviteInput {
    pub invitee: AgentPubKey,
    pub name: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct IssuedInvitation {
    pub invitation: Invitation,
    /// The invitation as the membrane proof the invitee installs the hApp with.
    pub membrane_proof: MembraneProof,
}

/// A steward invites `invitee` to join under `name`: the signed invitation is the invitee's
/// membrane proof. Names are unique in the register: a name already listed is refused.
#[hdk_extern]
pub fn issue_invitation(input: InviteInput) -> ExternResult<IssuedInvitation> {
    let me = agent_info()?.agent_initial_pubkey;
    let village = current_village()?;
    if !village.stewards.contains(&me) {
        return Err(refuse(ViolationCode::NotASteward, "only a steward of this village can invite"));
    }
    check_label("a member's name", &input.name, MAX_NAME_CHARS).map_err(violation)?;
    let taken = |name: &str| name.to_lowercase() == input.name.to_lowercase();
    // Founders' names are taken from the founding, listed or not (validation refuses an invitation giving one).
    if village.founder_names.iter().any(|f| taken(&f.name))
        || list_members(GetStrategy::Network)?.iter().any(|m| taken(&m.name) && m.agent != input.invitee)
    {
        return Err(refuse(ViolationCode::NameTaken, format!("a member is already called {:?}", input.name)));
    }
    let unsigned = Invitation { invitee: input.invitee, name: input.name, steward: me.clone(), signature: Signature([0; 64]) };
    let signature = sign(me, unsigned.terms(dna_info()?.hash))?;
    let invitation = Invitation { signature, ..unsigned };
    Ok(IssuedInvitation { membrane_proof: invitation.to_membrane_proof()?, invitation })
}

/// The invitation this agent joined with, if any (founders join without one).
pub fn my_invitation() -> ExternResult<Option<Invitation>> {
    let genesis = query(ChainQueryFilter::new().sequence_range(ChainQueryFilterRange::ActionSeqRange(0, 2)))?;
    Ok(genesis.iter().find_map(|record| match &record.action().data {
        ActionData::AgentValidationPkg(package) => Invitation::from_membrane_proof(package.membrane_proof.as_ref()),
        _ => None,
    }))
}

/// Registers this agent as a member under `name`, which must be the name its invitation gave it
/// (founders choose their own). Joining twice keeps the first name.
#[hdk_extern]
pub fn join_village(name: String) -> ExternResult<Member> {
    let me = agent_info()?.agent_initial_pubkey;
    let name = name.trim().to_string();
    let invited = my_invitation()?;
    check_listed_name(&name, &me, invited.as_ref().map(|inv| inv.name.as_str()), &current_village()?).map_err(violation)?;
    if let Some(existing) = member(&me, GetStrategy::Local)? {
        return Ok(existing);
    }
    create_link(members_anchor()?, me.clone(), LinkTypes::VillageMember, LinkTag::new(name.as_bytes()))?;
    Ok(Member { agent: me, name })
}

/// Everyone who joined, oldest first.
#[hdk_extern]
pub fn members(_: ()) -> ExternResult<Vec<Member>> {
    list_members(GetStrategy::Network)
}

pub fn list_members(strategy: GetStrategy) -> ExternResult<Vec<Member>> {
    let mut links = get_links(LinkQuery::try_new(members_anchor()?, LinkTypes::VillageMember)?, strategy)?;
    links.sort_by_key(|l| l.timestamp);
    let mut seen = std::collections::HashSet::new();
    Ok(links
        .into_iter()
        .filter_map(|link| {
            let agent = link.target.into_agent_pub_key()?;
            let name = String::from_utf8(link.tag.0).ok()?;
            seen.insert(agent.clone()).then_some(Member { agent, name })
        })
        .collect())
}

/// One member's entry in the register, without reading the whole register: a membership link is
/// written by the member itself (validation refuses any other author), so only that author's links
/// are asked for. The first one counts, as in `list_members`.
pub fn member(agent: &AgentPubKey, strategy: GetStrategy) -> ExternResult<Option<Member>> {
    let mut links = get_links(LinkQuery::try_new(members_anchor()?, LinkTypes::VillageMember)?.author(agent.clone()), strategy)?;
    links.sort_by_key(|l| l.timestamp);
    Ok(links.into_iter().find_map(|link| {
        let target = link.target.into_agent_pub_key().filter(|t| t == agent)?;
        Some(Member { agent: target, name: String::from_utf8(link.tag.0).ok()? })
    }))
}
