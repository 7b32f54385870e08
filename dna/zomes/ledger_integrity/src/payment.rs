use hdi::prelude::*;
use ledger_rules::{PartySide, PaymentFacts, Units};

/// One party's side of a payment: where its chain stood and where the payment leaves it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PartyState {
    pub agent: AgentPubKey,
    /// This party's own action that recorded its previous payment (None for its first).
    pub previous_payment: Option<ActionHash>,
    pub balance_before: Units,
    pub balance_after: Units,
}

#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct Payment {
    /// In units of 10^-decimals of the village's unit.
    pub amount: Units,
    pub payer: PartyState,
    pub payee: PartyState,
    pub memo: String,
}

impl Payment {
    /// The payment in an entry, countersigned or not (`to_app_option` only reads plain app entries).
    pub fn from_entry(entry: &Entry) -> ExternResult<Option<Payment>> {
        let bytes = match entry {
            Entry::CounterSign(_, bytes) | Entry::App(bytes) => bytes,
            _ => return Ok(None),
        };
        Payment::try_from(SerializedBytes::from(bytes.clone())).map(Some).map_err(|e| wasm_error!(e))
    }

    /// The payment in a record, if it holds one.
    pub fn from_record(record: &Record) -> ExternResult<Option<Payment>> {
        record.entry().as_option().map_or(Ok(None), Payment::from_entry)
    }

    /// The side of `agent`, if it is a party.
    pub fn side_of(&self, agent: &AgentPubKey) -> Option<&PartyState> {
        if &self.payer.agent == agent {
            Some(&self.payer)
        } else if &self.payee.agent == agent {
            Some(&self.payee)
        } else {
            None
        }
    }

    /// The plain-data view the rules take.
    pub fn facts(&self) -> PaymentFacts<AgentPubKey, ActionHash> {
        PaymentFacts { amount: self.amount, payer: side(&self.payer), payee: side(&self.payee) }
    }
}

pub(crate) fn side(state: &PartyState) -> PartySide<AgentPubKey, ActionHash> {
    PartySide {
        agent: state.agent.clone(),
        previous_payment: state.previous_payment.clone(),
        balance_before: state.balance_before,
        balance_after: state.balance_after,
    }
}
