//! Holochain 0.7.1's own error texts the zome must recognise: the one place it reads meaning out of
//! Holochain's messages (its own refusals carry a code, `[cc:<code>]`). Each says what the conductor
//! means and where it says it, so it can go when Holochain reports it as data. The client keeps the
//! same list for what reaches it (`client/src/holochain-messages.ts`).

pub enum HolochainMessage {
    /// Another session holds this chain: `SourceChainError::ChainLocked`, from
    /// `accept_countersigning_preflight_request`.
    ChainLocked,
    /// A countersigned commit whose dependencies (the other signers' latest actions) have not reached
    /// that conductor yet: sys validation's `DepMissingFromDht`, arriving as a remote call's network error.
    DependencyMissing,
    /// Sys validation's refusal of the record that releases an orphaned lock (`orphaned_lock`): empty
    /// signatures, or the other signers' states naming this chain's head, whichever op it validates
    /// first (`ValidationOutcome`'s display, then its debug form; both seen). No other commit of these
    /// calls meets either.
    LockReleaseRefused,
}

impl HolochainMessage {
    fn signs(&self) -> &'static [&'static str] {
        match self {
            HolochainMessage::ChainLocked => &["ChainLocked"],
            HolochainMessage::DependencyMissing => &["DepMissingFromDht"],
            HolochainMessage::LockReleaseRefused => {
                &["PreflightResponse signature was not valid", "previous action's author does not match", "PrevActionError"]
            }
        }
    }
}

/// Whether Holochain's error `text` says `message`.
pub fn holochain_says(message: HolochainMessage, text: &str) -> bool {
    message.signs().iter().any(|sign| text.contains(sign))
}
