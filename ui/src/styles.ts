// Styles several elements share. Colours come from the custom properties set in index.html,
// which inherit through shadow roots.
import { css } from "lit";

export const cardStyles = css`
  :host {
    display: block;
  }
  .card {
    background: var(--cc-surface);
    border-radius: var(--cc-radius);
    box-shadow: var(--cc-shadow);
    padding: 20px;
  }
  h2,
  h3 {
    font-size: 0.8rem;
    font-weight: 600;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--cc-muted);
    margin: 0 0 12px;
  }
  h3 {
    margin-top: 16px;
  }
  .stale {
    color: var(--cc-muted);
    font-size: 0.8rem;
    margin: 8px 0 0;
  }
  .in {
    color: var(--cc-credit);
  }
  .out {
    color: var(--cc-debit);
  }
`;

/** A plain list of people or payments, one row each: avatar, text, figure. */
export const listStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: flex;
    align-items: center;
    gap: 12px;
  }
`;

/** A round badge with a member's initial, as payment apps show people. */
export const avatarStyles = css`
  .avatar {
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    font-weight: 600;
    color: var(--cc-accent-strong);
    background: var(--cc-accent-soft);
  }
`;

export function initial(name: string): string {
  return name.trim().charAt(0).toUpperCase() || "?";
}
