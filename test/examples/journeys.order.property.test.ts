import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, replayValidated, type ValidEvent } from '../../src/index.js';
import { LEAF_TYPES } from '../fixtures/journeys.js';
import { exampleConfig, issue3Policies, readJourney } from './journeys.js';

/**
 * Order independence on the real journeys: the deer claim and the rental, fed at once, one event
 * at a time, or with some events arriving late (backdated), give the same snapshot byte for byte.
 *
 * Events at the same instant are evaluated in append order, so a tie fed in another order would
 * be another journey: ties move together, in order, and only when all of them are leaves (events
 * nothing later depends on, so every prefix stays lifecycle-valid).
 */
const JOURNEYS = ['deer-claim.jsonl', 'rental.jsonl'];
const DAY = 86_400_000;

function engine(): Engine {
  return new Engine({ policies: issue3Policies, config: exampleConfig() });
}

function load(target: Engine): ValidEvent[] {
  return JOURNEYS.flatMap((name) => readJourney(target, name));
}

function endOf(events: readonly ValidEvent[]): number {
  return Math.max(...events.map((e) => e.time)) + 10 * DAY;
}

async function atOnce(): Promise<string> {
  const target = engine();
  const events = load(target);
  await replayValidated(target, events);
  await target.advanceTo(endOf(events));
  return JSON.stringify(target.snapshot());
}

async function fed(order: (events: readonly ValidEvent[]) => ValidEvent[]): Promise<string> {
  const target = engine();
  const events = load(target);
  for (const event of order(events)) await target.recordValidated([event]);
  await target.advanceTo(endOf(events));
  return JSON.stringify(target.snapshot());
}

/** Per customer, delay whole leaf-only tie groups by `delays[i]` places; keep every other event in place. */
function backdated(events: readonly ValidEvent[], delays: readonly number[]): ValidEvent[] {
  const out: { event: ValidEvent; key: number }[] = [];
  let n = 0;
  for (const customerId of [...new Set(events.map((e) => e.customerId))]) {
    const stream = events.filter((e) => e.customerId === customerId).sort((a, b) => a.time - b.time);
    for (let i = 0; i < stream.length; ) {
      let end = i + 1;
      while (end < stream.length && stream[end]?.time === stream[i]?.time) end++;
      const group = stream.slice(i, end);
      const movable = group.every((e) => LEAF_TYPES.has(e.type));
      const shift = movable ? (delays[n++ % delays.length] ?? 0) + 0.5 : 0;
      group.forEach((event, j) => out.push({ event, key: movable ? i + shift + (j / group.length) * 0.5 : i + j }));
      i = end;
    }
  }
  // Streams interleave by key; within a stream the keys give the delayed order.
  return out.sort((a, b) => a.key - b.key).map((o) => o.event);
}

describe('the example journeys are order-independent', () => {
  it('at once, one by one in time order, or backdated: the same snapshot', async () => {
    const expected = await atOnce();
    expect(JSON.parse(expected).findings.length).toBeGreaterThan(10);
    expect(await fed((events) => [...events].sort((a, b) => a.time - b.time))).toBe(expected);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(40), { minLength: 1, maxLength: 30 }), async (delays) => {
        expect(await fed((events) => backdated(events, delays))).toBe(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('the backdating really delivers events late', () => {
    const events = load(engine());
    const order = backdated(events, [5]);
    const late = order.filter((e, i) => order.slice(0, i).some((earlier) => earlier.customerId === e.customerId && earlier.time > e.time));
    expect(late.length).toBeGreaterThan(5);
  });
});
