// Opening the page's session: the village's session file says where each member's conductor
// listens and with which keys to sign; the page connects as the member named in `?member=`.
import { AppWebsocket, encodeHashToBase64, setSigningCredentials, type SigningCredentials } from "@holochain/client";
import { LedgerClient, SessionMemoryInStorage } from "../../client/src/index.js";
import type { LedgerSession } from "./context.js";
import { memberFromJson, type SessionFileJson } from "./session-file.js";

export const SESSION_FILE_URL = "/village-session.json";

export interface OpenedSession {
  session: LedgerSession;
  /** Everyone the session file can act as, for the member switcher. */
  memberNames: string[];
}

export async function fetchSessionFile(): Promise<SessionFileJson> {
  const response = await fetch(SESSION_FILE_URL, { cache: "no-store" });
  if (!response.ok) throw new Error(`${SESSION_FILE_URL}: ${response.status} ${(await response.text()).trim()}`);
  return (await response.json()) as SessionFileJson;
}

/** Connects as `memberName` (the file's first member when null) and reads what every view needs. */
export async function openSession(file: SessionFileJson, memberName: string | null): Promise<OpenedSession> {
  const memberNames = file.members.map((m) => m.name);
  const chosen = memberName === null ? file.members[0] : file.members.find((m) => m.name === memberName);
  if (!chosen) {
    throw new Error(memberName === null ? "the session file lists no members" : `no member called "${memberName}" in this village`);
  }
  const member = memberFromJson(chosen);
  // Through the page's own server (ui/conductor-proxy.ts): the conductor may sit in a namespace
  // the browser cannot reach directly.
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = new URL(`${scheme}://${location.host}/conductor/${member.appPort}`);
  const appWebsocket = await AppWebsocket.connect({ url, token: member.token });
  // Zome calls from a browser must be signed by a key the conductor granted; the harness granted this one.
  setSigningCredentials(member.cellId, member.credentials as SigningCredentials); // keyType read back as text
  // The payment the member is in outlives the conductor in the page's storage (SessionMemory).
  const sessions = new SessionMemoryInStorage(localStorage, `commons-credit-session-${encodeHashToBase64(member.agent)}`);
  const ledger = new LedgerClient(appWebsocket, "ledger", "ledger", sessions);
  const [village, members] = await Promise.all([ledger.village(), ledger.members()]);
  return { session: { ledger, village, members, me: { agent: member.agent, name: member.name } }, memberNames };
}
