// `npm start`: the embedded default village (the seed parameters of dna/workdir/dna.yaml): a local
// bootstrap/relay server; four members, the Orchard co-op, the commons treasury and the cash desk,
// each on its own conductor; the seed ledger's four payments plus a stewardship credit, care work,
// an apple offer bought and cash taken in; and the Lit page, which acts as any of them for whoever
// reaches this machine's loopback (a trial village: a member's own node pairs its devices). Runs
// until Ctrl-C.
import { SEED_PROPERTIES, startVillage } from "./village/village.js";
import { startUi } from "../ui/server.js";
import { forward, type Forwarder } from "./gateway/forward.js";

const HOUR = 100_000n;
const UI_PORT = Number(process.env.CC_UI_PORT ?? 5173);

console.log("Starting the village of Riverside (this takes a minute or two: each conductor compiles the app)...");
const village = await startVillage({
  properties: SEED_PROPERTIES,
  members: [
    { name: "Iris" },
    { name: "Marcus" },
    { name: "Yuki" },
    { name: "Sam" },
    { name: "Orchard co-op" },
    { name: "Commons treasury", role: "treasury" },
    { name: "Cash desk", role: "boundary" },
  ],
  workDir: process.env.CC_WORK_DIR,
});
let ui: Awaited<ReturnType<typeof startUi>> | undefined;
let hostGateway: Forwarder | undefined;
const stop = async () => {
  console.log("\nStopping the village...");
  await hostGateway?.close().catch(() => {});
  await ui?.close().catch(() => {});
  await village.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

if (process.env.CC_SEED !== "0") {
  const m = (name: string) => village.member(name);
  await m("Marcus").ledger.pay(m("Iris").agent, HOUR, "Iris fixed Marcus's bike");
  await m("Yuki").ledger.pay(m("Marcus").agent, HOUR / 2n, "Marcus baked bread for Yuki");
  await m("Sam").ledger.pay(m("Yuki").agent, HOUR, "Yuki taught Sam piano");
  await m("Iris").ledger.pay(m("Sam").agent, HOUR / 2n, "Sam helped Iris move");
  await m("Orchard co-op").ledger.steward(m("Sam").agent, 2n * HOUR, "watershed", "Ecological", "replanting the riverbank");
  await m("Orchard co-op").ledger.steward(m("Yuki").agent, HOUR, "elder care", "Care", "caring for the orchard's elders");
  const apples = await m("Orchard co-op").ledger.publishOffer("A crate of apples", 5n * HOUR, 2n * HOUR, 3n * HOUR);
  await m("Iris").ledger.buy(apples);
  await m("Cash desk").ledger.cashIn(m("Marcus").agent, 10n * HOUR, "receipt 1");
}

ui = await startUi({ port: UI_PORT, members: () => village.members });
// Set by scripts/run.sh when this runs in a namespace: the host's gateway connects here.
if (process.env.CC_UI_SOCKET) hostGateway = await forward({ path: process.env.CC_UI_SOCKET }, { port: UI_PORT });
console.log(`\nRiverside is running. Logs: ${village.workDir}`);
for (const member of village.members) console.log(`  ${member.name.padEnd(17)} ${ui.url}?member=${encodeURIComponent(member.name)}`);
console.log("Press Ctrl-C to stop.");
