// A cheap guard on the generated code list (client/src/error-codes.ts, from the Rust enum): every code
// the client and the UI name is one the zomes know, and error texts are read back into those codes.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ERROR_CODES,
  HANDLING,
  LedgerError,
  REFUSAL_SENTENCES,
  explain,
  handlingOf,
  isErrorCode,
  releasedLock,
  toLedgerError,
} from "../../client/src/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && e.name !== "error-codes.ts")
    .map((e) => join(e.parentPath, e.name));
}

/** Code literals in the source: LedgerErrors built, codes compared, sentences looked up. */
const MENTIONS = [
  /new LedgerError\(\s*"([a-z_]+)"/g,
  /\.code\s*[!=]==?\s*"([a-z_]+)"/g,
  /REFUSAL_SENTENCES\.([a-z_]+)/g,
  /REFUSAL_SENTENCES\[\s*"([a-z_]+)"\s*\]/g,
];

function mentionedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...sources("client/src"), ...sources("ui/src")]) {
    const text = readFileSync(file, "utf8");
    for (const pattern of MENTIONS) {
      for (const m of text.matchAll(pattern)) found.set(m[1]!, file.slice(root.length));
    }
  }
  return found;
}

describe("error codes", () => {
  it("are unique snake_case words", () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z_]+$/);
  });

  it("every code the client and UI source names is a known code", () => {
    const mentioned = mentionedCodes();
    // The scan must see the codes the client builds itself, or it checks nothing.
    expect([...mentioned.keys()]).toEqual(expect.arrayContaining(["invalid_amount", "payment_in_progress", "conductor_error"]));
    const unknown = [...mentioned].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(unknown).toEqual([]);
  });

  it("every code has a sentence for members and a handling, from the Rust enum", () => {
    for (const code of ERROR_CODES) {
      expect(REFUSAL_SENTENCES[code]).toMatch(/^[A-Z].*\.$/);
      expect(["never_retried", "retried_at_once", "retried_after_settling", "outcome_unknown"]).toContain(HANDLING[code]);
    }
    expect(handlingOf(new LedgerError("witness_busy", "busy"))).toBe("retried_at_once");
    expect(handlingOf(new LedgerError("over_floor", "below"))).toBe("never_retried");
    expect(handlingOf(new Error("not ours"))).toBe("never_retried");
  });

  it("a refusal with no code keeps the conductor's words; one with a code is its sentence", () => {
    expect(explain(new LedgerError("conductor_error", "socket closed"))).toContain("socket closed");
    expect(explain(new LedgerError("over_floor", "below -20"))).toBe(REFUSAL_SENTENCES.over_floor);
  });

  it("every refusal sentence is for a known code", () => {
    const keys = Object.keys(REFUSAL_SENTENCES);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !isErrorCode(k))).toEqual([]);
  });
});

describe("toLedgerError", () => {
  it("reads the code and message out of a wrapped conductor error", () => {
    const text = 'Wasm runtime error: Guest("[cc:over_floor] this payment would take the payer below its floor of -20")';
    const error = toLedgerError(new Error(text));
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.code).toBe("over_floor");
    expect(error.message).toBe("this payment would take the payer below its floor of -20");
    expect(error.detail).toBe(text);
  });

  it("turns a code it does not know into conductor_error, keeping the text", () => {
    const error = toLedgerError(new Error("[cc:made_up] x"));
    expect(error.code).toBe("conductor_error");
    expect(error.detail).toBe("[cc:made_up] x");
    expect(error.message).toContain("made_up");
  });

  it("reads either of Holochain's refusals of a lock-releasing record as a released lock", () => {
    const refusals = [
      "The PreflightResponse signature was not valid PreflightResponse { .. }",
      "The previous action's author does not match the current action's author: uhCAk1 != uhCAk2 - with context seq=7",
    ];
    for (const refusal of refusals) {
      const error = toLedgerError(new Error(`Source chain error: InvalidCommit error: ${refusal}`));
      expect(releasedLock(error), refusal).toBe(true);
    }
    expect(releasedLock(toLedgerError(new Error("Source chain error: InvalidCommit error: EntryTooLarge"))), "another refusal").toBe(false);
  });

  it("turns an error with no code into conductor_error", () => {
    const error = toLedgerError({ data: "the conductor fell over" });
    expect(error.code).toBe("conductor_error");
    expect(error.detail).toBe("the conductor fell over");
  });
});
