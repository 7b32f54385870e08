// Holochain 0.7.1's own error texts that the app must recognise: the one place the product reads
// meaning out of message text (every refusal of ours carries a code, `[cc:<code>]`). Each entry
// says what the conductor means by it and where it says it, so it can go when Holochain reports it
// as data. Matched against the whole error text, wrapping included.

const MESSAGES = {
  /**
   * A countersigned commit whose dependencies (the other signers' latest actions) have not reached
   * this conductor yet: sys validation's `DepMissingFromDht`. The commit succeeds once they arrive.
   */
  dependencyMissing: /DepMissingFromDht/,
  /**
   * A write of a session's entry after the session ended on this chain (its window closed, or it
   * was abandoned): `SourceChainError::CountersigningWriteWithoutSession`. It can never be written.
   */
  noActiveSession: /countersigning session when there is no active session|CountersigningWriteWithoutSession/,
  /**
   * A remote call to an agent whose network address this conductor has not learned yet
   * (`holochain_p2p`'s `call_remote`: no URL in the peer store). It fails at once; the address
   * arrives within seconds of a restart or a healed split, from the bootstrap server or a peer.
   */
  peerAddressUnknown: /no url for peer/,
  /** Another session holds this chain until it completes or its window closes: `SourceChainError::ChainLocked`. */
  chainLocked: /ChainLocked|chain is locked/i,
  /**
   * Sys validation's refusal of the record that releases a lock Holochain left behind as a
   * session finished (the zome's `orphaned_lock`): empty signatures, or the other signers' states
   * naming this chain's head, whichever op it validates first (`ValidationOutcome`'s display, then
   * its debug form; both seen). The chain is free again.
   */
  lockReleaseRefused: /PreflightResponse signature was not valid|previous action's author does not match|PrevActionError/,
} as const;

export type HolochainMessage = keyof typeof MESSAGES;

/** Whether Holochain's error `text` says `message`. */
export function holochainSays(message: HolochainMessage, text: string): boolean {
  return MESSAGES[message].test(text);
}
