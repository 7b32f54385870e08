// The shape of `/village-session.json`: how a running village tells the page which conductors to
// reach and with which keys. JSON has no bytes, so every byte array travels as a list of numbers;
// amounts are plain integers of the smallest unit, as in the DNA properties.
import type { CellId, SigningCredentials } from "@holochain/client";

export type ByteList = number[];

export interface VillageSettingsJson {
  village_name: string;
  unit: string;
  decimals: number;
  default_floor: number;
  default_ceiling: number;
}

export interface SessionMemberJson {
  name: string;
  appPort: number;
  token: number[];
  cellId: [ByteList, ByteList];
  agent: ByteList;
  credentials: {
    capSecret: ByteList;
    keyPair: { publicKey: ByteList; privateKey: ByteList; keyType: string };
    signingKey: ByteList;
  };
}

export interface SessionFileJson {
  village: VillageSettingsJson;
  members: SessionMemberJson[];
}

/** What the page needs to act as one member, with bytes back as Uint8Array. */
export interface SessionMember {
  name: string;
  appPort: number;
  token: number[];
  cellId: CellId;
  agent: Uint8Array;
  credentials: SigningCredentials;
}

export function memberFromJson(json: SessionMemberJson): SessionMember {
  const bytes = (list: ByteList) => Uint8Array.from(list);
  const { capSecret, keyPair, signingKey } = json.credentials;
  return {
    name: json.name,
    appPort: json.appPort,
    token: json.token,
    cellId: [bytes(json.cellId[0]), bytes(json.cellId[1])],
    agent: bytes(json.agent),
    credentials: {
      capSecret: bytes(capSecret),
      keyPair: { publicKey: bytes(keyPair.publicKey), privateKey: bytes(keyPair.privateKey), keyType: keyPair.keyType },
      signingKey: bytes(signingKey),
    },
  };
}

export function memberToJson(member: Omit<SessionMember, "token"> & { token: ArrayLike<number> }): SessionMemberJson {
  const list = (bytes: ArrayLike<number>) => Array.from(bytes);
  const { capSecret, keyPair, signingKey } = member.credentials;
  return {
    name: member.name,
    appPort: member.appPort,
    token: list(member.token),
    cellId: [list(member.cellId[0]), list(member.cellId[1])],
    agent: list(member.agent),
    credentials: {
      capSecret: list(capSecret),
      keyPair: { publicKey: list(keyPair.publicKey), privateKey: list(keyPair.privateKey), keyType: keyPair.keyType },
      signingKey: list(signingKey),
    },
  };
}
