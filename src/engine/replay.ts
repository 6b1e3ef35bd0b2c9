import { InvalidInputError, VersionConflictError, type ProblemLocation, type ValidationError } from '../errors.js';
import type { EventInput, EventInputOf, EventSource, NonArrayIterable, ValidEvent } from '../events/event.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { PolicyEventData, PolicyEventDataInput } from '../policies/policy-event-data.js';
import type { KnownTypeName, OfferedTypeName, PolicyTypeNames } from '../policies/policy-type-names.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { Engine, recordAfterRead, type EngineOptions } from './engine.js';
import { planStream, type PlannedRead } from './plan.js';
import { byLocation } from './record.js';
import { partAsOf, partAsOfRead } from './replay-part.js';
import { instantArgument } from './runtime.js';
import type { Snapshot } from './snapshot.js';
import { refuseStoredAfter } from './stored-after.js';
import { readStoredStream } from './stored-stream.js';

export interface ReplayOptions extends EngineOptions {
  /**
   * Evaluate as of this instant: later events are ignored, the clock stops here. Default: the latest
   * event. A store holding a later event of a customer the replay records is refused (UsageError).
   */
  readonly asOf?: string | number | Date;
}

const REPLAY_OPTIONS = optionNames<ReplayOptions>({ policies: true, config: true, store: true, freezeEvents: true, plugins: true, asOf: true });

export interface ReplayResult {
  readonly engine: Engine;
  readonly snapshot: Snapshot;
}

/**
 * What `replay` takes: a list checked as `engine.record`'s is (each element against its own type's
 * data, `EventInputFor`), a list `parseJsonl` or `readLines` validated (`ValidEvent`s), or another
 * iterable (a generator, a Set) of either, taken as typed. A store's events are refused: a
 * `NewEvent`'s `schemaVersion` and a `StoredEvent`'s positions are unknown fields to replay's
 * validation. `Known`: the type names the replay takes; `Data`: the data of the types its
 * policies declare (`PolicyEventData`), checked against their schemas' input.
 */
export type ReplayEventsFor<Types extends readonly string[], Known extends string = string, Data = Record<never, never>> = [UnknownName<Types[number], Known>] extends [never]
  ? RawEventsFor<Types, Known, Data> | readonly ReplayedEvent[] | NonArrayIterable<RawEventInput<EventInput> | ReplayedEvent>
  : RawEventsFor<Types, Known, Data>;

/**
 * A list written out, each element checked against its own type's data: a type one of the
 * policies declares against its schema's input (`Data`, `PolicyEventData`), any other as
 * `engine.record` checks it (`EventDataInput`).
 */
type RawEventsFor<Types extends readonly string[], Known extends string, Data> = {
  readonly [I in keyof Types]: RawEventInput<EventInputOf<KnownTypeName<Types[I], Known>, PolicyEventDataInput<Types[I], Data>>>;
};

/**
 * The literal names among `T` that are not `Known` (never when all are, or any name goes). A list
 * with one is checked as a list written out only: against the validated events' list too, the
 * compiler reported the misspelt event against a `ReplayedEvent` (whose `type` is any string) as
 * lacking `time`, rather than its `type` against the names the replay takes. A validated event
 * of such a type is refused at run time anyway (`unknown-type`).
 */
type UnknownName<T extends string, Known extends string> = string extends Known ? never : T extends unknown ? (string extends T ? never : T extends Known ? never : T) : never;

/** A validated event as `replay` takes it (validated again, with the replay's calendar and registry): no `schemaVersion`, which a `NewEvent` may carry. */
export type ReplayedEvent = ValidEvent & { readonly schemaVersion?: never };

/**
 * An event as written, which has no `time`: replay reads an object with a numeric `time` as a
 * validated event. Typed so, an event literal without `time` is told from a `ReplayedEvent`, so
 * its `data` is checked (and completed in an editor) as its type's, not as a validated event's `unknown`.
 */
type RawEventInput<E> = E & { readonly time?: undefined };

