import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, builtinPolicies, replay } from '../../src/index.js';
import { backdatedOrder, journeyArbitrary, type JourneyEvent } from '../fixtures/journeys.js';
import { ledger } from '../fixtures/ledger-policy.js';

/**
 * What was known at an instant is the same however it is asked: `replay(events, { asOf })` (what
 * `heed replay --until` runs), `engine.asOf(instant)` over every event, and a live engine fed only
 * the events up to that instant, backdated, then advanced to it. The instants tried are the
 * boundaries where an off-by-one hides: an event's time, a wake-up's time (a promise falling due,
 * a gap opening), and one millisecond either side of them.
 */
const policies = [ledger, ...builtinPolicies];
const calendar = { timeZone: 'America/Denver', holidays: ['2017-11-23'] };
/** The defaults, and options that put many wake-ups close together (grace, check-ins, short windows, a sliding burden window). */
const configs = {
  defaults: { calendar },
  'dense wake-ups': {
    calendar,
    policies: {
      promises: { grace: 'PT3H', warnBefore: 'P1D' },
      survey: { checkIn: { enabled: true, after: 'P2D' }, settleAfter: 'PT5H', cooldown: 'P2D', answerWindow: 'P1D' },
      inattention: { clock: 'calendar', maxSilence: 'PT20H' },
      feedback: { replyWithin: 'PT7H' },
      burden: { window: 'P5D', levels: [5, 10, 20] },
    },
  },
};

/** Every wake-up instant the journey reaches, found by advancing a full replay wake by wake. */
async function wakeTimes(config: object, events: readonly JourneyEvent[], end: number): Promise<number[]> {
  const engine = new Engine({ policies, config });
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const times: number[] = [];
  for (const event of sorted) {
    await engine.record(event);
    const wake = engine.nextWakeAt();
    if (wake !== undefined) times.push(wake);
  }
  for (let wake = engine.nextWakeAt(); wake !== undefined && wake <= end; wake = engine.nextWakeAt()) {
    times.push(wake);
    await engine.advanceTo(wake);
  }
  return times;
}

async function live(config: object, events: readonly JourneyEvent[], limit: number, delays: readonly number[]): Promise<string> {
  const engine = new Engine({ policies, config });
  for (const event of backdatedOrder(events.filter((e) => Date.parse(e.at) <= limit), delays)) await engine.record(event);
  await engine.advanceTo(limit);
  return JSON.stringify(engine.snapshot());
}

describe.each(Object.entries(configs))('as of an instant (%s)', (_name, config) => {
  it('replay({ asOf }), engine.asOf and a live engine fed the events up to it (backdated) agree byte for byte, at event and wake-up times and 1 ms either side', async () => {
    await fc.assert(
      fc.asyncProperty(
        journeyArbitrary({ customers: 2, maxSteps: 15 }),
        fc.nat(10_000),
        fc.constantFrom(-1, 0, 1),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 20 }),
        async (events, pick, offset, delays) => {
          const times = events.map((e) => Date.parse(e.at));
          const end = Math.max(...times) + 3 * 86_400_000;
          const candidates = [...times, ...(await wakeTimes(config, events, end))];
          const limit = (candidates[pick % candidates.length] as number) + offset;

          const { snapshot } = await replay(events, { policies, config, asOf: limit });
          const expected = JSON.stringify(snapshot);
          expect(JSON.parse(expected).asOf).toBe(new Date(limit).toISOString());

          const full = new Engine({ policies, config });
          await full.record(events);
          await full.advanceTo(end);
          expect(JSON.stringify(await full.asOf(limit))).toBe(expected);
          expect(JSON.stringify(await full.asOf(new Date(limit).toISOString()))).toBe(expected);
          expect(await live(config, events, limit, delays)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('as of an instant, with ids left to the store', () => {
  it('replay({ asOf }) and engine.asOf over every event agree byte for byte: an event without id has the id it has in the whole input, at event times and 1 ms either side', async () => {
    await fc.assert(
      fc.asyncProperty(
        journeyArbitrary({ customers: 2, maxSteps: 15, ids: 'mixed' }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 20 }),
        fc.nat(10_000),
        fc.constantFrom(-1, 0, 1),
        async (journeys, delays, pick, offset) => {
          // Lines out of time order, as in an export: a line after asOf may come before lines within it.
          const events = backdatedOrder(journeys, delays);
          const full = new Engine({ policies, config: configs.defaults });
          // A retry of an assigned id with another payload is refused as a whole: nothing to compare.
          if ((await full.record(events).catch((e: unknown) => e)) instanceof Error) return;
          const times = events.map((e) => Date.parse(e.at));
          const limit = (times[pick % times.length] as number) + offset;
          const expected = JSON.stringify(await full.asOf(limit));
          const replayed = await replay(events, { policies, config: configs.defaults, asOf: limit });
          expect(JSON.stringify(replayed.snapshot)).toBe(expected);
          // The ids themselves, not only those a finding names as evidence.
          const ids = async (engine: Engine) => {
            const out: string[] = [];
            for (const customerId of new Set(events.map((e) => e.customerId))) {
              for (const event of await engine.store.readStream(customerId)) if (event.time <= limit) out.push(`${event.id} ${event.type} ${event.at}`);
            }
            return out.sort();
          };
          expect(await ids(replayed.engine)).toEqual(await ids(full));
        },
      ),
      { numRuns: 100 },
    );
  });
});
