use hdk::prelude::*;
use ledger_integrity::{Violation, ViolationCode};

/// A refusal the client can act on: `[cc:<code>] <sentence>`, the same shape validation uses.
pub fn refuse(code: ViolationCode, message: impl std::fmt::Display) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(format!("[cc:{}] {message}", code.as_str())))
}

/// Whether an error (a remote refusal included) carries this code.
pub fn carries(error: &WasmError, code: ViolationCode) -> bool {
    crate::remote::guest_message(error).contains(&format!("[cc:{}]", code.as_str()))
}

pub fn violation(v: Violation) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(v.to_string()))
}
