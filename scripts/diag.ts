import { startVillage, FORGER_HAPP } from "./village/village.js";
const v = await startVillage({ members: [{ name: "Ana", happPath: FORGER_HAPP }, { name: "Ben" }, { name: "Cai" }] });
const [ana, ben] = v.members;
try {
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    const session: any = await ana!.ledger.call("start_payment", { payee: ben!.agent, amount: 1000, memo: `d${i}` });
    const t1 = performance.now();
    let tries = 0;
    const retry = async (fn: string) => { for (;;) { try { return await ana!.ledger.call(fn, session); } catch (e: any) { tries++; if (!/DepMissing/.test(e.detail ?? "")) throw e; await new Promise(r => setTimeout(r, 150)); } } };
    const tc = performance.now();
    const [a, b] = await Promise.all([retry("commit_on_payee").then(() => performance.now() - tc), retry("complete_payment").then(() => performance.now() - tc)]);
    const t2 = performance.now();
    // wait until payer's chain unlocks: next start would fail; poll my_position via history length
    console.log(`payment ${i}: start ${(t1 - t0).toFixed(0)} ms, payee commit ${a.toFixed(0)} ms, payer commit ${b.toFixed(0)} ms, dep retries ${tries}`);
    await new Promise(r => setTimeout(r, 200));
  }
} finally { await v.stop(); }
