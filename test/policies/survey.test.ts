import { describe, expect, it } from 'vitest';
import { survey } from '../../src/policies/survey.js';
import { policySpec } from '../../src/testing/index.js';
import { attempt, opened, promise, reopened, resolved } from './burden-helpers.js';

const spec = policySpec(survey);
const sent = (at: string, surveyId: string, extra: Record<string, unknown> = {}, id?: string) => ({
  ...(id ? { id } : {}),
  type: 'SurveySent',
  at,
  data: { surveyId, ...extra },
});
const ended = (at: string, id?: string) => ({ ...(id ? { id } : {}), type: 'RelationshipEnded', at, data: {} });
const repaired = [opened('2024-03-01T09:00:00Z'), resolved('2024-03-05T10:00:00Z', 'm', 'fixed')];

describe('survey.due', () => {
  it('opens settleAfter after the resolution and closes answerWindow later', async () => {
    await spec.given(repaired).at('2024-03-06T09:59:59Z').thenNoFindings();
    await spec
      .given(repaired)
      .at('2024-03-06T10:00:00Z')
      .thenFindings([
        {
          kind: 'survey.due',
          matterId: 'm',
          detectedAt: '2024-03-06T10:00:00.000Z',
          severity: 'info',
          evidence: ['fixed'],
          details: { opensAt: '2024-03-06T10:00:00.000Z', closesAt: '2024-03-20T10:00:00.000Z', reason: 'resolved', surveyId: null },
        },
      ]);
  });

  it('names the matter by its title when it has one, by its id otherwise', async () => {
    const titled = { type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Dishwasher repair' } };
    const withTitle = await spec.given([titled, resolved('2024-03-05T10:00:00Z', 'm', 'fixed')]).at('2024-03-07T00:00:00Z').run();
    expect(withTitle.findings.map((f) => f.message)).toEqual([
      'Ask the customer about "Dishwasher repair" between Wed 6 Mar 2024 10:00 and Wed 20 Mar 2024 10:00: it has been resolved and settled with no promise pending.',
    ]);
    // Reopened and resolved again, it keeps the title it was opened with.
    const again = await spec
      .given([titled, resolved('2024-03-05T10:00:00Z'), reopened('2024-03-05T12:00:00Z'), resolved('2024-03-09T10:00:00Z')])
      .at('2024-03-11T00:00:00Z')
      .run();
    expect(again.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^Ask the customer about "Dishwasher repair" between Sun 10 Mar 2024 /)]);
    const withoutTitle = await spec.given(repaired).at('2024-03-07T00:00:00Z').run();
    expect(withoutTitle.findings.map((f) => f.message)).toEqual([
      'Ask the customer about matter m between Wed 6 Mar 2024 10:00 and Wed 20 Mar 2024 10:00: it has been resolved and settled with no promise pending.',
    ]);
  });

  it('takes settleAfter and answerWindow from the options', async () => {
    await policySpec(survey, { options: { settleAfter: 'PT4H', answerWindow: 'P3D' } })
      .given(repaired)
      .at('2024-03-10T00:00:00Z')
      .thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-05T14:00:00.000Z', closesAt: '2024-03-08T14:00:00.000Z' } }]);
  });

  it('is cancelled when the matter reopens before it opens', async () => {
    await spec.given([...repaired, reopened('2024-03-05T20:00:00Z')]).at('2024-03-30T00:00:00Z').thenNoFindings();
  });

  it('is cut short when the matter reopens after it opened', async () => {
    await spec
      .given([...repaired, reopened('2024-03-08T12:00:00Z')])
      .at('2024-03-30T00:00:00Z')
      .thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-06T10:00:00.000Z', closesAt: '2024-03-08T12:00:00.000Z' } }]);
  });

  it('opens after a reopened matter is resolved again, from the new resolution', async () => {
    await spec
      .given([...repaired, reopened('2024-03-05T20:00:00Z'), resolved('2024-03-09T10:00:00Z')])
      .at('2024-03-30T00:00:00Z')
      .thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-10T10:00:00.000Z' } }]);
  });

  it('waits while a promise on the matter is pending: opens when it is kept, or when it falls due', async () => {
    const refund = promise('2024-03-05T10:00:00Z', 'refund', '2024-03-12T17:00:00Z', { matterId: 'm' });
    await spec
      .given([...repaired, refund, { type: 'PromiseKept', at: '2024-03-08T12:00:00Z', data: { promiseId: 'refund' } }])
      .at('2024-03-30T00:00:00Z')
      .thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-08T12:00:00.000Z' } }]);
    await spec.given([...repaired, refund]).at('2024-03-30T00:00:00Z').thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-12T17:00:00.000Z' } }]);
    // A promise on another matter does not hold it back.
    await spec
      .given([...repaired, opened('2024-03-05T09:00:00Z', 'other'), promise('2024-03-05T10:00:00Z', 'x', '2024-03-20T17:00:00Z', { matterId: 'other' })])
      .at('2024-03-30T00:00:00Z')
      .thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-06T10:00:00.000Z' } }]);
  });

  it('a revision exactly at the due time does not move it: the promise fell due, not renegotiated (CONTRACT §2)', async () => {
    const refund = promise('2024-03-05T10:00:00Z', 'refund', '2024-03-12T17:00:00Z', { matterId: 'm' });
    const revised = (at: string) => ({ type: 'PromiseRevised', at, data: { promiseId: 'refund', dueBy: '2024-03-20T17:00:00Z' } });
    await spec.given([...repaired, refund, revised('2024-03-12T17:00:00Z')]).at('2024-03-30T00:00:00Z').thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-12T17:00:00.000Z' } }]);
    // A minute before it, the revision renegotiates: the survey waits for the new due time.
    await spec.given([...repaired, refund, revised('2024-03-12T16:59:00Z')]).at('2024-03-30T00:00:00Z').thenFindings([{ kind: 'survey.due', details: { opensAt: '2024-03-20T17:00:00.000Z' } }]);
  });

  it('waits for the cooldown after the previous survey', async () => {
    await spec
      .given([opened('2024-03-01T09:00:00Z'), sent('2024-03-02T09:00:00Z', 'early', { matterId: 'm' }), resolved('2024-03-05T10:00:00Z')])
      .at('2024-04-30T00:00:00Z')
      .thenFindings([{ kind: 'survey.mistimed' }, { kind: 'survey.due', details: { opensAt: '2024-04-01T09:00:00.000Z' } }]);
  });

  it('notes the survey sent in the window, which is well timed', async () => {
    await spec
      .given([...repaired, sent('2024-03-07T09:00:00Z', 'csat', { matterId: 'm', expiresAt: '2024-03-14T09:00:00Z' }), ended('2024-03-20T09:00:00Z')])
      .thenFindings([{ kind: 'survey.due', details: { surveyId: 'csat', closesAt: '2024-03-20T09:00:00.000Z' } }]);
  });

  it('is not raised when the customer left before it opened', async () => {
    await spec.given([...repaired, ended('2024-03-05T12:00:00Z')]).at('2024-03-30T00:00:00Z').thenFindings([{ kind: 'survey.too-late' }]);
  });
});

