// <cc-devices>: the devices paired with this member's node (on a member's own node only). "Pair a
// phone" shows a one-time link as a QR code for the phone's camera; each device can be revoked,
// and a revoked device can do nothing from its next request on.
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { consume } from "@lit/context";
import { unsafeSVG } from "lit/directives/unsafe-svg.js";
import { renderSVG } from "uqr";
import { ledgerSessionContext, type LedgerSession } from "../context.js";
import type { PairedDevice, PairingInvite } from "../node-wire.js";
import { cardStyles, formStyles, listStyles } from "../styles.js";

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

@customElement("cc-devices")
export class Devices extends LitElement {
  static override styles = [
    cardStyles,
    listStyles,
    formStyles,
    css`
      li {
        justify-content: space-between;
        padding: 8px 0;
        border-bottom: 1px solid var(--cc-border);
      }
      .device {
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .seen {
        display: block;
        font-size: 0.8rem;
        color: var(--cc-muted);
      }
      li button {
        height: 36px;
        padding: 0 14px;
        font-size: 0.9rem;
        color: var(--cc-debit);
        background: var(--cc-debit-soft);
      }
      .pair {
        width: 100%;
        margin-top: 14px;
      }
      .qr {
        width: min(240px, 100%);
        margin: 14px auto 0;
      }
      .qr svg {
        display: block;
        width: 100%;
        height: auto;
      }
      .hint {
        font-size: 0.85rem;
        color: var(--cc-muted);
        overflow-wrap: anywhere;
      }
    `,
  ];

  @consume({ context: ledgerSessionContext, subscribe: true })
  @state()
  private session?: LedgerSession;

  @state() private devices: PairedDevice[] = [];
  @state() private invite?: PairingInvite;
  @state() private problem?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (!this.session) return;
    try {
      this.devices = await this.session.node.devices();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async pair(): Promise<void> {
    if (!this.session) return;
    this.problem = undefined;
    try {
      this.invite = await this.session.node.newPairing();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async revoke(device: PairedDevice): Promise<void> {
    if (!this.session) return;
    const what = device.current ? "this device (this page stops working here)" : device.name;
    if (!confirm(`Revoke ${what}? It will have to be paired again.`)) return;
    await this.session.node.revokeDevice(device.id).catch(() => false);
    await this.load();
  }

  protected override render() {
    return html`<section class="card" aria-label="Devices" data-testid="devices">
      <h2>Devices</h2>
      <ul>
        ${this.devices.map(
          (device) => html`<li data-testid="device">
            <span class="device">${device.name}${device.current ? " (this one)" : ""}
              <span class="seen">Paired ${when(device.paired_at)} · last seen ${when(device.last_seen)}</span></span>
            <button type="button" data-testid="revoke-device" @click=${() => this.revoke(device)}>Revoke</button>
          </li>`,
        )}
      </ul>
      ${
        this.invite
          ? html`<div class="qr" data-testid="pairing-qr">${unsafeSVG(renderSVG(this.invite.url))}</div>
            <p class="hint">Scan it with the phone's camera within ten minutes (once), on the village network:
              <span data-testid="pairing-link">${this.invite.url}</span></p>`
          : ""
      }
      ${this.problem ? html`<p class="field-error" role="alert">${this.problem}</p>` : ""}
      <button type="button" class="pair" data-testid="pair-device" @click=${() => this.pair()}>Pair a phone</button>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cc-devices": Devices;
  }
}
