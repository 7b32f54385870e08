// The payment session a member's app is in, kept where it outlives the conductor: Holochain 0.7.1
// can leave a restarted conductor's chain locked by a session the chain never wrote, and only that
// session's request releases the lock (the zome's `release_unwritten_session`). The app remembers
// the session from the moment its chain is locked until the session's outcome is known.
import { decode, encode } from "@msgpack/msgpack";

/** Where the session is kept: in the process (the default), a file beside the node, or the page's storage. */
export interface SessionMemory {
  /** The session's bytes, or nothing once its outcome is known. */
  keep(bytes: Uint8Array | undefined): void;
  recall(): Uint8Array | undefined;
}

export class SessionMemoryInProcess implements SessionMemory {
  private bytes: Uint8Array | undefined;
  keep(bytes: Uint8Array | undefined): void {
    this.bytes = bytes;
  }
  recall(): Uint8Array | undefined {
    return this.bytes;
  }
}

/** A page's memory: the browser's local storage, under one key per member. */
export class SessionMemoryInStorage implements SessionMemory {
  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem">,
    private readonly key: string,
  ) {}
  keep(bytes: Uint8Array | undefined): void {
    if (bytes) this.storage.setItem(this.key, btoa(String.fromCharCode(...bytes)));
    else this.storage.removeItem(this.key);
  }
  recall(): Uint8Array | undefined {
    const text = this.storage.getItem(this.key);
    return text === null ? undefined : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }
}

/** What is kept of a session: its payment and request, as the conductor gave them. */
export interface KeptSession {
  payment: unknown;
  request: { app_entry_hash: Uint8Array };
}

export const packSession = (session: KeptSession): Uint8Array => encode(session, { useBigInt64: true });
export const unpackSession = (bytes: Uint8Array): KeptSession => decode(bytes, { useBigInt64: true }) as KeptSession;