/**
 * Replay journeys from raw events (any order, any number of customers) and return what heed finds
 * as of the end. All events are validated first; if any is invalid, nothing is evaluated and
 * `InvalidInputError` lists every problem. Each stream is recorded as one batch in input order (ids and stream versions as
 * `record` would assign them), so the replay is a single linear pass. A list's events are
 * type-checked as `engine.record`'s are (`ReplayEventsFor`), a type its `policies` declare
 * against that type's schema. `Policies` is inferred as written (`const`): a list such as
 * `[...loaded, myPlugin]` would otherwise be reduced to `AnyPolicy[]`, losing the plugin's types.
 */
export async function replay<const Types extends readonly OfferedTypeName<PolicyTypeNames<Policies[number]>>[], const Policies extends readonly AnyPolicy[] = readonly never[]>(
  events: ReplayEventsFor<Types, PolicyTypeNames<Policies[number]>, PolicyEventData<Policies[number]>>,
  options: ReplayOptions & { readonly policies?: Policies } = {},
): Promise<ReplayResult> {
  checkOptionNames('replay', options, REPLAY_OPTIONS);
  const { asOf, ...engineOptions } = options;
  const engine = new Engine(engineOptions);
  const errors: ValidationError[] = [];
  const valid: ValidEvent[] = [];
  let index = 0;
  for (const raw of events) {
    const { input, location } = unwrap(raw, index++);
    const result = engine.registry.validate(input, engine.calendar, location);
    if (result.ok) valid.push(result.event);
    else errors.push(...result.errors);
  }
  if (errors.length > 0) throw new InvalidInputError(errors, 'the replay input');
  return replayValidated(engine, valid, asOf);
}

/** Replay events already validated by `engine`'s registry (e.g. from `readLines`). */
export async function replayValidated(engine: Engine, events: readonly ValidEvent[], asOf?: string | number | Date): Promise<ReplayResult> {
  const streams = new Map<string, ValidEvent[]>();
  const positions = new Map<string, number[]>();
  events.forEach((event, i) => {
    let list = streams.get(event.customerId);
    if (list === undefined) {
      streams.set(event.customerId, (list = []));
      positions.set(event.customerId, []);
    }
    list.push(event);
    (positions.get(event.customerId) as number[]).push(i);
  });
  return replayStreams(engine, streams, asOf, positions);
}

/**
 * Replay validated events already grouped by customer, each stream in input order. Takes
 * ownership of `streams`: each entry is removed as the stream is
 * recorded, so with a store that keeps no events a stream's events can be freed as soon as it is
 * folded, while the next ones are evaluated.
 */
export async function replayStreams(engine: Engine, streams: Map<string, ValidEvent[]>, asOf?: string | number | Date, positions?: ReadonlyMap<string, readonly number[]>): Promise<ReplayResult> {
  // The forms engine.asOf takes; a bad one is refused rather than read as "no limit".
  const limit = asOf === undefined ? undefined : instantArgument(engine.calendar, asOf, 'asOf', 'asOf');
  const { parts: planned, stored } = await plannedParts(engine, streams, limit, positions);
  let latest: number | undefined;
  for (const [customerId, all] of streams) {
    streams.delete(customerId);
    // As the pre-pass worked it out: ids of events without one as in the whole stream, whatever `asOf` leaves out.
    let list = planned.get(customerId) as readonly ValidEvent[];
    planned.delete(customerId);
    const read = stored.get(customerId);
    stored.delete(customerId);
    if (list.length === 0) continue;
    // In input order, as `record` would take them: ids and stream versions follow the input (the
    // store's append order), and the engine folds by time, ties in that order.
    try {
      // Recorded as the pre-pass planned it and, for a customer the store holds events of,
      // evaluated on its read of the stream: neither read nor looked up again. The append, at that
      // read's version, is taken if nobody wrote since.
      await recordAfterRead(engine, list, new Map([[customerId, read as PlannedRead]]));
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another writer appended to this customer since the pre-pass read it: the refused append
      // wrote nothing and marked the stream stale, so recording again reads the store first and
      // appends after its events. The part is worked out again on the stream as it is (its ids),
      // and a rule it breaks against that writer's events is refused only here.
      list = await partAsOf(engine.store, all, limit);
      await engine.recordValidated(list);
    }
    for (const event of list) if (latest === undefined || event.time > latest) latest = event.time;
  }
  const end = limit ?? latest;
  if (end !== undefined) await engine.advanceTo(end);
  return { engine, snapshot: engine.snapshot() };
}

