import { freeze, type Immer } from 'immer';
import { describeValue } from '../describe-value.js';
import { PolicyError } from '../errors.js';
import type { HeedEvent } from '../events/event.js';
import type { AnyPolicy, FindingInput, PolicyContext } from '../policies/define-policy.js';
import type { Calendar } from '../time/calendar.js';
import { checkFindingInput } from './finding-input.js';
import { initialStateOf } from './fresh-state.js';
import { returnedValue } from './returned-value.js';
import type { Stream } from './stream.js';

/** What a fold needs from the engine: the policies and their parsed options. */
export interface FoldEnv {
  readonly policies: readonly AnyPolicy[];
  readonly options: readonly unknown[];
  readonly calendar: Calendar;
  readonly immer: Immer;
  /** Per policy: the event types it receives (core types + its own custom types). */
  readonly accepts: readonly ReadonlySet<string>[];
  /** Deep-freeze events before policies see them (`EngineOptions.freezeEvents`). */
  readonly freezeEvents: boolean;
  /** Freeze what reads hand out (`InternalEngineOptions[UNFROZEN_READS]`; on but for the CLI's one-shot replay). */
  readonly freezeReads: boolean;
}

/**
 * Receives each finding a policy reports during a run, synchronously, while the policy's draft
 * is alive: the input may reference the draft, so the sink copies what it keeps (`FindingBook`).
 * `folded`: the place (`Stream.eventIds`) of the last event evaluated when it was reported, the
 * latest its evidence may cite.
 */
export type ReportSink = (policy: number, input: FindingInput, folded: number) => void;

/**
 * Fold a run of events (sorted by time, then stream version) into a stream, interleaving the
 * wake-ups the policies asked for, then process the wake-ups up to `until`. At one instant,
 * events come before wake-ups. At most one immer `produce` per policy for the whole run (none on a
 * fresh state): the hot path does not pay for a proxy round-trip per event.
 *
 * A state is deeply frozen before a later run drafts it, as when it is handed out (`Stream.
 * stateForReading`): anything a caller holds, and anything a policy kept from an earlier run, then
 * throws on a write instead of changing the engine's state behind it. immer's `freeze` skips
 * frozen subtrees, so the cost follows what the previous run changed; a stream folded in one run
 * (a replay) never pays it.
 */
