import type { EventStore, StoredEvent } from '../event-store.js';
import { continueEvaluation, evaluateFromStore, type CustomerView, type Evaluated, type Evaluation, type EvaluationSetup } from './customer-view.js';

/**
 * A projection worker's evaluated customers, so a customer touched again costs the events appended
 * since, not its whole stream. Least recently used customers are evicted beyond `limits`: so many
 * customers, and so many events folded by all of them together (what the memory is proportional
 * to); a customer with more events than that alone is not kept. A limit of 0 keeps nothing: every
 * evaluation reads the whole stream.
 *
 * The view is the one `evaluateCustomer` gives from scratch, byte for byte: a customer's view is a
 * function of its stream and the clock, and the engine folds late and backdated events to the same
 * findings as the whole stream. Whenever continuing could differ, the customer is evaluated from
 * scratch instead (and that evaluation kept):
 * - it is not cached (never seen, or evicted);
 * - `now` is earlier than the cached evaluation's (the engine's clock never moves back);
 * - an upcaster was registered since the evaluation (`generation` moved): the events it folded may
 *   read differently now;
 * - the stream no longer starts with what was folded: the event at the cached version is missing
 *   or has another id (streams are append-only, but a store is not trusted to be), or the versions
 *   read after it are not consecutive;
 * - anything throws while continuing (a read, a policy, a lifecycle rule): the entry is dropped
 *   and the evaluation from scratch fails, or not, exactly as it always has.
 *
 * An entry may be ahead of what was committed (the batch that evaluated it rolled back, or lost
 * its partition): that is harmless, as what it folded is in the store and its view at a later
 * clock is the one a fresh evaluation gives.
 */
/** The most a cache holds: customers, and events folded by the customers held (together). */
export interface CacheLimits {
  readonly customers: number;
  readonly events: number;
}

export class EvaluationCache {
  readonly #limits: CacheLimits;
  readonly #store: EventStore;
  readonly #setup: EvaluationSetup;
  /** What the store's events read as: an entry from another generation is not continued. */
  readonly #generation: () => number;
  /** Map order is use order: the first entry is the least recently used. */
  readonly #entries = new Map<string, { readonly evaluation: Evaluation; readonly generation: number }>();
  /** Events folded by the entries' engines, together. */
  #events = 0;

  /** `generation`: changes whenever the store's events may read differently (PostgresEventStore: `upcasters.generation`). */
  constructor(store: EventStore, setup: EvaluationSetup, limits: CacheLimits, generation: () => number = () => 0) {
    this.#store = store;
    this.#setup = setup;
    this.#limits = limits;
    this.#generation = generation;
  }

  /** The customer's view as of `now`, continued from its cached evaluation when that gives the same view. */
  async evaluate(customerId: string, now: number): Promise<CustomerView> {
    const cached = this.#take(customerId);
    // Taken before reading: an upcaster registered during the reads makes the next touch read whole again.
    const generation = this.#generation();
    const continued = cached === undefined || cached.generation !== generation ? undefined : await this.#continue(cached.evaluation, now);
    const evaluated = continued ?? (await evaluateFromStore(this.#store, this.#setup, customerId, now));
    this.#keep(evaluated.evaluation, generation);
    return evaluated.view;
  }

  async #continue(cached: Evaluation, now: number): Promise<Evaluated | undefined> {
    if (now < cached.now) return undefined;
    try {
      // From the last event folded, not after it: that event, found where it was, shows the stream is the one folded.
      const read = await this.#store.readStream(cached.customerId, { fromVersion: Math.max(1, cached.version) });
      const appended = appendedSince(cached, read);
      return appended === undefined ? undefined : await continueEvaluation(cached, appended, now);
    } catch {
      return undefined; // the evaluation from scratch reports whatever is wrong, as it always has
    }
  }

  /** Taken out while in use: only an evaluation that succeeded goes back in. */
  #take(customerId: string): { readonly evaluation: Evaluation; readonly generation: number } | undefined {
    const entry = this.#entries.get(customerId);
    if (entry !== undefined) {
      this.#entries.delete(customerId);
      this.#events -= entry.evaluation.events;
    }
    return entry;
  }

  #keep(evaluation: Evaluation, generation: number): void {
    const { customers, events } = this.#limits;
    if (customers === 0 || evaluation.events > events) return;
    this.#entries.set(evaluation.customerId, { evaluation, generation });
    this.#events += evaluation.events;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= customers && this.#events <= events) break;
      this.#take(oldest);
    }
  }
}

/**
 * The events after the cached version, from a read that starts at the cached version (or at 1 when
 * nothing was folded); undefined when the read does not continue the folded stream.
 */
function appendedSince(cached: Evaluation, read: readonly StoredEvent[]): StoredEvent[] | undefined {
  const anchored = cached.version > 0;
  if (anchored && (read[0]?.streamVersion !== cached.version || read[0].id !== cached.lastId)) return undefined;
  const appended = anchored ? read.slice(1) : [...read];
  for (let i = 0; i < appended.length; i++) {
    if ((appended[i] as StoredEvent).streamVersion !== cached.version + 1 + i) return undefined;
  }
  return appended;
}