/**
 * Every customer's part planned as `record` plans it (retries, ids, lifecycle rules) before any
 * is appended: one customer at a time, an input breaking a rule would be refused at that customer
 * after those before it were written to the store (the caller's, say). A customer the store
 * already holds events of is planned on them, read as the engine reads a stream it does not hold
 * (`readStoredStream`), so a break against them (resolving a matter the store holds resolved) is
 * refused here too. Every problem of every customer is listed, at its position in the input. With
 * `limit`, that read also finds a stored event later than it (`refuseStoredAfter`). Only customers
 * with an event by `limit` are recorded, so only theirs are read. The parts planned are returned,
 * so the record loop does not work them out (and query the store) again, and so are the streams
 * read that hold events, with the plan of each customer's part on them, so the record loop neither
 * reads them nor looks their ids up again: held until their customer is recorded, they are what
 * the engine would otherwise read and plan then. Each customer's stored events are read once, by
 * `readStoredStream`; its ids are looked for among them, not looked up (`readByIds`).
 */
async function plannedParts(
  engine: Engine,
  streams: ReadonlyMap<string, readonly ValidEvent[]>,
  limit: number | undefined,
  positions: ReadonlyMap<string, readonly number[]> | undefined,
): Promise<{ parts: Map<string, readonly ValidEvent[]>; stored: Map<string, PlannedRead> }> {
  const parts = new Map<string, readonly ValidEvent[]>();
  const read = new Map<string, PlannedRead>();
  const errors: ValidationError[] = [];
  for (const [customerId, all] of streams) {
    if (limit !== undefined && !all.some((event) => event.time <= limit)) {
      parts.set(customerId, []);
      continue;
    }
    // The one read of the customer's stored events: its part is numbered and planned on it (every
    // id the store holds of the customer is among them), with no look-up of ids.
    const stored = await readStoredStream(engine.store, customerId);
    if (limit !== undefined) refuseStoredAfter(customerId, stored, limit);
    const part = await partAsOfRead(all, limit, stored);
    parts.set(customerId, part);
    // partAsOf keeps the events at or before `limit`, in input order: their positions are those.
    const at = positions?.get(customerId)?.filter((_, i) => limit === undefined || (all[i] as ValidEvent).time <= limit);
    const plan = await planStream({ customerId, events: part, positions: at }, stored, engine.store, stored.events);
    errors.push(...plan.errors);
    // The record loop appends `part` as given: the positions only locate the problems, thrown here.
    // Kept for a customer the store does not hold too (an empty read), so it is not planned again.
    read.set(customerId, { stream: stored, plan });
  }
  if (errors.length > 0) throw new InvalidInputError(errors.sort(byLocation), 'the replay input');
  return { parts, stored: read };
}

/**
 * Events from `parseJsonl` / `readLines` (ValidEvents) are accepted too: their derived fields
 * (`time`, `source`) are set aside and the event is validated again with this engine's calendar
 * and registry (a date-only `at` depends on the calendar's zone), keeping its file and line.
 */
function unwrap(raw: unknown, index: number): { input: unknown; location: ProblemLocation } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof (raw as { time?: unknown }).time !== 'number') {
    return { input: raw, location: { index } };
  }
  const { time: _time, source, ...input } = raw as { time: number; source?: EventSource };
  return { input, location: source === undefined ? { index } : { file: source.file, line: source.line } };
}
