// The page talks to its member's conductor through the page's own origin: a websocket to
// `/conductor/<app port>` is passed through to that app interface on this namespace's loopback.
// So the page works wherever the page itself is reachable (through the host gateway of `npm start`
// as root, or a simulated machine's socket in the tests), and only app ports the session file
// names are reachable: never an admin port.
import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { pipeBoth } from "../scripts/gateway/forward.js";

export const CONDUCTOR_PATH = /^\/conductor\/(\d{1,5})(?:[/?]|$)/;

/** Handles an HTTP upgrade when it targets an allowed app port; returns false to leave it to others. */
export function proxyConductorUpgrade(request: IncomingMessage, client: Socket, head: Buffer, allowedPorts: () => Set<number>): boolean {
  const match = CONDUCTOR_PATH.exec(request.url ?? "");
  if (!match) return false;
  const port = Number(match[1]);
  if (!allowedPorts().has(port)) {
    client.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
    return true;
  }
  const conductor = connect({ port, host: "127.0.0.1" });
  // The upgrade request goes first, re-addressed to the interface's root; then the bytes both ways.
  const headers: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) headers.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  conductor.write(`GET / HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
  if (head.length > 0) conductor.write(head);
  pipeBoth(client, conductor);
  return true;
}
