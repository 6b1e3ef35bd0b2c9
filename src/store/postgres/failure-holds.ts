/**
 * The customers a projection worker saw fail (committed) and not recover, each with the instant
 * (of the worker's clock) from which it is retried, and the `retry_requests` of its failure row
 * when its evaluation began. Until then it is held: neither its failure row nor its due wake-up
 * is retried, as the same policies on the same stream mostly fail the same way, and a wake time
 * that stays due would make every pass busy. A new event still retries it at once, so does a
 * `retryFailed` on any worker (the row's count moves), and so does another worker (new code,
 * say), whose holds start empty.
 */
export class FailureHolds {
  readonly #failing = new Map<string, { readonly retryAt: number; readonly requests: number }>();
  /** Counts retryFailed calls on this worker: a batch that overlapped one holds none of the customers it saw fail. */
  #requests = 0;

  /** A retry was asked for on this worker (retryFailed). */
  requested(): void {
    this.#requests++;
  }

  /** Taken when a batch begins, given back to `hold` when it ends. */
  get generation(): number {
    return this.#requests;
  }

  /**
   * The customers held at `now`, with their row's count of retry requests then. One whose retry
   * is due is forgotten, as if this worker had never seen it fail: its failure row makes the
   * batch's query return it.
   */
  held(now: number): { customerId: string; requests: number }[] {
    const held: { customerId: string; requests: number }[] = [];
    for (const [customerId, { retryAt, requests }] of this.#failing) {
      if (retryAt > now) held.push({ customerId, requests });
      else this.#failing.delete(customerId);
    }
    return held;
  }

  /** These customers were evaluated (and committed): nothing of them is held. */
  recovered(customerIds: Iterable<string>): void {
    for (const customerId of customerIds) this.#failing.delete(customerId);
  }

  /**
   * Hold the customers a committed batch saw fail until `retryAt`, each at the count its failure
   * row had before the batch (a customer without a row counts 0: at worst, retried once more).
   * A retryFailed call while the batch ran (`generation` moved) may be about them: they stay
   * unheld, and the next pass tries them again.
   */
  hold(failed: readonly string[], retryAt: number, requestsBefore: ReadonlyMap<string, number>, generation: number): void {
    if (this.#requests !== generation) return;
    for (const customerId of failed) this.#failing.set(customerId, { retryAt, requests: requestsBefore.get(customerId) ?? 0 });
  }
}
