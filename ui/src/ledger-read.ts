// One view's read of the ledger, repeated on demand (after a payment, on the refresh tick).
import type { ReactiveControllerHost } from "lit";
import { toLedgerError, type LedgerError } from "../../client/src/page.js";

export class LedgerRead<T> {
  value: T | undefined = undefined;
  /** The last read's failure; the last good value stays shown meanwhile. */
  failure: LedgerError | undefined = undefined;
  private reading = false;
  private readAgain = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly read: () => Promise<T>,
  ) {}

  /** At most one call in flight and one queued, so a slow conductor never piles up reads. */
  async refresh(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        try {
          this.value = await this.read();
          this.failure = undefined;
        } catch (error) {
          this.failure = toLedgerError(error);
        }
        this.host.requestUpdate();
      } while (this.readAgain);
    } finally {
      this.reading = false;
    }
  }
}