export function foldRun(stream: Stream, events: readonly HeedEvent[], until: number, env: FoldEnv, sink: ReportSink): void {
  // Off by default: freezing every event's payload costs more than the fold can spare (README,
  // Performance). Frozen here, the stored events themselves are (the in-memory store's objects).
  if (env.freezeEvents) for (const event of events) freeze(event, true);
  // Each event's place in the stream's fold order, which evidence is checked against: one map
  // entry per event, no object (a value is a small integer); and each matter's opening's place,
  // which a finding's matterId is checked against.
  const places = stream.eventIds;
  const matters = stream.matters;
  const base = places.size;
  for (let k = 0; k < events.length; k++) {
    const event = events[k] as HeedEvent;
    places.set(event.id, base + k);
    // The lifecycle rules open a matter once (a later MatterOpened of it is refused); the first is kept all the same.
    if (event.type === 'MatterOpened') {
      const { matterId } = event.data as { matterId: string };
      if (!matters.has(matterId)) matters.set(matterId, base + k);
    }
  }
  for (let p = 0; p < env.policies.length; p++) {
    const policy = env.policies[p] as AnyPolicy;
    const wakes = stream.wakes[p];
    const accepts = env.accepts[p] as ReadonlySet<string>;
    if (wakes === undefined) continue;
    const due = wakes.next();
    if (!events.some((e) => accepts.has(e.type)) && (due === undefined || due > until)) continue;

    // The place in fold order of the last event evaluated (`ReportSink`); not on `ctx`, where the policy could change it.
    let folded = base - 1;
    const ctx = new RunContext(stream.customerId, env.options[p], env.calendar, (input) => {
      checkFindingInput(policy, input, ctx.now, stream, folded);
      sink(p, input, folded);
    }, (instant) => {
      if (typeof instant !== 'number' || !Number.isFinite(instant)) throw new Error(`ctx.wakeAt needs a finite epoch-ms number, got ${describeValue(instant)}`);
      if (policy.tick === undefined) throw new Error('ctx.wakeAt was called, but the policy has no tick to answer the wake-up');
      // In evolve, a past instant means "as soon as possible"; in tick, an instant at or before the
      // one being handled would loop forever, so it is dropped.
      if (ctx.inTick ? instant > ctx.now : true) wakes.add(Math.max(instant, ctx.now));
    });
    let currentEvent: string | undefined;
    // A fresh state (the engine's own copy of the initial state, never handed out) is changed in
    // place: nothing else can see it, so a draft's copy-on-write would only add a proxy trap to
    // every read and write of the run. Later runs go through immer, from the state frozen, so a
    // state handed out (a summary, a read) never changes under its holder.
    const inPlace = stream.fresh[p] === true;
    stream.fresh[p] = false;
    try {
      const run = (draft: unknown): void => {
        const tick = (instant: number): void => {
          ctx.now = instant;
          ctx.inTick = true;
          currentEvent = undefined;
          if (policy.tick?.(draft as never, ctx) !== undefined) throw returnedValue('tick', stream.customerId);
          ctx.inTick = false;
          if (instant > stream.lastTickTime) stream.lastTickTime = instant;
        };
        for (let k = 0; k < events.length; k++) {
          const event = events[k] as HeedEvent;
          for (let w = wakes.takeBefore(event.time, false); w !== undefined; w = wakes.takeBefore(event.time, false)) tick(w);
          // Evaluated, whether or not this policy is given it: an event of the stream from here on.
          folded = base + k;
          if (!accepts.has(event.type)) continue;
          ctx.now = event.time;
          currentEvent = event.id;
          if (policy.evolve(draft as never, event as never, ctx) !== undefined) throw returnedValue('evolve', stream.customerId);
        }
        for (let w = wakes.takeBefore(until, true); w !== undefined; w = wakes.takeBefore(until, true)) tick(w);
      };
      if (inPlace) run(stream.states[p]);
      else stream.states[p] = env.immer.produce(freeze(stream.states[p], true), run);
    } catch (error) {
      stream.dirty = true;
      // As immer discards a failed draft, a failed in-place run leaves the state it started from
      // (if initialState fails now too, the stream stays dirty: it is re-folded before its next use).
      if (inPlace) {
        try {
          const initial = initialStateOf(policy, env.options[p]);
          stream.states[p] = initial.state;
          stream.fresh[p] = initial.isFresh;
        } catch {
          // the policy's own error is the one to report
        }
      }
      throw new PolicyError(policy.name, stream.customerId, currentEvent, inPlainWords(error));
    }
  }
}

/**
 * immer's "enableMapSet" error (or its production form, "minified error nr: 0": the engine uses no
 * other plugin) said as what it means for a policy author: the engine's immer does not draft Maps
 * and Sets, and calling `enableMapSet()` is not the fix. Any other error is returned as it is.
 */
function inPlainWords(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  if (!/^\[Immer\] (?:The plugin for 'MapSet' has not been loaded|minified error nr: 0\.)/.test(message)) return error;
  return new Error(
    'Maps and Sets are not supported in policy state (the engine\'s immer does not draft them; enableMapSet() is not the fix): keep the state plain objects and arrays, a Record<string, …> for a Map, a Record<string, true> or an array for a Set',
    { cause: error },
  );
}

class RunContext implements PolicyContext {
  now = 0;
  inTick = false;
  readonly customerId: string;
  readonly options: unknown;
  readonly calendar: Calendar;
  readonly report: (finding: FindingInput) => void;
  readonly wakeAt: (instant: number) => void;

  constructor(
    customerId: string,
    options: unknown,
    calendar: Calendar,
    report: (finding: FindingInput) => void,
    wakeAt: (instant: number) => void,
  ) {
    this.customerId = customerId;
    this.options = options;
    this.calendar = calendar;
    this.report = report;
    this.wakeAt = wakeAt;
  }
}
