import type { ReadStreamOptions, StoredEvent } from '../../../src/index.js';
import { PostgresEventStore } from '../../../src/postgres.js';

/** One `readStream` call: where it started (undefined: the whole stream) and how many events it returned. */
export interface StreamRead {
  readonly customerId: string;
  readonly fromVersion: number | undefined;
  readonly events: number;
}

/** A store that records every `readStream`, to see how much of a stream an evaluation read. */
export class ReadingStore extends PostgresEventStore {
  readonly reads: StreamRead[] = [];

  override async readStream(customerId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const events = await super.readStream(customerId, options);
    this.reads.push({ customerId, fromVersion: options.fromVersion, events: events.length });
    return events;
  }

  /** The reads recorded since the last call. */
  take(): StreamRead[] {
    return this.reads.splice(0);
  }
}
