//! Refusals as data. Holochain carries a zome's error as text, so every refusal is written
//! `[cc:<code>] <sentence>` (the shape validation uses, which the client reads back too) and read
//! back here, once, into a `Refusal` whose code the coordinator's decisions match on.
use hdk::prelude::*;
use ledger_integrity::{Violation, ViolationCode};

/// A refusal the client can act on: `[cc:<code>] <sentence>`, the same shape validation uses.
pub fn refuse(code: ViolationCode, message: impl std::fmt::Display) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(format!("[cc:{}] {message}", code.as_str())))
}

pub fn violation(v: Violation) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(v.to_string()))
}

/// Why a call (into this zome, or to another member's) did not give its answer: the refusal's code,
/// or none for a condition of Holochain's that carries none (its words kept whole, for the client's
/// `holochain-messages`), and the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: Option<ViolationCode>,
    pub message: String,
}

impl Refusal {
    pub fn new(code: ViolationCode, message: impl std::fmt::Display) -> Self {
        Refusal { code: Some(code), message: message.to_string() }
    }

    /// Whether this is a refusal with `code`.
    pub fn is(&self, code: ViolationCode) -> bool {
        self.code == Some(code)
    }

    /// The refusal in an error's text: the first `[cc:<code>]` marker and the sentence after it
    /// (a refusal of ours, or one Holochain wraps, such as a remote commit's validation failure),
    /// or no code and the whole text.
    pub fn from_text(text: &str) -> Self {
        let coded = text.find("[cc:").and_then(|start| {
            let rest = &text[start + 4..];
            let end = rest.find(']')?;
            let code = ViolationCode::parse(&rest[..end])?;
            Some(Refusal { code: Some(code), message: rest[end + 1..].trim_start().to_string() })
        });
        coded.unwrap_or_else(|| Refusal { code: None, message: text.to_string() })
    }

    /// The refusal an error carries.
    pub fn of(error: &WasmError) -> Self {
        Refusal::from_text(&guest_message(error))
    }
}

impl From<Refusal> for WasmError {
    fn from(refusal: Refusal) -> WasmError {
        match refusal.code {
            Some(code) => refuse(code, refusal.message),
            None => wasm_error!(WasmErrorInner::Guest(refusal.message)),
        }
    }
}

/// The text of an error without the `Guest(...)` wrapping.
pub fn guest_message(error: &WasmError) -> String {
    match &error.error {
        WasmErrorInner::Guest(message) => message.clone(),
        other => format!("{other:?}"),
    }
}
