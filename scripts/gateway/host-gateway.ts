// `npm start` as root: the village and its UI run in a loopback-only namespace, which the host's
// browser cannot reach. This process stays in the host's namespace, listens on the host's
// 127.0.0.1:<port> (loopback only) and passes each connection to the UI's Unix socket, which
// scripts/start.ts opens inside the namespace. Usage: host-gateway.ts <port> <socket path>
import { forward } from "./forward.js";

const [portText, socketPath] = process.argv.slice(2);
const port = Number(portText);
if (!Number.isInteger(port) || port <= 0 || port > 65_535 || !socketPath) {
  console.error("usage: host-gateway.ts <port> <socket path>");
  process.exit(2);
}
try {
  await forward({ port }, { path: socketPath });
} catch (error) {
  console.error(`cannot listen on 127.0.0.1:${port}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
