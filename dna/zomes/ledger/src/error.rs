use hdk::prelude::*;
use ledger_integrity::Violation;

/// A refusal the client can act on: `[cc:<code>] <sentence>`, the same shape validation uses.
pub fn refuse(code: &str, message: impl std::fmt::Display) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(format!("[cc:{code}] {message}")))
}

pub fn violation(v: Violation) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(v.to_string()))
}
