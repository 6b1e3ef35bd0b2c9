/** What a resting worker does every `every` ms of its rest (projection-worker.ts: its lease check). */
export interface RestCheck {
  readonly every: number;
  /** True ends the rest: a pass runs at once. */
  run(): Promise<boolean>;
}

/**
 * When a started ProjectionWorker runs its next pass (projection-worker.ts): after `pollInterval`
 * of rest when a pass found nothing, or at once when nudged: by `retryFailed`, by a notification
 * of an event in one of its partitions (event-notices.ts), or after its listening connection was
 * lost. Nudges coalesce: any number of them while it rests wake it once; any number during a pass
 * make one more pass right after it (the event notified may have been committed after the pass
 * read its partition), never a second pass at the same time. The timer stays the fallback: it
 * finds what no notification announced (wake times falling due, writers that do not notify, a
 * connection lost). A rest may also end on a check run during it (`RestCheck`: the worker's
 * partitions, which must not wait a long `pollInterval` to be taken over).
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

  /**
   * Rest `ms`, unless nudged since the pass began; a nudge ends the rest early. With `check`, the
   * rest is cut in steps of `check.every` ms, and `check.run()` is called between them (not at the
   * end: a pass follows then); the rest ends when it resolves true.
   */
  async rest(ms: number, check?: RestCheck): Promise<void> {
    for (let left = ms; ; ) {
      const step = check === undefined ? left : Math.min(left, check.every);
      if (!(await this.#sleep(step))) return;
      left -= step;
      if (left <= 0 || check === undefined || (await check.run())) return;
    }
  }

  /** Sleep `ms`: true when it elapsed, false when nudged (before or during). */
  async #sleep(ms: number): Promise<boolean> {
    if (this.#nudged) return false;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => this.#woken(() => resolve(true)), ms);
      this.#wake = () => (clearTimeout(timer), this.#woken(() => resolve(false)));
    });
  }

  #woken(resolve: () => void): void {
    this.#wake = undefined;
    resolve();
  }
}
