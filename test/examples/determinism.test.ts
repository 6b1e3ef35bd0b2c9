import { describe, expect, it } from 'vitest';
import { Engine, burden, survey, type EventInput } from '../../src/index.js';
import { exampleConfig, journey } from './journey.js';

/** Burden and survey over the example journeys: the same findings however the events arrive. */
const policies = [burden, survey];
const all = ['deer-claim', 'computer-repair', 'phone-upgrade'].flatMap((name) => journey(name));
const until = '2018-03-31T00:00:00Z';

async function snapshot(feed: (engine: Engine) => Promise<void>): Promise<string> {
  const engine = new Engine({ policies, config: exampleConfig });
  await feed(engine);
  await engine.advanceTo(until);
  return JSON.stringify(engine.snapshot());
}

describe('example journeys: determinism of burden and survey', () => {
  it('gives identical findings fed at once, one by one, or with events arriving late', async () => {
    const atOnce = await snapshot((e) => e.record(all).then(() => undefined));
    const oneByOne = await snapshot(async (e) => {
      for (const event of all) await e.record(event);
    });
    // Every other contact, task, fix attempt and kept promise held back and sent at the end:
    // backdated, so their streams are re-evaluated (nothing later depends on these types).
    const leaf = new Set(['ContactMade', 'CustomerTaskRequested', 'FixAttempted', 'PromiseKept']);
    const held = new Set(all.filter((e) => leaf.has(e.type)).filter((_, i) => i % 2 === 1));
    const late: EventInput[] = all.filter((e) => held.has(e));
    const backdated = await snapshot(async (e) => {
      for (const event of all.filter((x) => !held.has(x))) await e.record(event);
      for (const event of late) await e.record(event);
    });
    expect(late.length).toBeGreaterThan(20);
    expect(JSON.parse(atOnce).findings.length).toBeGreaterThan(10);
    expect(oneByOne).toBe(atOnce);
    expect(backdated).toBe(atOnce);
  });
});
