import { describe, expect, it } from 'vitest';
import { feedback } from '../../src/policies/feedback.js';
import { policySpec, type SpecEvent } from '../../src/testing/index.js';
import { configErrors } from './config-errors.js';

const calendar = { timeZone: 'America/Denver', holidays: ['2017-11-23'] };
const spec = (options?: unknown) => policySpec(feedback, { calendar, ...(options === undefined ? {} : { options: options as never }) });

const received: SpecEvent = {
  id: 'fb',
  type: 'FeedbackReceived',
  at: '2017-11-21T10:00:00-07:00',
  data: { feedbackId: 'f1', channel: 'email', text: 'The survey has no way to reply.' },
};
const answered = (at: string): SpecEvent => ({ id: 'reply', type: 'FeedbackAnswered', at, data: { feedbackId: 'f1' } });

describe('feedback', () => {
  it('is flagged once, at replyWithin, found by the wake-up with no later event', async () => {
    // Tue 10:00 + two working days, skipping Thanksgiving = Fri 10:00.
    const outcome = await spec()
      .given([received])
      .at('2017-12-20')
      .thenFindings([
        {
          kind: 'feedback.unanswered',
          matterId: null,
          detectedAt: '2017-11-24T17:00:00.000Z',
          severity: 'breach',
          evidence: ['fb'],
          details: { feedbackId: 'f1', receivedAt: '2017-11-21T17:00:00.000Z', replyBy: '2017-11-24T17:00:00.000Z', answeredAt: null },
        },
      ]);
    expect(outcome.findings[0]?.message).toBe('Feedback the customer sent by email on Tue 21 Nov 2017 10:00 got no answer within 2 working days.');
    expect(outcome.summary).toEqual({ received: 1, answeredInTime: 0, answeredLate: 0, unanswered: 1, awaitingAnswer: 0 });
  });

  it('says the channel in plain words and names the matter by its title', async () => {
    const opened: SpecEvent = { type: 'MatterOpened', at: '2017-11-21T09:00:00-07:00', data: { matterId: 'call', title: 'Conference dropped when the organizer pressed mute' } };
    const web: SpecEvent = { ...received, data: { feedbackId: 'f1', matterId: 'call', channel: 'web' } };
    const outcome = await spec().given([opened, web]).at('2017-12-20').run();
    expect(outcome.findings[0]?.message).toBe(
      'Feedback the customer sent about "Conference dropped when the organizer pressed mute" through the website on Tue 21 Nov 2017 10:00 got no answer within 2 working days.',
    );
    const social = await spec().given([{ ...received, data: { feedbackId: 'f1', channel: 'social' } }]).at('2017-12-20').run();
    expect(social.findings[0]?.message).toBe('Feedback the customer sent on social media on Tue 21 Nov 2017 10:00 got no answer within 2 working days.');
    const visit = await spec().given([{ ...received, data: { feedbackId: 'f1', channel: 'visit' } }]).at('2017-12-20').run();
    expect(visit.findings[0]?.message).toBe('Feedback the customer sent in person on Tue 21 Nov 2017 10:00 got no answer within 2 working days.');
  });

  it('has no finding while it still has time, or when answered in time (even at the last moment)', async () => {
    await spec().given([received]).at('2017-11-24T09:59:00-07:00').thenNoFindings();
    const outcome = await spec().given([received, answered('2017-11-24T10:00:00-07:00')]).at('2017-12-20').thenNoFindings();
    expect(outcome.summary).toMatchObject({ answeredInTime: 1 });
  });

  it('a late answer updates the same finding rather than adding one', async () => {
    const outcome = await spec()
      .given([received])
      .when([answered('2017-11-27T09:00:00-07:00')])
      .at('2017-12-20')
      .thenFindings([{ detectedAt: '2017-11-24T17:00:00.000Z', evidence: ['fb', 'reply'], details: { answeredAt: '2017-11-27T16:00:00.000Z' } }]);
    expect(outcome.changes.map((c) => c.type)).toEqual(['created', 'updated']);
    expect(outcome.findings[0]?.message).toMatch(/; it was answered Mon 27 Nov 2017 09:00\.$/);
    expect(outcome.summary).toMatchObject({ answeredLate: 1, unanswered: 0 });
  });

  it('replyWithin on the calendar clock counts nights and holidays', async () => {
    await spec({ replyWithin: 'PT24H', clock: 'calendar' })
      .given([received])
      .at('2017-12-20')
      .thenFindings([{ detectedAt: '2017-11-22T17:00:00.000Z' }]);
  });

  it('a misspelt option is an error naming it', () => {
    expect(configErrors(feedback, { replyWithn: 'P1D' })).toEqual(['policies.feedback.replyWithn: unknown field (policies.feedback has replyWithin and clock). Did you mean "replyWithin"?']);
    expect(feedback.options.parse({})).toMatchObject({ replyWithin: { text: 'P2D' }, clock: 'business' });
  });
});
