import { describe, expect, it } from 'vitest';
import { assessNextStep, burden, inattention, survey } from '../../src/index.js';
import { replayJourney } from './journey.js';

/** Seed 003, the computer repair: what a reader of the story expects heed to say. */
describe('example journey: computer repair (seed 003)', () => {
  it('escalates by the time a third technician visit is offered, and again after the hours of arguing', async () => {
    const { engine } = await replayJourney('computer-repair', [burden, survey]);
    const escalations = engine.findings({ kind: 'burden.escalated' });
    expect(escalations.map((f) => [f.detectedAt, f.details.level, f.severity, f.details.score])).toEqual([
      ['2016-03-09T19:00:00.000Z', 1, 'warning', 16.3], // the second visit broke a more critical part
      ['2016-03-10T16:00:00.000Z', 2, 'breach', 26.5], // hours on the phone, transferred, arguing
    ]);
    const third = Date.parse('2016-03-09T14:30:00-07:00'); // when support offered the third visit
    expect(Date.parse(escalations[0]?.detectedAt ?? '')).toBeLessThan(third);
    // The level-1 drivers are the failed visits and what they cost the customer.
    expect(escalations[0]?.details.drivers).toEqual([
      { driver: 'worsened-attempt', amount: 1, unit: 'attempts', points: 6 },
      { driver: 'customer-effort', amount: 4.33, unit: 'hours', points: 4.3 },
      { driver: 'repeat-failure', amount: 1, unit: 'attempts', points: 3 },
      { driver: 'partial-attempt', amount: 1, unit: 'attempts', points: 2 },
      { driver: 'downtime', amount: 23, unit: 'hours', points: 1 },
    ]);
    expect(escalations[0]?.evidence).toEqual(expect.arrayContaining(['pc-006', 'pc-010']));
  });

  it('flags the repeated on-site visit as a repeated remedy (fixed half, then made it worse)', async () => {
    const { engine } = await replayJourney('computer-repair', [burden, survey]);
    expect(engine.findings({ kind: 'burden.repeated-remedy' })).toMatchObject([
      {
        matterId: 'computer',
        detectedAt: '2016-03-09T19:00:00.000Z',
        severity: 'breach',
        evidence: ['pc-006', 'pc-010'],
        details: { method: 'onsite-visit', failures: 2, outcomes: ['partial', 'worsened'] },
      },
    ]);
  });

  it('answers "is one more visit, or ten days without the computer, reasonable?" with no, and why', async () => {
    const { engine } = await replayJourney('computer-repair', [burden, survey], '2016-03-09T14:30:00-07:00');
    const third = assessNextStep(engine, { customerId: 'computer-repair', matterId: 'computer', method: 'onsite-visit', expectedEffortMinutes: 60, expectedDowntimeHours: 11 });
    expect(third).toMatchObject({ reasonable: false, score: 18.5, level: 1, projectedScore: 20, projectedLevel: 1, methodFailures: 2, effortHours: 5 }); // as in the README
    expect(third.reasons).toEqual(['"onsite-visit" has already failed twice on this matter (partial, worsened).', '"onsite-visit" made things worse on this matter before.']);
    expect(third.suggestions).toContain('Ask the customer whether this next step is acceptable before scheduling it.');
    const shipIn = assessNextStep(engine, { customerId: 'computer-repair', matterId: 'computer', method: 'ship-in', expectedEffortMinutes: 30, expectedDowntimeHours: 240 });
    expect(shipIn).toMatchObject({ reasonable: false, level: 1, projectedLevel: 2 });
    const replace = assessNextStep(engine, { customerId: 'computer-repair', matterId: 'computer', method: 'replace-computer', expectedEffortMinutes: 60, expectedDowntimeHours: 11 });
    expect(replace).toMatchObject({ reasonable: true, reasons: [] });
  });

  it('counts the technician at the office as attention: the silence that matters is after the second visit broke things', async () => {
    const { engine } = await replayJourney('computer-repair', [inattention]);
    const gaps = engine.findings({ kind: 'inattention.gap' });
    expect(gaps.map((f) => [f.details.since, f.details.until, f.details.silenceMinutes, f.details.chases, f.severity])).toEqual([
      // A critical matter allows four working hours: the next-business-day visit came after ten.
      ['2016-03-07T16:00:00.000Z', '2016-03-08T17:00:00.000Z', 600, 0, 'breach'],
      // The technician left with half of it fixed; the call saying a second part was needed came at 15:00.
      ['2016-03-08T17:00:00.000Z', '2016-03-08T22:00:00.000Z', 300, 0, 'warning'],
      // From the visit that broke a more critical part to the new computer in service, only the customer called.
      ['2016-03-09T16:00:00.000Z', '2016-03-15T15:00:00.000Z', 2160, 3, 'critical'],
    ]);
    expect(gaps[0]?.evidence).toEqual(['pc-002', 'pc-005v']);
    expect(gaps[2]?.evidence).toEqual(['pc-009v', 'pc-011', 'pc-012', 'pc-013', 'pc-017']);
  });

  it('asks for feedback a day after the new computer is in service', async () => {
    const { engine } = await replayJourney('computer-repair', [burden, survey]);
    await engine.advanceTo('2016-03-20T00:00:00Z');
    expect(engine.findings({ kind: 'survey.due' })).toMatchObject([
      { matterId: 'computer', details: { reason: 'resolved', opensAt: '2016-03-16T15:00:00.000Z', closesAt: '2016-03-30T15:00:00.000Z' } },
    ]);
  });
});
