//! `client/src/error-codes.ts` is generated from `ViolationCode` (and the rules' text limits): this test renders it and fails when
//! the file on disk differs, so the TypeScript `ErrorCode` union never drifts from the Rust enum.
//! Regenerate with `UPDATE_GENERATED=1 cargo test -p ledger_rules --test error_codes_ts`.

use ledger_rules::{ViolationCode, CLOCK_TOLERANCE_MICROS, MAX_MEMO_CHARS, MAX_NAME_CHARS, MICROS_PER_SECOND};
use std::path::PathBuf;

const REGENERATE: &str = "UPDATE_GENERATED=1 cargo test -p ledger_rules --test error_codes_ts";

fn generated_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../client/src/error-codes.ts")
}

/// The TypeScript module: the codes in declaration order, each with its meaning as a doc comment.
fn render() -> String {
    let mut ts = String::new();
    ts.push_str("// GENERATED from ViolationCode in dna/crates/ledger_rules/src/violation.rs: do not edit by hand.\n");
    ts.push_str(&format!("// Change the Rust enum, then regenerate with `{REGENERATE}`;\n"));
    ts.push_str("// the rule tests fail while this file and the enum differ.\n\n");
    ts.push_str("/** Every stable error code, in the order the Rust enum declares them. */\n");
    ts.push_str("export const ERROR_CODES = [\n");
    for code in ViolationCode::ALL {
        let meaning = code.meaning();
        assert!(!meaning.contains("*/"), "the meaning of {} would end its comment early", code.as_str());
        ts.push_str(&format!("  /** {meaning} */\n  \"{}\",\n", code.as_str()));
    }
    ts.push_str("] as const;\n\n");
    ts.push_str("/** A stable error code, as the zomes write it in `[cc:<code>]` and the client reports it. */\n");
    ts.push_str("export type ErrorCode = (typeof ERROR_CODES)[number];\n\n");
    ts.push_str("const CODES: ReadonlySet<string> = new Set(ERROR_CODES);\n\n");
    ts.push_str("/** Whether `s` is one of the stable error codes. */\n");
    ts.push_str("export function isErrorCode(s: string): s is ErrorCode {\n");
    ts.push_str("  return CODES.has(s);\n");
    ts.push_str("}\n\n");
    ts.push_str("/** Text limits the rules enforce, in characters, so forms stop typing where peers would refuse. */\n");
    ts.push_str(&format!("export const MAX_MEMO_CHARS = {MAX_MEMO_CHARS};\n"));
    ts.push_str(&format!("export const MAX_NAME_CHARS = {MAX_NAME_CHARS};\n\n"));
    ts.push_str("/** How far a payment's time may be from an honest witness's clock, in seconds: demurrage ages to the\n");
    ts.push_str(" * payment's time plus this, and a cash-out settles this long after its wait (ledger_rules' `clock`). */\n");
    ts.push_str(&format!("export const CLOCK_TOLERANCE_SECS = {};\n", CLOCK_TOLERANCE_MICROS / MICROS_PER_SECOND));
    ts
}

#[test]
fn client_error_codes_match_the_enum() {
    let path = generated_path();
    let rendered = render();
    if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1") {
        std::fs::write(&path, &rendered).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "client/src/error-codes.ts is out of date with ViolationCode (dna/crates/ledger_rules/src/violation.rs).\n\
         Regenerate it with `{REGENERATE}` and commit it."
    );
}
