// The keystore passphrase: asked on the terminal without echo, or read as the first line of
// standard input when that is not a terminal (a service manager or a test piping it in). It is
// handed to the conductor's keystore on its stdin and never written anywhere.
import { createInterface } from "node:readline";

export async function readPassphrase(prompt: string, options: { confirm: boolean }): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const lines = createInterface({ input, terminal: false });
    for await (const line of lines) {
      lines.close();
      return checked(line);
    }
    throw new Error("no passphrase on standard input");
  }
  const first = await askHidden(prompt);
  if (options.confirm && (await askHidden("Again, to confirm: ")) !== first) throw new Error("the two passphrases differ");
  return checked(first);
}

function checked(passphrase: string): string {
  if (passphrase.length < 8) throw new Error("the passphrase must have at least 8 characters");
  return passphrase;
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const { stdin, stderr } = process;
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = "";
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          stderr.write("\n");
          resolve(typed);
          return;
        }
        if (char === "\u0003") process.exit(130); // Ctrl-C
        if (char === "\u007f") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}
