// Comparing keys and hashes, which travel as byte arrays.
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Unpadded base64url, in a browser as in Node. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A key or hash as text, as Holochain writes it (`u` and unpadded base64url): for keys in forms and lists. */
export function hashText(hash: Uint8Array): string {
  return `u${toBase64Url(hash)}`;
}
