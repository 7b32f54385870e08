// Running a village on real machines. One command, five uses:
//   box     on the village box: founds the village the first time, then runs it (bootstrap/relay
//           server, witnesses, steward, treasury, cash desk, invitation desk)
//   invite  on the village box, while it runs: prints an invitation code for a new member
//   join    on a member's machine: joins with an invitation code, then runs their node and page
//   member  on a member's machine: runs their node and page again (after a restart)
//   station on a second always-on machine: a witness station, so the far side of a split LAN
//           can still pay (its code is given to the box when the village is founded)
// `npm run village -- <use> --help` says more. Everything stays up until Ctrl-C.
import { parseArgs } from "node:util";
import { encodeHashToBase64 } from "@holochain/client";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderSVG, renderUnicodeCompact } from "uqr";
import { homedir } from "node:os";
import { BOX_BOOTSTRAP_PORT, BOX_DESK_PORT, controlSocketOf, startVillageBox } from "./village/box.js";
import { requestInvitation } from "./village/invitation-desk.js";
import { checkInvitation, DEFAULT_UI_PORT, joinByInvitation, startMemberNode, type MemberNode } from "./village/member-node.js";
import { readPassphrase } from "./village/passphrase.js";
import { SEED_PROPERTIES } from "./village/properties.js";
import { VILLAGE_HAPP } from "./village/village.js";
import { decodeStationCode, startWitnessStation } from "./village/station.js";

const USAGE = `usage:
  npm run village -- box --listen <LAN address> [--data DIR] [--name NAME] [--unit UNIT] [--witnesses N] [--station CODE]...
  npm run village -- station --box <box's LAN address> [--data DIR]
  npm run village -- invite "<member's name>" [--data DIR]
  npm run village -- join <invitation code> [--data DIR] [--ui-port PORT] [--lan <this machine's LAN address>]
  npm run village -- member [--data DIR] [--ui-port PORT] [--lan <this machine's LAN address>]
The passphrase that locks the keys is asked on the terminal (or read from standard input).`;

