// Invitation codes as a member types, pastes or scans them: a code round-trips, and anything that
// is not a whole code is refused with a sentence that says what is wrong.
import { describe, expect, it } from "vitest";
import { decodeInvitationCode, encodeInvitationCode, TOKEN_BYTES } from "../../scripts/village/invitation-code.js";

const token = Uint8Array.from({ length: TOKEN_BYTES }, (_, i) => i * 7);

describe("invitation codes", () => {
  it("round-trip the desk address and the token, and stay short enough to type", () => {
    const code = encodeInvitationCode({ desk: "192.168.1.10:7701", token });
    expect(code).toMatch(/^cc1-[A-Za-z0-9_-]+$/);
    expect(code.length).toBeLessThanOrEqual(60);
    const decoded = decodeInvitationCode(`  ${code}\n`);
    expect(decoded.desk).toBe("192.168.1.10:7701");
    expect(Array.from(decoded.token)).toEqual(Array.from(token));
  });

  it("refuse what is not a whole code, saying why", () => {
    const code = encodeInvitationCode({ desk: "10.77.0.1:7701", token });
    expect(() => decodeInvitationCode("hello")).toThrow(/should start with cc1-/);
    expect(() => decodeInvitationCode(code.slice(0, 20))).toThrow(/damaged|wrong shape|no token/);
    expect(() => decodeInvitationCode(encodeInvitationCode({ desk: "not an address", token }))).toThrow(/no desk address/);
    expect(() => decodeInvitationCode(encodeInvitationCode({ desk: "10.77.0.1:7701", token: token.slice(0, 8) }))).toThrow(/no token/);
  });
});
