// Byte-for-byte forwarding of connections from one listening address to another. A Unix socket is
// a file, visible from every network namespace on the machine, so a pair of forwarders carries a
// loopback address of one namespace into another: `npm start` as root serves the UI inside its
// loopback-only namespace and reaches it from the host's 127.0.0.1 this way, and the tests reach
// each simulated machine's UI the same way, without giving any namespace a route to another.
import { createServer, connect, type Server, type Socket } from "node:net";
import { rmSync } from "node:fs";

/**
 * Where connections go or come from: a TCP port on this namespace's loopback (or, to listen on, a
 * LAN address the member asked to serve on), or a Unix socket path.
 */
export type Endpoint = { port: number; host?: string } | { path: string };

export interface Forwarder {
  /** The bound TCP port when listening on TCP (0 asked for any free port). */
  port?: number;
  close(): Promise<void>;
}

/** Pipes two connections into each other; when either ends or fails, both are closed. */
export function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on("error", end);
  b.on("error", end);
  a.on("close", end);
  b.on("close", end);
}

/** Accepts connections on `from` and pipes each to a fresh connection to `to`. */
export async function forward(from: Endpoint, to: Endpoint): Promise<Forwarder> {
  const target = "path" in to ? { path: to.path } : { port: to.port, host: "127.0.0.1" };
  const open = new Set<Socket>();
  const server: Server = createServer((incoming) => {
    const outgoing = connect(target);
    for (const socket of [incoming, outgoing]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
    }
    pipeBoth(incoming, outgoing);
  });
  if ("path" in from) rmSync(from.path, { force: true }); // a socket file left by a killed run
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if ("path" in from) server.listen(from.path, resolve);
    else server.listen(from.port, from.host ?? "127.0.0.1", resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : undefined,
    // Open connections end with the forwarder: a server closes only once they have.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
