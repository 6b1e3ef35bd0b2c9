import { describe, expect, it } from 'vitest';
import { burden, survey } from '../../src/index.js';
import { replayJourney } from './journey.js';

/** Seed 001, the deer claim: a survey mid-repair that expired before the car came back, and the agent who asked after the customer left. */
describe('example journey: deer claim surveys (seed 001)', () => {
  it('flags the mid-repair survey with a ten-day expiry as mistimed: the claim was open and it expired before resolution', async () => {
    const { engine } = await replayJourney('deer-claim', [burden, survey]);
    const [midRepair] = engine.findings({ kind: 'survey.mistimed' });
    expect(midRepair).toMatchObject({
      matterId: 'claim',
      detectedAt: '2017-12-12T16:00:00.000Z',
      severity: 'breach',
      details: { surveyId: 'claim-handling', expiresAt: '2017-12-23T06:59:00.000Z' },
    });
    // The repair promise (due 12-26) was also still owed, so promise-pending applies too.
    expect(midRepair?.details.reasons).toEqual(['matter-open', 'promise-pending', 'expires-before-resolution']);
    expect(midRepair?.evidence).toEqual(['deer-028', 'deer-003', 'deer-026']);
  });

  it('tells the too-late story: a window opened after the car came back, the customer left unasked, the agent asked afterwards', async () => {
    const { engine } = await replayJourney('deer-claim', [burden, survey]);
    const story = engine.findings().filter((f) => f.kind.startsWith('survey.') && f.detectedAt >= '2018-02-01');
    expect(story.map((f) => [f.kind, f.detectedAt])).toEqual([
      ['survey.due', '2018-02-03T23:30:00.000Z'],
      ['survey.too-late', '2018-02-09T17:05:00.000Z'],
      ['survey.mistimed', '2018-02-10T18:00:00.000Z'],
    ]);
    const [due, tooLate, why] = story;
    expect(due?.details).toEqual({ opensAt: '2018-02-03T23:30:00.000Z', closesAt: '2018-02-09T17:05:00.000Z', reason: 'resolved', surveyId: null });
    expect(tooLate).toMatchObject({
      severity: 'breach',
      evidence: ['deer-054', 'deer-028', 'deer-058'],
      details: { endedAt: '2018-02-09T17:05:00.000Z', lastResolvedAt: '2018-02-02T23:30:00.000Z', mistimedSurveys: ['claim-handling'] },
    });
    expect(why).toMatchObject({ details: { surveyId: 'why-did-you-leave', reasons: ['after-relationship-ended'] }, evidence: ['deer-060', 'deer-058'] });
  });

  it('remembers nine weeks of burden: critical by the time the repair promise was broken, with the repeated dealer reset', async () => {
    const { engine } = await replayJourney('deer-claim', [burden, survey]);
    expect(engine.findings({ kind: 'burden.escalated' }).map((f) => [f.details.level, f.detectedAt])).toEqual([
      [1, '2017-11-22T00:00:00.000Z'], // the tow promised for Tuesday did not come
      [2, '2017-11-30T16:00:00.000Z'],
      [3, '2018-01-13T00:00:00.000Z'], // the car promised back the week of the 8th was not
    ]);
    expect(engine.findings({ kind: 'burden.repeated-remedy' })).toMatchObject([{ details: { method: 'dealer-computer-reset', failures: 2 } }]);
  });
});
