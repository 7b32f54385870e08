// Invitation codes as a member types, pastes or scans them: a code round-trips, and anything that
// is not a whole code is refused with a sentence that says what is wrong.
import { describe, expect, it } from "vitest";
import { encode } from "@msgpack/msgpack";
import { encodeHashToBase64, fakeAgentPubKey, fakeDnaHash } from "@holochain/client";
import { decodeInvitationCode, encodeInvitationCode, TOKEN_BYTES } from "../../scripts/village/invitation-code.js";

const token = Uint8Array.from({ length: TOKEN_BYTES }, (_, i) => i * 7);
const rawCode = (fields: unknown[]) => `cc1-${Buffer.from(encode(fields)).toString("base64url")}`;

describe("invitation codes", () => {
  it("round-trip the desk address and the token, and stay short enough to type", () => {
    const code = encodeInvitationCode({ desk: "192.168.1.10:7701", token });
    expect(code).toMatch(/^cc1-[A-Za-z0-9_-]+$/);
    expect(code.length).toBeLessThanOrEqual(60);
    const decoded = decodeInvitationCode(`  ${code}\n`);
    expect(decoded.desk).toBe("192.168.1.10:7701");
    expect(Array.from(decoded.token)).toEqual(Array.from(token));
    expect(decoded.dnaHash).toBeUndefined();
  });

  it("carry the village's DNA hash, and still fit a QR a phone reads", async () => {
    const dnaHash = encodeHashToBase64(await fakeDnaHash(3));
    const code = encodeInvitationCode({ desk: "192.168.1.10:7701", token, dnaHash });
    expect(code.length).toBeLessThanOrEqual(120);
    expect(decodeInvitationCode(code)).toMatchObject({ desk: "192.168.1.10:7701", dnaHash });
  });

  it("refuse what is not a whole code, saying why", async () => {
    const code = encodeInvitationCode({ desk: "10.77.0.1:7701", token });
    expect(() => decodeInvitationCode("hello")).toThrow(/should start with cc1-/);
    expect(() => decodeInvitationCode(code.slice(0, 20))).toThrow(/damaged|wrong shape|no token/);
    expect(() => decodeInvitationCode(encodeInvitationCode({ desk: "not an address", token }))).toThrow(/no desk address/);
    expect(() => decodeInvitationCode(encodeInvitationCode({ desk: "10.77.0.1:7701", token: token.slice(0, 8) }))).toThrow(/no token/);
    // A third field must be a DNA hash: an agent key or a short hash is not a village.
    expect(() => decodeInvitationCode(rawCode(["10.77.0.1:7701", token, new Uint8Array(39)]))).toThrow(/no village hash/);
    expect(() => decodeInvitationCode(rawCode(["10.77.0.1:7701", token, "uhC0k"]))).toThrow(/no village hash/);
    expect(() => decodeInvitationCode(rawCode(["10.77.0.1:7701", token, Uint8Array.from([132, 45, 36, 1, 2])]))).toThrow(/no village hash/);
    const agent = await fakeAgentPubKey(1);
    expect(() => decodeInvitationCode(rawCode(["10.77.0.1:7701", token, agent]))).toThrow(/no village hash/);
  });
});
