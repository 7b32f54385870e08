use hdi::prelude::*;
use ledger_rules::{AttestedTops, Kind, PartySide, PaymentFacts, Units};

/// One party's side of a payment: where its chain stood and where the payment leaves it.
pub type PartyState = PartySide<AgentPubKey, ActionHash>;

/// What a payment is for (trade, purchase, stewardship, treasury spending, cash in/out, settlement).
pub type PaymentKind = Kind<ActionHash>;

#[hdk_entry_helper]
#[derive(Clone, PartialEq, Eq)]
pub struct Payment {
    /// In units of 10^-decimals of the village's unit.
    pub amount: Units,
    pub kind: PaymentKind,
    /// The start of the countersigning session: the time demurrage is computed to.
    pub at: Timestamp,
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

    /// The countersigning window of this payment: it starts at the payment's own time, which
    /// validation checks, and lasts `window_ms`.
    pub fn session_times(&self, window_ms: u64) -> Result<CounterSigningSessionTimes, String> {
        let end = (self.at + std::time::Duration::from_millis(window_ms)).map_err(|e| e.to_string())?;
        CounterSigningSessionTimes::try_new(self.at, end).map_err(|e| e.to_string())
    }

    /// The parties that sign this payment's session after its witnesses, in order
    /// (`Kind::signing_parties`): payer and payee, or for a redemption or reclaim the payee alone.
    pub fn signing_parties(&self) -> Vec<AgentPubKey> {
        let (payer, payee) = self.kind.signing_parties();
        [(payer, &self.payer.agent), (payee, &self.payee.agent)].into_iter().filter(|(signs, _)| *signs).map(|(_, agent)| agent.clone()).collect()
    }

    /// The plain-data view the rules take.
    pub fn facts(&self) -> PaymentFacts<AgentPubKey, ActionHash> {
        PaymentFacts { amount: self.amount, kind: self.kind.clone(), at: self.at.as_micros(), payer: self.payer.clone(), payee: self.payee.clone() }
    }
}

/// The parties' chain tops the witness attested, carried in the session request's app bytes.
pub fn attested_tops(request: &PreflightRequest) -> Option<AttestedTops<ActionHash>> {
    holochain_serialized_bytes::decode(&request.preflight_bytes.0).ok()
}