describe('survey.mistimed', () => {
  const reasonsOf = (findings: readonly { kind: string; details: Record<string, unknown> }[]) =>
    findings.filter((f) => f.kind === 'survey.mistimed').map((f) => f.details.reasons);

  it('matter-open: sent about a matter still open', async () => {
    await spec
      .given([opened('2024-03-01T09:00:00Z', 'm'), sent('2024-03-02T09:00:00Z', 's', { matterId: 'm' }, 's-sent')])
      .thenFindings([{ kind: 'survey.mistimed', matterId: 'm', severity: 'warning', evidence: ['s-sent', 'customer-1:1'], details: { surveyId: 's', reasons: ['matter-open'] } }]);
  });

  it('matter-open, for a survey about no matter: worded for the customer\'s open matters, not "the matter it asks about"', async () => {
    const about = await spec.given([opened('2024-03-01T09:00:00Z', 'm'), sent('2024-03-02T09:00:00Z', 's', { matterId: 'm' })]).run();
    expect(about.findings[0]?.message).toBe('Survey "s" about matter m was sent at the wrong moment: the matter was still open.');
    const general = await spec
      .given([opened('2024-03-01T09:00:00Z', 'm'), sent('2024-03-02T09:00:00Z', 'nps', { expiresAt: '2024-03-05T09:00:00Z' })])
      .at('2024-03-06T00:00:00Z')
      .run();
    expect(general.findings[0]?.message).toBe(
      'Survey "nps" was sent at the wrong moment: the customer still had a matter open and it expired with a matter still unresolved.',
    );
  });

  it('names the matter a survey asks about by its title', async () => {
    const titled = { type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Deer collision: 2017 Subaru Outback' } };
    const outcome = await spec.given([titled, sent('2024-03-02T09:00:00Z', 'claim-handling', { matterId: 'm' })]).run();
    expect(outcome.findings[0]?.message).toBe(
      'Survey "claim-handling" about "Deer collision: 2017 Subaru Outback" was sent at the wrong moment: the matter was still open.',
    );
  });

  it('promise-pending: sent after resolution while a promise on the matter is still owed', async () => {
    await spec
      .given([...repaired, promise('2024-03-05T10:00:00Z', 'refund', '2024-03-30T17:00:00Z', { matterId: 'm' }), sent('2024-03-07T09:00:00Z', 's', { matterId: 'm' })])
      .thenFindings([{ kind: 'survey.mistimed', details: { reasons: ['promise-pending'] } }]);
  });

  it('expires-before-resolution: known at the expiry, added to the same finding', async () => {
    const given = [opened('2024-03-01T09:00:00Z'), sent('2024-03-02T09:00:00Z', 's', { matterId: 'm', expiresAt: '2024-03-12T09:00:00Z' })];
    await spec.given(given).at('2024-03-12T08:59:00Z').thenFindings([{ kind: 'survey.mistimed', severity: 'warning', details: { reasons: ['matter-open'] } }]);
    await spec
      .given(given)
      .at('2024-03-12T09:00:00Z')
      .thenFindings([{ kind: 'survey.mistimed', detectedAt: '2024-03-02T09:00:00.000Z', severity: 'breach', details: { reasons: ['matter-open', 'expires-before-resolution'], expiresAt: '2024-03-12T09:00:00.000Z' } }]);
    // Resolved before the expiry: the customer could still answer about the outcome.
    const outcome = await spec.given([...given, resolved('2024-03-10T09:00:00Z')]).at('2024-03-13T00:00:00Z').run();
    expect(reasonsOf(outcome.findings)).toEqual([['matter-open']]);
  });

  it('too-soon-after-previous: within the cooldown of the last survey', async () => {
    const outcome = await spec.given([...repaired, sent('2024-03-07T09:00:00Z', 'a'), sent('2024-03-17T09:00:00Z', 'b')]).run();
    expect(reasonsOf(outcome.findings)).toEqual([['too-soon-after-previous']]);
    const later = await policySpec(survey, { options: { cooldown: 'P7D' } }).given([...repaired, sent('2024-03-07T09:00:00Z', 'a'), sent('2024-03-17T09:00:00Z', 'b')]).run();
    expect(reasonsOf(later.findings)).toEqual([]);
  });

  it('after-relationship-ended: sent to a customer who already left', async () => {
    const outcome = await spec.given([...repaired, sent('2024-03-07T09:00:00Z', 'a'), ended('2024-04-20T09:00:00Z', 'left'), sent('2024-04-21T09:00:00Z', 'why', {}, 'why-sent')]).run();
    expect(outcome.findings.filter((f) => f.kind === 'survey.mistimed')).toMatchObject([
      { details: { surveyId: 'why', reasons: ['after-relationship-ended'] }, evidence: ['why-sent', 'left'] },
    ]);
  });

  it('lists every applicable reason together, in the contract order', async () => {
    await spec
      .given([
        opened('2024-03-01T09:00:00Z'),
        promise('2024-03-01T10:00:00Z', 'repair', '2024-04-30T17:00:00Z', { matterId: 'm' }),
        sent('2024-03-02T09:00:00Z', 'first', { matterId: 'm' }),
        ended('2024-03-03T09:00:00Z'),
        sent('2024-03-04T09:00:00Z', 'second', { matterId: 'm', expiresAt: '2024-03-10T09:00:00Z' }),
      ])
      .at('2024-03-11T00:00:00Z')
      .thenFindings([
        { kind: 'survey.mistimed', details: { surveyId: 'first', reasons: ['matter-open', 'promise-pending'] } },
        { kind: 'survey.too-late' },
        {
          kind: 'survey.mistimed',
          severity: 'breach',
          details: {
            surveyId: 'second',
            reasons: ['matter-open', 'promise-pending', 'expires-before-resolution', 'too-soon-after-previous', 'after-relationship-ended'],
          },
        },
      ]);
  });

  it('checks a survey without a matter against the whole relationship', async () => {
    const outcome = await spec
      .given([...repaired, opened('2024-03-06T09:00:00Z', 'other'), sent('2024-03-07T09:00:00Z', 'nps'), sent('2024-03-07T09:00:00Z', 'about-m', { matterId: 'm' })])
      .run();
    expect(outcome.findings.filter((f) => f.kind === 'survey.mistimed').map((f) => [f.details.surveyId, f.details.reasons])).toEqual([
      ['about-m', ['too-soon-after-previous']],
      ['nps', ['matter-open']],
    ]);
  });
});

describe('survey.too-late', () => {
  it('is raised when the customer leaves and nobody asked since the last resolved matter', async () => {
    await spec
      .given([...repaired, ended('2024-03-20T09:00:00Z', 'left')])
      .thenFindings([
        { kind: 'survey.due', details: { closesAt: '2024-03-20T09:00:00.000Z' } },
        {
          kind: 'survey.too-late',
          matterId: null,
          detectedAt: '2024-03-20T09:00:00.000Z',
          severity: 'breach',
          evidence: ['fixed', 'left'],
          details: { endedAt: '2024-03-20T09:00:00.000Z', lastResolvedAt: '2024-03-05T10:00:00.000Z', mistimedSurveys: [] },
        },
      ]);
  });

  it('names the last resolved matter by its title', async () => {
    const titled = { type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Cancel the membership' } };
    const outcome = await spec.given([titled, resolved('2024-03-05T10:00:00Z'), ended('2024-03-20T09:00:00Z')]).run();
    expect(outcome.findings.find((f) => f.kind === 'survey.too-late')?.message).toBe(
      'The customer left on Wed 20 Mar 2024 and nobody asked after "Cancel the membership" was resolved on Tue 5 Mar 2024, while the answer still mattered.',
    );
  });

  it('counts only well-timed surveys: a mistimed one is named, not accepted', async () => {
    await spec
      .given([opened('2024-03-01T09:00:00Z'), sent('2024-03-02T09:00:00Z', 'mid', { matterId: 'm' }), resolved('2024-03-05T10:00:00Z'), ended('2024-03-20T09:00:00Z')])
      .thenFindings([{ kind: 'survey.mistimed' }, { kind: 'survey.too-late', details: { mistimedSurveys: ['mid'] } }]);
  });

  it('is not raised after a well-timed survey, or for a customer who never had a matter', async () => {
    await spec.given([...repaired, sent('2024-03-07T09:00:00Z', 'csat', { matterId: 'm' }), ended('2024-04-20T09:00:00Z')]).thenFindings([{ kind: 'survey.due' }]);
    await spec.given([{ type: 'RelationshipStarted', at: '2024-01-01', data: {} }, ended('2024-04-20T09:00:00Z')]).thenNoFindings();
  });

  it('is raised when the customer leaves with a matter still open and never asked', async () => {
    await spec
      .given([opened('2024-03-01T09:00:00Z'), ended('2024-03-20T09:00:00Z')])
      .thenFindings([{ kind: 'survey.too-late', details: { lastResolvedAt: null } }]);
  });
});

describe('check-in survey.due (opt-in)', () => {
  const checkIn = policySpec(survey, { options: { checkIn: { enabled: true } } });
  const longRepair = [opened('2024-03-01T09:00:00Z', 'm'), attempt('2024-03-04T10:00:00Z', 'failed', {}, 'fail')];

  it('opens once a long matter shows risk, and closes at resolution', async () => {
    await checkIn
      .given([...longRepair, resolved('2024-03-28T09:00:00Z', 'm', 'done')])
      .at('2024-03-28T12:00:00Z')
      .thenFindings([
        {
          kind: 'survey.due',
          detectedAt: '2024-03-22T09:00:00.000Z',
          evidence: ['customer-1:1', 'fail', 'done'],
          details: { reason: 'check-in', opensAt: '2024-03-22T09:00:00.000Z', closesAt: '2024-03-28T09:00:00.000Z' },
        },
      ]);
  });

  it('opens at the risk when the matter is already long, e.g. a promise falling due unkept', async () => {
    await checkIn
      .given([opened('2024-03-01T09:00:00Z'), promise('2024-03-20T09:00:00Z', 'parts', '2024-03-25T17:00:00Z', { matterId: 'm' })])
      .at('2024-03-26T00:00:00Z')
      .thenFindings([{ kind: 'survey.due', details: { reason: 'check-in', opensAt: '2024-03-25T17:00:00.000Z' } }]);
  });

  it('is not raised without risk, nor when not enabled', async () => {
    await checkIn.given([opened('2024-03-01T09:00:00Z')]).at('2024-04-30T00:00:00Z').thenNoFindings();
    await spec.given(longRepair).at('2024-04-30T00:00:00Z').thenNoFindings();
  });

  it('a check-in survey that expires before the resolution is mistimed from its expiry, not from its sending', async () => {
    const given = [...longRepair, sent('2024-03-23T09:00:00Z', 'how-is-it-going', { matterId: 'm', expiresAt: '2024-03-26T09:00:00Z' }, 'ask')];
    await checkIn.given(given).at('2024-03-26T08:59:00Z').thenFindings([{ kind: 'survey.due', details: { surveyId: 'how-is-it-going' } }]);
    const outcome = await checkIn.given(given).at('2024-03-26T09:00:00Z').run();
    expect(outcome.findings.filter((f) => f.kind === 'survey.mistimed')).toMatchObject([
      {
        detectedAt: '2024-03-26T09:00:00.000Z',
        severity: 'warning',
        evidence: ['ask', 'customer-1:1'],
        details: { surveyId: 'how-is-it-going', reasons: ['expires-before-resolution'], sentAt: '2024-03-23T09:00:00.000Z', expiresAt: '2024-03-26T09:00:00.000Z' },
      },
    ]);
    expect(outcome.changes.filter((c) => c.finding.kind === 'survey.mistimed').map((c) => c.type)).toEqual(['created']);
  });

  it('makes a survey inside the check-in window not mistimed for the open matter', async () => {
    const outcome = await checkIn.given([...longRepair, sent('2024-03-23T09:00:00Z', 'how-is-it-going', { matterId: 'm' })]).at('2024-03-24T00:00:00Z').run();
    expect(outcome.findings.map((f) => [f.kind, f.details.surveyId])).toEqual([['survey.due', 'how-is-it-going']]);
  });
});

describe('survey options', () => {
  it('rejects misspelt options, naming them', async () => {
    // @ts-expect-error a misspelt option is a type error too; this is the check at run time (JavaScript, options read from JSON)
    await expect(policySpec(survey, { options: { settleAftr: 'P1D' } }).given([]).run()).rejects.toThrow(/policies\.survey\.settleAftr: unknown field/);
    // @ts-expect-error at any depth
    await expect(policySpec(survey, { options: { checkIn: { enabeld: true } } }).given([]).run()).rejects.toThrow(/policies\.survey\.checkIn\.enabeld: unknown field/);
    // @ts-expect-error a duration is ISO-8601 text
    await expect(policySpec(survey, { options: { cooldown: 30 } }).given([]).run()).rejects.toThrow(/policies\.survey\.cooldown/);
  });
});

describe('survey: events tied at one instant', () => {
  it('judges a survey after everything else at its instant, whichever was appended first', async () => {
    const keep = { type: 'PromiseKept', at: '2024-03-07T09:00:00Z', data: { promiseId: 'refund' } };
    const csat = sent('2024-03-07T09:00:00Z', 'csat', { matterId: 'm' });
    const given = [...repaired, promise('2024-03-05T10:00:00Z', 'refund', '2024-03-30T17:00:00Z', { matterId: 'm' })];
    const one = await spec.given([...given, csat, keep]).run();
    const other = await spec.given([...given, keep]).when([csat]).run();
    expect(JSON.stringify(other.engine.snapshot())).toBe(JSON.stringify(one.engine.snapshot()));
    // The promise was kept at that very instant: nothing was pending when the survey was judged.
    expect(one.findings.filter((f) => f.kind === 'survey.mistimed')).toEqual([]);
  });
});
