// Comparing keys and hashes, which travel as byte arrays.
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A key or hash as text, as Holochain writes it (`u` and unpadded base64url): for keys in forms and lists. */
export function hashText(hash: Uint8Array): string {
  let binary = "";
  for (const byte of hash) binary += String.fromCharCode(byte);
  return `u${btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}
