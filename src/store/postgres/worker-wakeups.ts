/**
 * When a started ProjectionWorker runs its next pass (projection-worker.ts): after `pollInterval`
 * of rest when a pass found nothing, or at once when nudged: by `retryFailed`, by a notification
 * of an event in one of its partitions (event-notices.ts), or after its listening connection was
 * lost. Nudges coalesce: any number of them while it rests wake it once; any number during a pass
 * make one more pass right after it (the event notified may have been committed after the pass
 * read its partition), never a second pass at the same time. The timer stays the fallback: it
 * finds what no notification announced (wake times falling due, writers that do not notify, a
 * connection lost).
 */
export class WorkerWakeups {
  #nudged = false;
  #wake: (() => void) | undefined;
  #lost: { readonly error: unknown } | undefined;

  /** A pass begins: whatever asked for a pass until now is served by this one. */
  passBegins(): void {
    this.#nudged = false;
  }

  /** Run a pass at once: now if resting, else right after the one running. */
  nudge(): void {
    this.#nudged = true;
    this.#wake?.();
  }

  /**
   * The listening connection died: notifications are lost until a pass listens again on a new one,
   * so a pass runs at once (it reads what was committed meanwhile), and the loss is reported as a
   * failure by the loop, once (`takeLost`).
   */
  lost(error: unknown): void {
    this.#lost ??= { error };
    this.nudge();
  }

  /** The loss not reported yet, if any; it is reported once. */
  takeLost(): { readonly error: unknown } | undefined {
    const lost = this.#lost;
    this.#lost = undefined;
    return lost;
  }

  /** Rest `ms`, unless nudged since the pass began; a nudge ends the rest early. */
  async rest(ms: number): Promise<void> {
    if (this.#nudged) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#woken(resolve), ms);
      this.#wake = () => (clearTimeout(timer), this.#woken(resolve));
    });
  }

  #woken(resolve: () => void): void {
    this.#wake = undefined;
    resolve();
  }
}
