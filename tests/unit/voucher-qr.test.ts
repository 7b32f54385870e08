// A voucher's QR text: the same code, in QR's alphanumeric alphabet and deflated, so the QR has
// larger modules; scanned, it becomes the same `ccv1-` code, and a damaged one is refused.
import { randomBytes } from "node:crypto";
import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { encodeVoucherCode, VoucherCodeError, voucherCodeOf, voucherQrText } from "../../client/src/index.js";

// The parts' sizes of a real voucher (action, signature, entry), filled with random bytes: the worst case for deflate.
const code = encodeVoucherCode({ action: randomBytes(230), signature: randomBytes(64), entry: randomBytes(700) });

describe("a voucher's QR text", () => {
  it("gives back the same code, in QR's alphanumeric alphabet only", async () => {
    const qr = await voucherQrText(code);
    expect(qr).toMatch(/^CCV1:[0-9A-Z $%*+\-./:]+$/);
    expect(await voucherCodeOf(qr)).toBe(code);
    expect(await voucherCodeOf(` ${code}\n`), "a ccv1- code passes as it is").toBe(code);
  });

  it("needs fewer QR modules than the code itself, even with nothing to deflate", async () => {
    expect(encode(await voucherQrText(code)).size).toBeLessThan(encode(code).size);
  });

  it("refuses a damaged text", async () => {
    const qr = await voucherQrText(code);
    await expect(voucherCodeOf(`${qr.slice(0, -7)}`)).rejects.toThrow(VoucherCodeError);
    await expect(voucherCodeOf("CCV1:abc~")).rejects.toThrow(/damaged/);
  });
});
