import { describe, expect, it } from 'vitest';
import { burden, inattention, promises, survey } from '../../src/index.js';
import { replayJourney } from './journey.js';

/** Seed 003, the phone upgrade: three transfers, an hour on hold, the no-fee promise broken. */
describe('example journey: phone upgrade (seed 003)', () => {
  it('counts the explicitly broken no-fee promise in the burden, which escalates when it breaks', async () => {
    const { engine } = await replayJourney('phone-upgrade', [burden, survey]);
    const [first, second] = engine.findings({ kind: 'burden.escalated' });
    expect(first).toMatchObject({ detectedAt: '2015-09-24T15:40:00.000Z', severity: 'warning', matterId: 'upgrade', details: { level: 1, score: 12.2 } });
    expect(first?.details.drivers).toContainEqual({ driver: 'broken-promise', amount: 1, unit: 'promises', points: 6 });
    expect(first?.evidence).toContain('ph-008');
    // The retention call: transfers, hold, channel switches, repeating the story.
    expect(second).toMatchObject({ detectedAt: '2015-09-24T17:30:00.000Z', severity: 'breach', details: { level: 2, score: 27.5 } });
    expect(second?.details.drivers).toEqual(
      expect.arrayContaining([
        { driver: 'transfer', amount: 4, unit: 'transfers', points: 8 },
        { driver: 'broken-promise', amount: 1, unit: 'promises', points: 6 },
        { driver: 'channel-switch', amount: 2, unit: 'switches', points: 4 },
        { driver: 'hold', amount: 0.75, unit: 'hours', points: 1.5 },
      ]),
    );
  });

  it('sums to the documented weights by the end of the day', async () => {
    const { engine } = await replayJourney('phone-upgrade', [burden, survey]);
    const summary = engine.summary('phone-upgrade').burden as { score: number; level: number; drivers: { driver: string; points: number }[] };
    expect(summary.level).toBe(2);
    expect(summary.score).toBe(30.7);
    expect(Object.fromEntries(summary.drivers.map((d) => [d.driver, d.points]))).toEqual({
      transfer: 8, // 3 + 1 transfers × 2
      'repeat-contact': 6, // four calls after the first × 1.5
      'broken-promise': 6, // high importance × 1.5
      'channel-switch': 4, // phone → web → phone
      'repeated-request': 3, // the whole story again for retention
      'customer-effort': 2.2,
      hold: 1.5, // 45 minutes × 2 per hour
    });
  });

  it('finds no silence: until the order, the customer was deciding, and the company answered the same morning', async () => {
    const { engine } = await replayJourney('phone-upgrade', [inattention]);
    expect(engine.findings({ kind: 'inattention.gap' })).toEqual([]);
    const summary = engine.summary('phone-upgrade').inattention as { matters: { matterId: string; gaps: number; open: boolean }[] };
    expect(summary.matters).toMatchObject([{ matterId: 'upgrade', gaps: 0, open: false }]);
  });

  it('the "no upgrade fee" promise is broken explicitly at checkout; the retention department keeps its own; then the moment to ask', async () => {
    const { engine } = await replayJourney('phone-upgrade', [promises, survey], '2015-10-01T00:00:00Z');
    expect(engine.findings().map((f) => [f.kind, f.detectedAt, f.severity])).toEqual([
      ['promise.broken', '2015-09-24T15:40:00.000Z', 'critical'],
      ['survey.due', '2015-09-25T18:00:00.000Z', 'info'],
    ]);
    const [broken] = engine.findings({ kind: 'promise.broken' });
    expect(broken).toMatchObject({ matterId: 'upgrade', evidence: ['ph-004', 'ph-008'], details: { promiseId: 'no-upgrade-fee', party: 'sales', explicit: true } });
    expect(broken?.message).toBe(
      'The promise by sales "Upgrade with no upgrade fee (out of contract), an easy process", due by Mon 28 Sep 2015 17:00, was broken: An upgrade fee was charged at checkout although the contract had ended.',
    );
    const ledger = engine.summary('phone-upgrade').promises as { byParty: Record<string, { broken: number; keptOnTime: number }> };
    expect(ledger.byParty).toMatchObject({ sales: { broken: 1 }, retention: { keptOnTime: 1 } });
  });
});
