// A member's keys are locked by their passphrase (scripts/village/network.ts). A wrong passphrase
// must be reported as such, not as a conductor that "exited before ADMIN_PORT" with a Rust
// backtrace, and must change nothing: the right one opens the same keys afterwards. This is also
// the check that Holochain still says what `KEYSTORE_REFUSED` reads.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectAdmin, closeConnection } from "../../scripts/village/member.js";
import { WrongPassphrase, createConductorConfigs, startConductor } from "../../scripts/village/network.js";

describe("a member's keystore", () => {
  const dir = mkdtempSync(join(tmpdir(), "commons-credit-keystore-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a wrong passphrase in words, and still opens with the right one afterwards", async () => {
    // Nothing here needs a peer: the bootstrap address is never reached.
    const [config] = await createConductorConfigs(dir, ["member"], "http://127.0.0.1:9", "the right passphrase");
    const first = await startConductor("member", config!, dir, "the right passphrase");
    await first.stop();

    const refused = await startConductor("member", config!, dir, "a wrong passphrase").then(
      () => new Error("the keystore opened with a wrong passphrase"),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(WrongPassphrase);
    expect((refused as Error).message).toMatch(/the passphrase does not open this machine's keys/);

    // Still locked by the right passphrase: the refused start replaced nothing.
    const again = await startConductor("member", config!, dir, "the right passphrase");
    const admin = await connectAdmin(again.adminPort);
    expect(await admin.listApps({})).toEqual([]);
    await closeConnection(admin);
    await again.stop();
  });
});

describe("joining with an invitation code", () => {
  it("a damaged code is refused in words before any passphrase is asked, leaving nothing behind", async () => {
    const home = mkdtempSync(join(tmpdir(), "commons-credit-join-"));
    try {
      const dataDir = join(home, "member");
      // Standard input stays open: a command that asked for a passphrase would wait on it for ever.
      const cli = spawn("node", ["--import", "tsx", "scripts/village-node.ts", "join", "cc1-not-a-real-code", "--data", dataDir], {
        stdio: ["pipe", "pipe", "pipe"],
      });
      let output = "";
      cli.stdout.on("data", (chunk) => (output += chunk));
      cli.stderr.on("data", (chunk) => (output += chunk));
      const [exitCode] = (await once(cli, "exit")) as [number | null];
      expect(exitCode).toBe(1);
      expect(output).toMatch(/not a commons-credit invitation code \(it is damaged: check it was copied whole\)/);
      expect(output).not.toMatch(/passphrase/i);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
