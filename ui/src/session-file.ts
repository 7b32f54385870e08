// The shape of `/village-session.json`: how a running village tells the page which conductors to
// reach and with which keys. JSON has no bytes, so every byte array travels as a list of numbers;
// amounts are plain integers of the smallest unit, as in the DNA properties.

export type ByteList = number[];

/** For people reading the file; the page reads the village's parameters from the conductor. */
export interface VillageSettingsJson {
  village_name: string;
  unit: string;
  decimals: number;
}

/** One member's session; `B` is how bytes are held: number lists in JSON, Uint8Array in the page. */
export interface MemberSessionOf<B> {
  name: string;
  appPort: number;
  token: number[];
  cellId: [B, B];
  agent: B;
  credentials: {
    capSecret: B;
    keyPair: { publicKey: B; privateKey: B; keyType: string };
    signingKey: B;
  };
}

export type SessionMemberJson = MemberSessionOf<ByteList>;

/**
 * How the machine's own conductor is doing, as the node that runs it last said: absent or
 * "running" when all is well. The page shows `message` otherwise.
 */
export interface NodeStatusJson {
  state: "running" | "restarting" | "stopped";
  /** ISO time of the change. */
  since: string;
  message: string;
}

export interface SessionFileJson {
  village: VillageSettingsJson;
  members: SessionMemberJson[];
  node?: NodeStatusJson;
}

/** What the page needs to act as one member, with bytes back as Uint8Array. */
export type SessionMember = MemberSessionOf<Uint8Array>;

/** The same session with every byte array converted by `convert`. */
function mapBytes<A, B>(member: MemberSessionOf<A>, convert: (bytes: A) => B): MemberSessionOf<B> {
  const { capSecret, keyPair, signingKey } = member.credentials;
  return {
    name: member.name,
    appPort: member.appPort,
    token: Array.from(member.token),
    cellId: [convert(member.cellId[0]), convert(member.cellId[1])],
    agent: convert(member.agent),
    credentials: {
      capSecret: convert(capSecret),
      keyPair: { publicKey: convert(keyPair.publicKey), privateKey: convert(keyPair.privateKey), keyType: keyPair.keyType },
      signingKey: convert(signingKey),
    },
  };
}

export function memberFromJson(json: SessionMemberJson): SessionMember {
  return mapBytes(json, (list) => Uint8Array.from(list));
}

export function memberToJson(member: SessionMember): SessionMemberJson {
  return mapBytes(member, (bytes) => Array.from(bytes));
}
