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

/** Forms: labelled fields, a full-width action button, and the outcome line under it. */
export const formStyles = css`
  form {
    display: grid;
    gap: 14px;
  }
  label {
    display: grid;
    gap: 6px;
    font-size: 0.85rem;
    font-weight: 600;
    color: var(--cc-muted);
  }
  select,
  input {
    font: inherit;
    font-size: 1rem;
    font-weight: 500;
    color: var(--cc-text);
    height: 48px;
    padding: 0 14px;
    border: 1px solid var(--cc-border);
    border-radius: 12px;
    background: var(--cc-surface);
  }
  select:focus,
  input:focus {
    outline: 2px solid var(--cc-accent);
    outline-offset: 1px;
  }
  input[aria-invalid="true"] {
    border-color: var(--cc-debit);
  }
  .amount-field {
    position: relative;
  }
  .amount-field input {
    width: 100%;
    box-sizing: border-box;
    font-size: 1.4rem;
    font-weight: 600;
    padding-right: 48px;
  }
  .amount-field .unit {
    position: absolute;
    right: 16px;
    top: 50%;
    transform: translateY(-50%);
    color: var(--cc-muted);
    font-weight: 600;
  }
  .field-error {
    margin: 0;
    font-size: 0.85rem;
    font-weight: 500;
    color: var(--cc-debit);
  }
  button {
    font: inherit;
    font-size: 1.05rem;
    font-weight: 600;
    height: 52px;
    border: none;
    border-radius: 14px;
    color: #fff;
    background: var(--cc-accent);
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .outcome {
    margin: 0;
    padding: 12px 14px;
    border-radius: 12px;
    font-weight: 500;
  }
  .outcome.paid {
    color: var(--cc-credit);
    background: var(--cc-credit-soft);
  }
  .outcome.progress {
    color: var(--cc-accent-strong);
    background: var(--cc-accent-soft);
  }
  .outcome.refused {
    color: var(--cc-debit);
    background: var(--cc-debit-soft);
  }
`;

export function initial(name: string): string {
  return name.trim().charAt(0).toUpperCase() || "?";
}
