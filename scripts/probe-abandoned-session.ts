// What Holochain 0.7.1 leaves when a payment session is written by one signer only and then
// abandoned (`npm run probe:abandoned-session`; prints what it sees, asserts nothing). A signer's
// countersigned action is withheld from publishing until its session completes, and abandoning the
// session removes it from the signer's chain. Yet other conductors come to hold it as the signer's
// newest action: the signer's chain and its peers then disagree about where it stands, every
// witness refuses its sessions as stale, and an action it writes at that position is a fork.
//
// Steps: Ana starts a payment to Ben and only Ben writes his side (the witness and Ana never do,
// as when their commits outlast the window under load). Cai's conductor, which took no part, is
// asked (its own store only) whether and when it holds Ben's withheld action. Once the window has
// closed, Ben's session keeper abandons the session (two signers never wrote it); then Cai tries
// to pay Ben, and the three views of Ben's chain are printed (his own conductor's store, Cai's, and
// Ben's agent-activity authorities).
import { DEFAULT_WITNESS, FORGER_HAPP, startVillage } from "./village/village.js";
import { LedgerError, holochainSays, retryWhile } from "../client/src/index.js";

const HOUR = 100_000n;
const LEAK_WAIT_MS = 60_000;

const village = await startVillage({
  members: [{ name: "Ana" }, { name: "Ben", happPath: FORGER_HAPP }, { name: "Cai", happPath: FORGER_HAPP }, DEFAULT_WITNESS],
});
try {
  const [ana, ben, cai] = village.members;
  await ana!.ledger.pay(ben!.agent, HOUR, "before the probe");
  /** Ben's newest chain position in a conductor's own store (`read_chain_top`, local). */
  const benTopIn = (who: typeof ben) => who!.ledger.call<number | null>("read_chain_top", { agent: ben!.agent, from_seq: 0, local: true }, "forger");
  /** Ben's chain status in a conductor's own store. */
  const benStatusIn = (who: typeof ben) => who!.ledger.call<string>("chain_status", { agent: ben!.agent, local: true }, "forger");
  const views = async () =>
    `Ben's own store: ${await benStatusIn(ben)}; Cai's store: ${await benStatusIn(cai)}; Ben's authorities: ${await cai!.ledger.call<string>("chain_status", { agent: ben!.agent, local: false }, "forger")}`;
  const notYet = (e: unknown) => e instanceof LedgerError && ["witness_behind", "not_synced", "no_witness_online"].includes(e.code);
  const session = await retryWhile(
    () =>
      ana!.ledger.call<{ responses: { agent_state: { action_seq: number } }[] }>("start_payment", {
        payee: ben!.agent,
        amount: HOUR / 10n,
        memo: "written by the payee alone",
        kind: { type: "Trade" },
      }),
    notYet,
    Date.now() + 60_000,
    250,
  );
  const written = Date.now();
  await retryWhile(
    () => ana!.ledger.call("commit_on_payee", session),
    (e) => e instanceof LedgerError && holochainSays("dependencyMissing", e.detail ?? ""),
    Date.now() + 10_000,
    150,
  );
  // Ben's action follows the chain top his preflight response names (signers: witness, Ana, Ben).
  const position = session.responses[2]!.agent_state.action_seq + 1;
  console.log(`Ben wrote his side at chain position ${position}; the witness and Ana never write theirs`);
  console.log(`just after: ${await views()}`);
  let leakedAfter: number | undefined;
  while (Date.now() - written < LEAK_WAIT_MS) {
    if (((await benTopIn(cai)) ?? -1) >= position) {
      leakedAfter = Date.now() - written;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(
    leakedAfter === undefined
      ? `Cai's conductor did not hold Ben's withheld action within ${LEAK_WAIT_MS / 1000} s`
      : `Cai's conductor held Ben's withheld action ${leakedAfter} ms after Ben wrote it (the session never completed)`,
  );
  console.log(`while the session is open: ${await views()}`);
  // Ben's session keeper abandons the session once its window has closed; he is then paid again.
  await retryWhile(
    () => cai!.ledger.pay(ben!.agent, HOUR / 10n, "after the abandoned session"),
    (e) =>
      e instanceof LedgerError && ["payment_in_progress", "lock_released", "stale_state", "session_timeout", "witness_behind", "not_synced"].includes(e.code),
    Date.now() + 90_000,
    1_000,
  ).then(
    () => console.log("Cai paid Ben after the abandoned session"),
    (e: unknown) => console.log(`Cai could not pay Ben after the abandoned session: ${e instanceof LedgerError ? `${e.code}: ${e.message}` : e}`),
  );
  const deadline = Date.now() + 30_000;
  let seen = await views();
  while (!/Forked/.test(seen) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    seen = await views();
  }
  console.log(`afterwards: ${seen}`);
} finally {
  await village.stop();
}
