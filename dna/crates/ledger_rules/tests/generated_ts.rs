//! The client's generated modules: `client/src/error-codes.ts` from `ViolationCode`, and
//! `client/src/limits.ts` from `SHARED_LIMITS`. These tests render them and fail when a file on
//! disk differs, so the TypeScript never drifts from the Rust.
//! Regenerate with `UPDATE_GENERATED=1 cargo test -p ledger_rules --test generated_ts`.

use ledger_rules::{Handling, ViolationCode, SHARED_LIMITS};
use std::path::PathBuf;

const REGENERATE: &str = "UPDATE_GENERATED=1 cargo test -p ledger_rules --test generated_ts";

fn client_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../client/src").join(file)
}

/// Writes `rendered` when regenerating; otherwise fails unless the file on disk is exactly it.
fn check_generated(file: &str, rendered: &str, source: &str) {
    let path = client_path(file);
    if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1") {
        std::fs::write(&path, rendered).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == rendered, "client/src/{file} is out of date with {source}.\nRegenerate it with `{REGENERATE}` and commit it.");
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
    ts.push_str("/** How the apps treat a refusal (`Handling` in the Rust). */\n");
    let classes: Vec<String> = Handling::ALL.iter().map(|h| format!("\"{}\"", h.as_str())).collect();
    ts.push_str(&format!("export type Handling = {};\n\n", classes.join(" | ")));
    ts.push_str("/** Every code's handling: the one table the client's retries read. */\n");
    ts.push_str("export const HANDLING: Readonly<Record<ErrorCode, Handling>> = {\n");
    for code in ViolationCode::ALL {
        ts.push_str(&format!("  {}: \"{}\",\n", code.as_str(), code.handling().as_str()));
    }
    ts.push_str("};\n\n");
    ts.push_str("/** What a member is told for each code, in one sentence. */\n");
    ts.push_str("export const SENTENCES: Readonly<Record<ErrorCode, string>> = {\n");
    for code in ViolationCode::ALL {
        let sentence = code.sentence();
        assert!(!sentence.contains('"') && !sentence.contains('\\'), "the sentence of {} needs escaping", code.as_str());
        ts.push_str(&format!("  {}: \"{sentence}\",\n", code.as_str()));
    }
    ts.push_str("};\n");
    ts
}

#[test]
fn client_error_codes_match_the_enum() {
    check_generated("error-codes.ts", &render(), "ViolationCode (dna/crates/ledger_rules/src/violation.rs)");
}

/// The TypeScript module of shared limits, each with its meaning as a doc comment.
fn render_limits() -> String {
    let mut ts = String::new();
    ts.push_str("// GENERATED from SHARED_LIMITS in dna/crates/ledger_rules/src/limits.rs: do not edit by hand.\n");
    ts.push_str(&format!("// Change the Rust, then regenerate with `{REGENERATE}`.\n"));
    for (name, value, meaning) in SHARED_LIMITS {
        assert!(!meaning.contains("*/"), "the meaning of {name} would end its comment early");
        ts.push_str(&format!("\n/** {meaning} */\nexport const {name} = {value};\n"));
    }
    ts
}

#[test]
fn client_limits_match_the_rules() {
    check_generated("limits.ts", &render_limits(), "SHARED_LIMITS (dna/crates/ledger_rules/src/limits.rs)");
}
