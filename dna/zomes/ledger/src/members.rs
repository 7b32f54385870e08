use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ViolationCode;
use ledger_integrity::{members_anchor, LinkTypes, MAX_MEMBER_NAME_CHARS};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Member {
    pub agent: AgentPubKey,
    pub name: String,
}

/// Registers this agent as a member under `name`. Joining twice keeps the first name.
#[hdk_extern]
pub fn join_village(name: String) -> ExternResult<Member> {
    let me = agent_info()?.agent_initial_pubkey;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_MEMBER_NAME_CHARS {
        return Err(refuse(ViolationCode::InvalidText, format!("a name is 1 to {MAX_MEMBER_NAME_CHARS} characters")));
    }
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

pub fn member(agent: &AgentPubKey, strategy: GetStrategy) -> ExternResult<Option<Member>> {
    Ok(list_members(strategy)?.into_iter().find(|m| &m.agent == agent))
}
