import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, InvalidInputError, builtinPolicies, replay } from '../../src/index.js';
import { backdatedOrder, journeyArbitrary, type JourneyEvent } from '../fixtures/journeys.js';
import { ledger } from '../fixtures/ledger-policy.js';

/**
 * Same input, same findings, byte for byte: however the events are fed. Runs the fixture policy
 * and every built-in policy over random lifecycle-valid journeys.
 */
const policies = [ledger, ...builtinPolicies];
const config = { calendar: { timeZone: 'America/Denver', holidays: ['2017-11-23'] } };
const byTime = (a: JourneyEvent, b: JourneyEvent) => Date.parse(a.at) - Date.parse(b.at);

function endOf(events: readonly JourneyEvent[]): number {
  return Math.max(...events.map((e) => Date.parse(e.at))) + 3 * 86_400_000;
}

async function atOnce(events: readonly JourneyEvent[], until: number): Promise<string> {
  const { engine } = await replay(events, { policies, config });
  await engine.advanceTo(until);
  return JSON.stringify(engine.snapshot());
}

async function oneByOne(events: readonly JourneyEvent[], until: number): Promise<string> {
  const engine = new Engine({ policies, config });
  for (const event of events) await engine.record(event);
  await engine.advanceTo(until);
  return JSON.stringify(engine.snapshot());
}

async function streamBatches(events: readonly JourneyEvent[], until: number, order: readonly number[]): Promise<string> {
  const engine = new Engine({ policies, config });
  const streams = [...new Set(events.map((e) => e.customerId))];
  const shuffled = streams.map((id, i) => ({ id, key: order[i % Math.max(1, order.length)] ?? i })).sort((a, b) => a.key - b.key);
  for (const { id } of shuffled) await engine.record(events.filter((e) => e.customerId === id));
  await engine.advanceTo(until);
  return JSON.stringify(engine.snapshot());
}

/**
 * Record `events` one at a time in the given order, going on past a refused one (as a live feed
 * does): the snapshot, the retries counted, and each refused event as "<index in `input`> <rule>".
 */
async function oneByOneRefusing(events: readonly JourneyEvent[], input: readonly JourneyEvent[], until: number) {
  const engine = new Engine({ policies, config });
  let duplicates = 0;
  const refused: string[] = [];
  for (const event of events) {
    try {
      duplicates += (await engine.record(event)).duplicates;
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      refused.push(...error.errors.map((e) => `${input.indexOf(event)} ${e.rule}`));
    }
  }
  await engine.advanceTo(until);
  return { snapshot: JSON.stringify(engine.snapshot()), duplicates, refused };
}

describe('determinism', () => {
  it('with ids left to the store and ids of the assigned form among them, one batch gives what one event at a time gives: the same ids and findings, or the same refusal', async () => {
    await fc.assert(
      fc.asyncProperty(journeyArbitrary({ ids: 'mixed' }), async (events) => {
        const until = endOf(events);
        // Each stream's events are in time order: the order a replay records them in, and a live feed's.
        const single = await oneByOneRefusing([...events].sort(byTime), events, until);
        const batch = new Engine({ policies, config });
        const result = await batch.record(events).catch((e: unknown) => e);
        const replayed = await replay(events, { policies, config }).catch((e: unknown) => e);
        if (single.refused.length > 0) {
          // The batch is refused as a whole; the first event refused one at a time is among its problems, for the same rule.
          expect(result).toBeInstanceOf(InvalidInputError);
          expect((result as InvalidInputError).errors.map((e) => `${e.index ?? -1} ${e.rule}`)).toContain(single.refused[0]);
          expect(replayed).toBeInstanceOf(InvalidInputError);
          return;
        }
        expect(result).not.toBeInstanceOf(Error);
        expect((result as { duplicates: number }).duplicates).toBe(single.duplicates);
        await batch.advanceTo(until);
        expect(JSON.stringify(batch.snapshot())).toBe(single.snapshot);
        expect(replayed).not.toBeInstanceOf(Error);
        const { engine } = replayed as Awaited<ReturnType<typeof replay>>;
        await engine.advanceTo(until);
        expect(JSON.stringify(engine.snapshot())).toBe(single.snapshot);
      }),
      { numRuns: 100 },
    );
  });

  it('feeding at once, one by one in time order, backdated, or stream by stream gives identical snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        journeyArbitrary(),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(100), { minLength: 1, maxLength: 5 }),
        async (events, delays, order) => {
          const until = endOf(events);
          const expected = await atOnce(events, until);
          expect(await oneByOne([...events].sort(byTime), until)).toBe(expected);
          expect(await oneByOne(backdatedOrder(events, delays), until)).toBe(expected);
          expect(await streamBatches(events, until, order)).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('events recorded after the clock has passed them, with reads in between, give the same snapshot (a projection\'s pattern)', async () => {
    await fc.assert(
      fc.asyncProperty(journeyArbitrary(), fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 20 }), async (events, delays) => {
        const until = endOf(events);
        const late = new Engine({ policies, config });
        await late.advanceTo(until);
        for (const event of backdatedOrder(events, delays)) {
          await late.record(event);
          await late.advanceTo(until);
          late.findings(); // a read at the same clock must not freeze what the next event restates
        }
        expect(JSON.stringify(late.snapshot())).toBe(await atOnce(events, until));
      }),
      { numRuns: 60 },
    );
  });

  it('advancing the clock in many small steps gives the same snapshot as one jump', async () => {
    await fc.assert(
      fc.asyncProperty(journeyArbitrary({ customers: 2 }), fc.integer({ min: 2, max: 30 }), async (events, steps) => {
        const sorted = [...events].sort(byTime);
        const until = endOf(events);
        const stepped = new Engine({ policies, config });
        for (const event of sorted) await stepped.record(event);
        const start = stepped.now ?? until;
        for (let i = 1; i <= steps; i++) {
          await stepped.advanceTo(start + ((until - start) * i) / steps);
          stepped.findings(); // reading in between must not change the outcome
        }
        expect(JSON.stringify(stepped.snapshot())).toBe(await atOnce(events, until));
      }),
      { numRuns: 40 },
    );
  });
});
