// The options of a "To" field: the members one can pay, by name.
import { html } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { hashText, type Member } from "../../client/src/page.js";

/** Keyed by agent, so a member joining never shifts the selection onto someone else. */
export function payeeOptions(payees: Member[]) {
  return repeat(
    payees.map((m) => [hashText(m.agent), m.name] as const),
    ([key]) => key,
    ([key, name]) => html`<option value=${key}>${name}</option>`,
  );
}
