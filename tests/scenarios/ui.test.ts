// The payment page on a real village (the seed parameters: 10 % levies), driven in Debian's
// Chromium: a payment made through the form moves both members' balances and the commons funds,
// care credits show as their own class, a refusal shows its code, and an amount that is not a
// number never leaves the page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page, type Request } from "playwright-core";
import jsQR from "jsqr";
import { encode as encodeQr } from "uqr";
import { SEED_PROPERTIES, startVillage, type Village } from "../../scripts/village/village.js";
import { startUi, type UiServer } from "../../ui/server.js";
import { decodeMessage, RPC_PATH, type RpcRequest } from "../../ui/src/node-wire.js";
import { eventually, retryWhileBusy } from "../harness/index.js";
import { voucherCodeOf } from "../../client/src/index.js";

const HOUR = 100_000n;
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** A payment's whole session window (20 s in the client) plus the page's own work. */
const PAGE_ACTION_TIMEOUT_MS = 60_000;
/** How long data may take to travel between peers and show on the page (it re-reads every 5 s). */
const SYNC_TIMEOUT_MS = 30_000;

describe("the payment page on a real village", () => {
  let village: Village | undefined;
  let ui: UiServer | undefined;
  let browser: Browser | undefined;
  let irisPage: Page;
  /** Payments each page asked its node for: the wire, not the page, says what left. */
  const paymentsStarted = new Map<Page, number>();
  /** The ledger method a request from the page asks its node for, if it is a call to the node. */
  const askedOf = (request: Request) => {
    if (!request.url().endsWith(RPC_PATH)) return undefined;
    const body = request.postDataBuffer();
    return body ? (decodeMessage(new Uint8Array(body)) as RpcRequest).method : undefined;
  };

  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();
  const openAs = async (name: string): Promise<Page> => {
    const page = await browser!.newPage({ viewport: { width: 420, height: 900 } });
    page.setDefaultTimeout(PAGE_ACTION_TIMEOUT_MS);
    paymentsStarted.set(page, 0);
    page.on("request", (request) => {
      if (askedOf(request) === "pay") paymentsStarted.set(page, paymentsStarted.get(page)! + 1);
    });
    await page.goto(`${ui!.url}?member=${encodeURIComponent(name)}`);
    return page;
  };
  /** Decodes the QR code shown in `testId` from a screenshot of the page at a phone's 360 px width. */
  const readQrOnScreen = async (page: Page, testId: string) => {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 780 });
    try {
      const qr = page.getByTestId(testId);
      const png = await qr.screenshot();
      // The browser turns the PNG into pixels; jsQR reads them as a camera app's decoder would.
      const pixels = await page.evaluate(async (base64) => {
        const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext("2d")!;
        context.drawImage(image, 0, 0);
        return { width: image.width, height: image.height, data: Array.from(context.getImageData(0, 0, image.width, image.height).data) };
      }, png.toString("base64"));
      const found = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
      return { text: found?.data ?? "", widthPx: pixels.width };
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
  };
  const payThroughForm = async (page: Page, payee: string, amountText: string, memo = "") => {
    await page.getByTestId("pay-payee").selectOption({ label: payee });
    await page.getByTestId("pay-amount").fill(amountText);
    await page.getByTestId("pay-memo").fill(memo);
    await page.getByTestId("pay-submit").click();
  };

  beforeAll(async () => {
    village = await startVillage({
      properties: SEED_PROPERTIES,
      members: [{ name: "Iris" }, { name: "Marcus" }, { name: "Yuki" }, { name: "Treasury", role: "treasury" }],
    });
    ui = await startUi({ members: () => village!.members });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    irisPage = await openAs("Iris");
  }, 400_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await ui?.close().catch(() => {});
    await village?.stop();
  }, 60_000);

  it("shows a new member a balance of zero and an empty history", async () => {
    await expect.poll(() => text(irisPage, "balance"), { timeout: PAGE_ACTION_TIMEOUT_MS }).toBe("0");
    expect(await irisPage.getByTestId("history-item").count()).toBe(0);
    // The treasury takes no trades: it is not offered as a payee.
    const payees = await irisPage.getByTestId("pay-payee").locator("option").allTextContents();
    expect(payees.map((p) => p.trim())).toEqual(expect.arrayContaining(["Marcus", "Yuki"]));
    expect(payees.map((p) => p.trim())).not.toContain("Treasury");
  });

  it("a payment through the form is confirmed, lowers the payer's balance and appears in her history", async () => {
    await payThroughForm(irisPage, "Marcus", "1.5", "bread");
    await irisPage.getByTestId("pay-result").waitFor();
    expect(await text(irisPage, "pay-result")).toBe("Paid 1.5 h to Marcus");
    expect(await irisPage.getByTestId("pay-amount").inputValue(), "the form is cleared for the next payment").toBe("");
    // The page's node was asked (a start is asked again while a witness's store catches up
    // with Iris's newest actions: nothing is locked or written then); one payment is recorded below.
    expect(paymentsStarted.get(irisPage)).toBeGreaterThanOrEqual(1);

    await expect.poll(() => text(irisPage, "balance"), { timeout: SYNC_TIMEOUT_MS }).toBe("-1.5");
    await expect.poll(() => irisPage.getByTestId("history-item").count(), { timeout: SYNC_TIMEOUT_MS }).toBe(1);
    const item = await text(irisPage, "history-item");
    expect(item).toContain("Marcus");
    expect(item).toContain("-1.5 h");
    expect(item).toContain("bread");
    expect(item).toContain("0.15 h to the commons funds");
    // The page showed what the ledger holds, not what it hoped.
    expect(await village!.member("Iris").ledger.myBalance()).toBe(-(HOUR + HOUR / 2n));
  });

  it("the payee's page shows the payment, less the levies, and the treasury's funds once it has reached his conductor", async () => {
    const marcusPage = await openAs("Marcus");
    await expect.poll(() => text(marcusPage, "balance"), { timeout: SYNC_TIMEOUT_MS }).toBe("1.35");
    await expect.poll(() => marcusPage.getByTestId("history-item").count(), { timeout: SYNC_TIMEOUT_MS }).toBe(1);
    expect(await text(marcusPage, "history-item")).toContain("+1.35 h");
    await expect.poll(() => text(marcusPage, "fund-State"), { timeout: SYNC_TIMEOUT_MS }).toBe("0.1125 h");
    expect(await text(marcusPage, "fund-Community")).toBe("0.0375 h");
    await expect.poll(() => text(marcusPage, "ledger-total"), { timeout: SYNC_TIMEOUT_MS }).toBe("0");
    await marcusPage.close();
  });

  it("on a 360 px phone screen a page with payments in its history has no horizontal scroll", async () => {
    const marcusPage = await openAs("Marcus");
    await marcusPage.setViewportSize({ width: 360, height: 780 });
    await expect.poll(() => marcusPage.getByTestId("history-item").count(), { timeout: SYNC_TIMEOUT_MS }).toBeGreaterThan(0);
    const { scrollWidth, viewport } = await marcusPage.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(viewport);
    // The memo and the time are shown whole: wrapped, never cut with an ellipsis.
    const row = marcusPage.getByTestId("history-item").first();
    expect(await row.getByTestId("history-memo").textContent()).toBe("bread");
    const cut = await row.locator("time, [data-testid=history-memo]").evaluateAll((nodes) => nodes.filter((n) => n.scrollWidth > n.clientWidth).length);
    expect(cut).toBe(0);
    expect(await row.locator("time").textContent()).toMatch(/just now|min ago|today, \d{1,2}:\d{2}/);
    await marcusPage.close();
  });

  it("care credits show as their own class on the member's page", async () => {
    await village!.member("Yuki").ledger.steward(village!.member("Marcus").agent, HOUR, "elder care", "Care", "caring for Marcus's mother");
    const marcusPage = await openAs("Marcus");
    await expect.poll(() => text(marcusPage, "balance"), { timeout: SYNC_TIMEOUT_MS }).toBe("2.25");
    expect(await text(marcusPage, "care-credits")).toBe("0.9");
    expect(await text(marcusPage, "general-credits")).toBe("1.35");
    await expect.poll(() => text(marcusPage, "fund-State"), { timeout: SYNC_TIMEOUT_MS }).toBe("0.1875 h");
    await marcusPage.close();
  });

  it("a payment past the floor is refused on the page with the over_floor code, changing nothing", async () => {
    // Iris is at -1.5 h; 100 h would take her far below the -20 h floor.
    await payThroughForm(irisPage, "Marcus", "100");
    const refusal = irisPage.getByTestId("pay-error");
    await refusal.waitFor();
    expect(await refusal.getAttribute("role")).toBe("alert");
    expect(await refusal.getAttribute("data-code")).toBe("over_floor");
    expect(await refusal.textContent()).toContain("below your credit floor");
    expect(await irisPage.getByTestId("pay-result").count()).toBe(0);
    expect(await village!.member("Iris").ledger.myBalance()).toBe(-(HOUR + HOUR / 2n));
    expect(await text(irisPage, "balance")).toBe("-1.5");
  });

  it("an amount that is not a number is explained next to the field and nothing is sent", async () => {
    const startedBefore = paymentsStarted.get(irisPage);
    await payThroughForm(irisPage, "Marcus", "abc");
    const problem = irisPage.getByTestId("pay-amount-error");
    await problem.waitFor();
    expect(await problem.textContent()).toContain("not an amount");
    expect(await irisPage.getByTestId("pay-submit").textContent()).toBe("Pay");
    expect(await irisPage.getByTestId("pay-error").count()).toBe(0);
    expect(await irisPage.getByTestId("pay-result").count()).toBe(0);
    expect(paymentsStarted.get(irisPage)).toBe(startedBefore);

    expect(await village!.member("Iris").ledger.history()).toHaveLength(1);
    expect(await village!.member("Iris").ledger.myBalance()).toBe(-(HOUR + HOUR / 2n));
    expect(await text(irisPage, "balance")).toBe("-1.5");
    expect(await irisPage.getByTestId("history-item").count()).toBe(1);
  });

  it("a voucher written on one page is checked on the payee's page with no network, redeemed once, and refused the second time", async () => {
    await irisPage.getByTestId("voucher-payee").selectOption({ label: "Yuki" });
    await irisPage.getByTestId("voucher-amount").fill("0.5");
    await irisPage.getByTestId("voucher-memo").fill("jam");
    await irisPage.getByTestId("voucher-submit").click();
    await irisPage.getByTestId("voucher-qr").locator("svg").waitFor();
    const code = (await irisPage.getByTestId("voucher-code").inputValue()).trim();
    expect(code).toMatch(/^ccv1-[A-Za-z0-9_-]+$/);
    expect(await irisPage.getByTestId("voucher-amount").inputValue(), "the form is cleared for the next voucher").toBe("");
    expect(await village!.member("Iris").ledger.myBalance(), "the voucher left Iris's account at once").toBe(-2n * HOUR);
    // The QR as a phone's screen shows it, 360 px wide, read back from a screenshot by a QR decoder.
    const decoded = await readQrOnScreen(irisPage, "voucher-qr");
    const modules = encodeQr(decoded.text).size;
    console.log(
      `[voucher QR] ${decoded.text.length} characters (the code: ${code.length}; ${encodeQr(code).size} modules as text), ${modules} modules across, ${decoded.widthPx} px wide at 360 px (${(decoded.widthPx / modules).toFixed(1)} px a module)`,
    );
    expect(await voucherCodeOf(decoded.text), "the QR read back gives the voucher's code").toBe(code);

    const redemptionsSent = () => redemptionsStarted;
    let redemptionsStarted = 0;
    const yukiPage = await openAs("Yuki");
    yukiPage.on("request", (request) => {
      if (askedOf(request) === "redeemVoucher") redemptionsStarted += 1;
    });
    // A code altered by one character fails the page's own signature check.
    const flipped = code.slice(0, -3) + (code.at(-3) === "A" ? "B" : "A") + code.slice(-2);
    await yukiPage.getByTestId("redeem-code").fill(flipped);
    await yukiPage.getByTestId("redeem-check-error").waitFor();
    expect(await yukiPage.getByTestId("redeem-submit").isDisabled()).toBe(true);
    await yukiPage.getByTestId("redeem-code").fill(code);
    await yukiPage.getByTestId("redeem-check").waitFor();
    expect(await text(yukiPage, "redeem-check")).toContain("Signed by Iris: 0.45 h for you (jam)");
    expect(redemptionsSent(), "checked in the page: nothing was sent to the conductor").toBe(0);

    await expect
      .poll(
        async () => {
          if ((await yukiPage.getByTestId("redeem-result").count()) > 0) return "redeemed";
          if (!(await yukiPage.getByTestId("redeem-submit").isDisabled())) await yukiPage.getByTestId("redeem-submit").click();
          return (await yukiPage.getByTestId("redeem-error").count()) > 0 ? await yukiPage.getByTestId("redeem-error").getAttribute("data-code") : "pending";
        },
        { timeout: SYNC_TIMEOUT_MS * 2, interval: 1_000 },
      )
      .toBe("redeemed");
    expect(await text(yukiPage, "redeem-result")).toBe("Redeemed: 0.45 h from Iris.");
    await yukiPage.getByTestId("redeem-submit").click();
    await expect.poll(() => yukiPage.getByTestId("redeem-error").getAttribute("data-code"), { timeout: PAGE_ACTION_TIMEOUT_MS }).toBe("voucher_redeemed");
    expect(await village!.member("Yuki").ledger.myBalance()).toBe((HOUR * 45n) / 100n - HOUR);
    await yukiPage.close();
  });

  it(
    "a voucher that expired unredeemed is listed on its payer's page and taken back with one press",
    async () => {
      const yuki = village!.member("Yuki");
      // Written for a second: 0.2 h leaves Yuki's account, 0.18 h carried once the levies are paid.
      await yuki.ledger.issueVoucher(village!.member("Marcus").agent, HOUR / 5n, "expires unredeemed", 1);
      const [written] = await yuki.ledger.myVouchers();
      expect(written!.voucher.memo).toBe("expires unredeemed");
      await eventually(
        async () => Date.now() * 1000,
        (now) => now > written!.reclaimable_from + 1_000_000,
        4 * 60_000,
      );
      // Marcus's node is seen after the expiry (it writes anything: here an offer), so Yuki's side
      // has read his chain past any redemption he could have made.
      await village!.member("Marcus").ledger.publishOffer("Seen after the voucher expired", HOUR / 10n, 0n, 0n);
      await eventually(
        () => yuki.ledger.offers(),
        (offers) => offers.some((o) => o.offer.title === "Seen after the voucher expired"),
        SYNC_TIMEOUT_MS,
      );
      const balanceBefore = await yuki.ledger.myBalance();

      const yukiPage = await openAs("Yuki");
      await yukiPage.getByTestId("reclaimable-voucher").waitFor();
      expect(await text(yukiPage, "reclaimable-voucher")).toContain("0.2 h to Marcus (expires unredeemed)");
      await yukiPage.getByTestId("reclaim-submit").click();
      await yukiPage.getByTestId("reclaim-result").waitFor({ timeout: PAGE_ACTION_TIMEOUT_MS });
      expect(await text(yukiPage, "reclaim-result")).toBe("Taken back: 0.18 h from the voucher to Marcus.");
      await expect.poll(() => yukiPage.getByTestId("reclaimable-voucher").count(), { timeout: SYNC_TIMEOUT_MS }).toBe(0);
      await expect.poll(() => text(yukiPage, "history-item"), { timeout: SYNC_TIMEOUT_MS }).toContain("Voucher to Marcus taken back");
      expect(await yuki.ledger.myBalance()).toBe(balanceBefore + (HOUR * 18n) / 100n);
      await yukiPage.close();
    },
    6 * 60_000,
  );

  it(
    "a long statement shows its newest twenty payments, and the earlier ones on Show earlier",
    async () => {
      const marcus = village!.member("Marcus");
      for (let i = 1; i <= 21; i++) await retryWhileBusy(() => marcus.ledger.pay(village!.member("Yuki").agent, HOUR / 100n, `small ${i}`));
      const total = (await marcus.ledger.history()).length;
      expect(total).toBeGreaterThan(21);
      const marcusPage = await openAs("Marcus");
      await expect.poll(() => marcusPage.getByTestId("history-item").count(), { timeout: SYNC_TIMEOUT_MS }).toBe(20);
      expect(await marcusPage.getByTestId("history-item").first().textContent()).toContain("small 21");
      await marcusPage.getByTestId("history-earlier").click();
      await expect.poll(() => marcusPage.getByTestId("history-item").count(), { timeout: SYNC_TIMEOUT_MS }).toBe(Math.min(total, 40));
      expect(await marcusPage.getByTestId("history-item").nth(20).textContent()).toMatch(/small 1(?!\d)/);
      expect(await marcusPage.getByTestId("history-earlier").count(), "nothing older left to show").toBe(total > 40 ? 1 : 0);
      await marcusPage.close();
    },
    3 * 60_000,
  );

  // Last: the village's only witness stops for good.
  it(
    "with too few witnesses answering, the page says so and Pay waits, with the reason beside it",
    async () => {
      await expect.poll(() => irisPage.getByTestId("pay-submit").isDisabled(), { timeout: SYNC_TIMEOUT_MS }).toBe(false);
      expect(await irisPage.getByTestId("pay-offline").count()).toBe(0);
      await village!.witnesses[0]!.conductor.stop();
      await irisPage.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 2 * PAGE_ACTION_TIMEOUT_MS });
      expect(await irisPage.getByTestId("pay-submit").isDisabled()).toBe(true);
      expect(await text(irisPage, "pay-offline")).toContain("A voucher needs no network");
      expect(await text(irisPage, "redeem-offline")).toContain("redeeming (and taking back) waits");
      expect(await irisPage.getByTestId("connection-status").getAttribute("title")).toContain("Too few of the village's witnesses answer");
    },
    3 * 60_000,
  );
});
