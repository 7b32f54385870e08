// A machine's side of the village box's invitation desk (`invitation-desk.ts`): its answers, or
// its refusal in the desk's own words.
import { writeFileSync } from "node:fs";

const unreachable = (desk: string, error: unknown) =>
  new Error(
    `cannot reach the village box at ${desk}: is this machine on the village network? (${error instanceof Error ? (error.cause ?? error.message) : error})`,
  );

export async function askDesk<T>(desk: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(
      `http://${desk}${path}`,
      body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
    );
  } catch (error) {
    throw unreachable(desk, error);
  }
  const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(`the village box refused: ${answer.error ?? response.status}`);
  return answer;
}

/** Writes the box's packed app to `path`: a member's machine runs the village's exact build. */
export async function fetchVillageApp(desk: string, path: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`http://${desk}/happ`);
  } catch (error) {
    throw unreachable(desk, error);
  }
  if (!response.ok)
    throw new Error(
      `the village box at ${desk} did not hand over its app (${response.status}): is it running the same version of commons-credit as this machine?`,
    );
  writeFileSync(path, new Uint8Array(await response.arrayBuffer()), { mode: 0o600 });
}
