use hdi::prelude::*;
use ledger_rules::{PriceBreakdown, Units};

/// A co-op's published price and what it carries; paying it is a `Purchase` payment.
#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct Offer {
    pub title: String,
    pub labour: Units,
    pub ecological: Units,
    pub care: Units,
    pub price: Units,
}

impl Offer {
    pub fn breakdown(&self) -> PriceBreakdown {
        PriceBreakdown { labour: self.labour, ecological: self.ecological, care: self.care, price: self.price }
    }
}

/// The hash every offer link hangs from.
pub fn offers_anchor() -> ExternResult<EntryHash> {
    hash_entry(Entry::App(AppEntryBytes(SerializedBytes::from(UnsafeBytes::from(b"commons-credit:offers".to_vec())))))
}
