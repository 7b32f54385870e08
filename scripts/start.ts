// `npm start`: the embedded default village (DNA properties in dna/workdir/dna.yaml): a local
// bootstrap/relay server, four members and the commons-treasury agent, each on its own conductor,
// the seed ledger's four payments, and the Lit UI served by Vite. Runs until Ctrl-C.
import { join } from "node:path";
import { startVillage } from "./village/village.js";
import { startUi, writeSessionFile } from "../ui/server.js";

const HOUR = 100_000n;
const UI_PORT = Number(process.env.CC_UI_PORT ?? 5173);

console.log("Starting the village of Riverside (this takes a minute or two: each conductor compiles the app)...");
const village = await startVillage({
  members: [{ name: "Iris" }, { name: "Marcus" }, { name: "Yuki" }, { name: "Sam" }, { name: "Commons treasury" }],
  workDir: process.env.CC_WORK_DIR,
});
let ui: Awaited<ReturnType<typeof startUi>> | undefined;
const stop = async () => {
  console.log("\nStopping the village...");
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
}

const sessionFile = join(village.workDir, "village-session.json");
writeSessionFile(sessionFile, village);
ui = await startUi({ sessionFile, port: UI_PORT });
console.log(`\nRiverside is running. Logs: ${village.workDir}`);
for (const member of village.members) console.log(`  ${member.name.padEnd(17)} ${ui.url}?member=${encodeURIComponent(member.name)}`);
console.log("Press Ctrl-C to stop.");
