// Opening the page's session: the page asks its node whom it may act as and reads what every view
// needs. It holds no key, token or conductor address: its node makes every call (`node-client.ts`).
import { sameBytes } from "../../client/src/page.js";
import type { LedgerSession } from "./context.js";
import { NodeClient } from "./node-client.js";

export interface OpenedSession {
  session: LedgerSession;
  /** Everyone the page can act as, for the member switcher. */
  memberNames: string[];
  /** Whether this node pairs devices (a member's own node). */
  pairing: boolean;
}

/** Connects as `memberName` (the node's first member when null) and reads what every view needs. */
export async function openSession(memberName: string | null): Promise<OpenedSession> {
  const node = new NodeClient({ member: memberName });
  const { memberNames, pairing } = await node.session();
  if (memberName !== null && !memberNames.includes(memberName)) throw new Error(`no member called "${memberName}" in this village`);
  const { ledger } = node;
  const [village, members, agent] = await Promise.all([ledger.village(), ledger.members(), ledger.whoami()]);
  const name = memberName ?? memberNames[0] ?? "";
  const me = members.find((m) => sameBytes(m.agent, agent)) ?? { agent, name };
  return { session: { node, ledger, village, members, me }, memberNames, pairing };
}
