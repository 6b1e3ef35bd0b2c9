import { UsageError } from '../errors.js';
import type { AppendOptions, AppendResult, EventStore, NewEvent, ReadStreamOptions, StoredEvent } from '../store/event-store.js';
import { InMemoryEventStore } from '../store/in-memory-store.js';
import { quoteId } from '../quote-id.js';

/**
 * The store of a one-shot replay (`heed replay`): each customer's events arrive in one batch,
 * are folded, and are not needed again, so the store does not keep them (a 1M-event replay would
 * otherwise hold a second copy of every event until it exits). Ids and stream versions are
 * assigned exactly as the in-memory store assigns them; global positions keep increasing across
 * streams. Anything that would need a forgotten event (a second batch for a customer, which could
 * be backdated and need the stream re-evaluated; reading a stream back) throws instead of
 * answering wrongly.
 */
export class OneShotStore implements EventStore {
  readonly #versions = new Map<string, number>();
  #position = 0;

  async append(customerId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    // The stream given a second time where the replay takes each once.
    if (this.#versions.has(customerId)) throw forgotten(customerId, 'appended to twice', 'duplicate');
    // A fresh in-memory store per stream: its id and version rules, none of its memory.
    const result = new InMemoryEventStore().appendSync(customerId, events, options);
    const offset = this.#position;
    this.#position += result.appended.length;
    this.#versions.set(customerId, result.streamVersion);
    // The events are the throwaway store's own, seen by no one else yet: renumbered in place, not copied.
    if (offset > 0) for (const event of result.appended as Mutable<StoredEvent>[]) event.globalPosition += offset;
    return result;
  }

  async readStream(customerId: string, _options?: ReadStreamOptions): Promise<StoredEvent[]> {
    if (this.#versions.has(customerId)) throw forgotten(customerId, 'read back');
    return [];
  }

  async readAll(): Promise<StoredEvent[]> {
    if (this.#versions.size > 0) throw new UsageError('a one-shot replay store keeps no events to read back');
    return [];
  }

  async readByIds(customerId: string, _ids: readonly string[]): Promise<StoredEvent[]> {
    if (this.#versions.has(customerId)) throw forgotten(customerId, 'read back');
    return [];
  }

  async streamVersion(customerId: string): Promise<number> {
    return this.#versions.get(customerId) ?? 0;
  }

  async close(): Promise<void> {}
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The stream (`path` `customerId`, the argument at fault) that needs a forgotten event. `rule`
 * `duplicate` for a second append; none for a read back, as no rule names a store that keeps
 * nothing (and nothing outside the CLI reaches this store to branch on one).
 */
function forgotten(customerId: string, what: string, rule?: 'duplicate'): UsageError {
  return new UsageError(`customer ${quoteId(customerId)}: a one-shot replay takes each stream in one batch and keeps no events, so it cannot be ${what}`, {
    path: 'customerId',
    customerId,
    ...(rule === undefined ? {} : { rule }),
  });
}
