import { describe, expect, it } from 'vitest';
import { replayJourney } from './journeys.js';

/**
 * The car rental of seed 001: a Saturday 3:00pm pickup booked through a broker, the wrong address,
 * an office that closed at 3pm, 54 minutes on hold, a canned "not affiliated" answer, and nobody
 * asking "Can we get you a car?".
 */
describe('car rental (seed 001)', () => {
  it("the broker's promise counts against the company: at risk at 11:00, the moment to call ahead, broken at 3:00pm", async () => {
    const { snapshot } = await replayJourney('rental.jsonl');
    const promises = snapshot.findings.filter((f) => f.kind.startsWith('promise.'));
    expect(promises.map((f) => [f.kind, f.detectedAt, f.severity])).toEqual([
      ['promise.at-risk', '2018-04-14T17:00:00.000Z', 'warning'],
      ['promise.broken', '2018-04-14T21:00:00.000Z', 'critical'],
    ]);
    expect(promises[1]?.details).toMatchObject({ promiseId: 'pickup', party: 'expedia', explicit: false });
    expect(promises[1]?.evidence).toEqual(['rent-002']);
    const summary = snapshot.summaries['rental']?.['promises'] as { byParty: Record<string, unknown> };
    expect(summary.byParty).toEqual({
      expedia: { made: 1, pending: 0, keptOnTime: 0, keptEarly: 0, keptLate: 0, broken: 1, cancelled: 0, keepRate: 0, lateMinutesTotal: 0, lateMinutesMax: 0 },
    });
  });

  it('the message got the fastest answer of anyone, so no feedback finding: the failure was what the answer said', async () => {
    const { snapshot } = await replayJourney('rental.jsonl');
    expect(snapshot.findings.filter((f) => f.kind === 'feedback.unanswered')).toEqual([]);
    expect(snapshot.summaries['rental']?.['feedback']).toEqual({ received: 1, answeredInTime: 1, answeredLate: 0, unanswered: 0, awaitingAnswer: 0 });
  });

  it('on the office calendar (closed at weekends) the stranded customer is no gap; on a rental desk\'s 7-day calendar clock nobody offered a car all weekend', async () => {
    const office = await replayJourney('rental.jsonl');
    expect(office.snapshot.findings.filter((f) => f.kind === 'inattention.gap')).toEqual([]);

    const desk = await replayJourney('rental.jsonl', { options: { inattention: { clock: 'calendar' } } });
    const gaps = desk.snapshot.findings.filter((f) => f.kind === 'inattention.gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({
      matterId: 'stranded',
      detectedAt: '2018-04-15T03:40:00.000Z', // four hours (critical) after the canned answer
      severity: 'critical',
      // The canned reply meant for "Dan" (rent-009) was no attention; the customer pointing it out was a chase.
      evidence: ['rent-007', 'rent-010', 'rent-011'],
      details: { since: '2018-04-14T23:40:00.000Z', until: '2018-04-16T15:30:00.000Z', allowedMinutes: 240, clock: 'calendar', chases: 1 },
    });
    expect(gaps[0]?.message).toBe(
      'Nobody from the company updated the customer on "No car: wrong pickup address, the office closed at 3pm" from Sat 14 Apr 2018 17:40 until Mon 16 Apr 2018 09:30 (39 hours; 4 hours allowed); the customer chased once.',
    );
  });
});
