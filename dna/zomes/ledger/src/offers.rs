//! Co-ops' published prices: what an offer costs and what that price carries.
use crate::error::violation;
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ledger_rules::check_offer_listing;
use ledger_integrity::ViolationCode;
use ledger_integrity::{offers_anchor, EntryTypes, LinkTypes, Offer, Units};

#[derive(Serialize, Deserialize, Debug)]
pub struct OfferInput {
    pub title: String,
    pub labour: Units,
    pub ecological: Units,
    pub care: Units,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct PublishedOffer {
    pub offer_hash: ActionHash,
    pub co_op: AgentPubKey,
    pub offer: Offer,
}

/// Publishes an offer whose price is its labour plus its ecological and care stewardship.
#[hdk_extern]
pub fn publish_offer(input: OfferInput) -> ExternResult<PublishedOffer> {
    let price = input
        .labour
        .checked_add(input.ecological)
        .and_then(|p| p.checked_add(input.care))
        .ok_or_else(|| refuse(ViolationCode::WrongOffer, "price out of range"))?;
    let offer = Offer { title: input.title.trim().to_string(), labour: input.labour, ecological: input.ecological, care: input.care, price };
    check_offer_listing(&offer.title, &offer.breakdown()).map_err(violation)?;
    let offer_hash = create_entry(EntryTypes::Offer(offer.clone()))?;
    create_link(offers_anchor()?, offer_hash.clone(), LinkTypes::VillageOffer, ())?;
    Ok(PublishedOffer { offer_hash, co_op: agent_info()?.agent_initial_pubkey, offer })
}

/// Every published offer, oldest first.
#[hdk_extern]
pub fn offers(_: ()) -> ExternResult<Vec<PublishedOffer>> {
    let mut links = get_links(LinkQuery::try_new(offers_anchor()?, LinkTypes::VillageOffer)?, GetStrategy::Network)?;
    links.sort_by_key(|l| l.timestamp);
    let mut published = Vec::new();
    for link in links {
        let Some(offer_hash) = link.target.into_action_hash() else { continue };
        let Some(record) = get(offer_hash.clone(), GetOptions::network())? else { continue };
        if let Some(offer) = record.entry().to_app_option::<Offer>().map_err(|e| wasm_error!(e))? {
            published.push(PublishedOffer { offer_hash, co_op: record.action().author().clone(), offer });
        }
    }
    Ok(published)
}