const [use, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: {
    data: { type: "string" },
    listen: { type: "string" },
    name: { type: "string" },
    unit: { type: "string" },
    witnesses: { type: "string" },
    station: { type: "string", multiple: true },
    box: { type: "string" },
    "ui-port": { type: "string" },
    lan: { type: "string" },
    help: { type: "boolean" },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function stopOnSignal(stop: () => Promise<void>): void {
  const handler = async () => {
    console.log("\nStopping...");
    await stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

const uiPort = values["ui-port"] === undefined ? DEFAULT_UI_PORT : Number(values["ui-port"]);
if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65_535) fail("--ui-port must be a port number");

function printMemberNode(node: MemberNode): void {
  console.log(`\n${node.name} is a member of ${node.villageName}.`);
  console.log(`Open this link in a browser on this machine, once, to pair it (valid ten minutes): ${node.pairingUrl}`);
  console.log(`Once paired, the browser opens ${node.ui.url} directly.`);
  if (node.ui.lanUrl) console.log(`On the village LAN the page is at ${node.ui.lanUrl}: pair a phone from a paired page ("Pair a phone").`);
  console.log(`MEMBER_READY ${JSON.stringify({ name: node.name, ui: node.ui.url, lan: node.ui.lanUrl, pair: node.pairingUrl, socket: node.uiSocket })}`);
  console.log("Press Ctrl-C to stop; your data stays, and `npm run village -- member` starts it again.");
}

try {
  if (values.help || !use || use === "help" || use === "--help") {
    console.log(USAGE);
  } else if (use === "box") {
    const host = values.listen ?? fail(`give the box's LAN address with --listen (e.g. --listen 192.168.1.10)\n${USAGE}`);
    const dataDir = resolve(values.data ?? `${homedir()}/.commons-credit/box`);
    const witnesses = Number(values.witnesses ?? 3);
    const stations = (values.station ?? []).map(decodeStationCode);
    const passphrase = await readPassphrase("Passphrase for the village box's keys: ", { confirm: false });
    const found = { ...SEED_PROPERTIES, village_name: values.name ?? SEED_PROPERTIES.village_name, unit: values.unit ?? SEED_PROPERTIES.unit };
    console.log(`Starting the village box in ${dataDir} (the first start compiles the app: a minute or two)...`);
    const box = await startVillageBox({
      dataDir,
      host,
      passphrase,
      found,
      witnesses,
      stations,
      happPath: VILLAGE_HAPP,
      bootstrapPort: BOX_BOOTSTRAP_PORT,
      deskPort: BOX_DESK_PORT,
      say: (line) => console.log(line),
    });
    stopOnSignal(box.stop);
    console.log(`\nThe village box of ${box.villageName} is running.`);
    console.log(`  bootstrap and relay: ${box.bootstrapUrl}`);
    console.log(`  invitation desk:     http://${box.deskAddress}`);
    console.log(`  village (DNA):       ${box.dnaHash}`);
    console.log(`Invite a member (on this machine): npm run village -- invite "Their name" --data ${dataDir}`);
    console.log(`BOX_READY ${JSON.stringify({ bootstrap: box.bootstrapUrl, desk: box.deskAddress, control: box.controlSocket, dna: box.dnaHash })}`);
  } else if (use === "invite") {
    const name = positionals[0] ?? fail(`give the new member's name\n${USAGE}`);
    const dataDir = resolve(values.data ?? `${homedir()}/.commons-credit/box`);
    const invitation = await requestInvitation(controlSocketOf(dataDir), name);
    // The same code as a QR, on the terminal and as a printable SVG (the secret is in both: hand it over, then delete it).
    const svgPath = join(dataDir, `invitation-${invitation.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.svg`);
    writeFileSync(svgPath, renderSVG(invitation.code), { mode: 0o600 });
    console.log(`Invitation for ${invitation.name} (valid until ${invitation.expires_at}, once):\n\n  ${invitation.code}\n`);
    console.log(renderUnicodeCompact(invitation.code, { border: 2 }));
    console.log(`As a printable QR: ${svgPath}`);
    console.log(`On their machine: npm run village -- join ${invitation.code}`);
  } else if (use === "join") {
    const code = positionals[0] ?? fail(`give the invitation code\n${USAGE}`);
    // A code mistyped or cut short, a box out of reach or running another village is said before
    // the member chooses a passphrase for nothing.
    const { invitation, village } = await checkInvitation(code);
    console.log(
      `An invitation to ${village.village_name}${invitation.dnaHash ? ` (village ${invitation.dnaHash})` : ""}, from the village box at ${invitation.desk}.`,
    );
    const dataDir = resolve(values.data ?? `${homedir()}/.commons-credit/member`);
    const passphrase = await readPassphrase("Choose a passphrase to lock your keys: ", { confirm: true });
    const node = await joinByInvitation(code, { dataDir, passphrase, uiPort, lanHost: values.lan, say: (line) => console.log(line) });
    stopOnSignal(node.stop);
    printMemberNode(node);
  } else if (use === "member") {
    const dataDir = resolve(values.data ?? `${homedir()}/.commons-credit/member`);
    const passphrase = await readPassphrase("Passphrase of your keys: ", { confirm: false });
    const node = await startMemberNode({ dataDir, passphrase, uiPort, lanHost: values.lan, say: (line) => console.log(line) });
    stopOnSignal(node.stop);
    printMemberNode(node);
  } else if (use === "station") {
    const dataDir = resolve(values.data ?? `${homedir()}/.commons-credit/station`);
    const passphrase = await readPassphrase("Passphrase for the station's keys: ", { confirm: false });
    console.log(`Starting the witness station in ${dataDir} (the first start compiles the village's app: a minute or two)...`);
    const station = await startWitnessStation({
      dataDir,
      box: values.box,
      bootstrapPort: BOX_BOOTSTRAP_PORT,
      deskPort: BOX_DESK_PORT,
      passphrase,
      onCode: (code) => {
        console.log(`\nThis station's code (give it to the steward before the village is founded):\n\n  ${code}\n`);
        console.log(`On the village box, found the village with it: npm run village -- box --listen <address> --station ${code}`);
        console.log(`STATION_CODE ${code}`);
        console.log("Waiting for the village box...");
      },
      onStillWaiting: (desk) =>
        console.log(`Still waiting: the village box's desk at ${desk} does not answer (is the box running, founded with this station's code?)`),
    });
    stopOnSignal(station.stop);
    console.log(`\nThe witness station of ${station.villageName} is running (village ${station.dnaHash}).`);
    console.log(`STATION_READY ${JSON.stringify({ dna: station.dnaHash, witness: encodeHashToBase64(station.agent) })}`);
  } else {
    fail(`unknown use "${use}"\n${USAGE}`);
  }
} catch (error) {
  fail(`commons-credit: ${error instanceof Error ? error.message : String(error)}`);
}
