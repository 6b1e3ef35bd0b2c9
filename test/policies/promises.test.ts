import { describe, expect, it } from 'vitest';
import { promises } from '../../src/policies/promises.js';
import { policySpec, type SpecEvent } from '../../src/testing/index.js';
import { configErrors } from './config-errors.js';

const calendar = { timeZone: 'America/Denver', holidays: ['2017-11-23'] };
const spec = (options?: unknown) => policySpec(promises, { calendar, ...(options === undefined ? {} : { options: options as never }) });

const made = (id: string, at: string, dueBy: string, extra: Record<string, unknown> = {}): SpecEvent => ({
  id: `made-${id}`,
  type: 'PromiseMade',
  at,
  data: { promiseId: id, what: 'Tow the car to the salvage yard', dueBy, ...extra },
});
const settle = (type: string, id: string, at: string, extra: Record<string, unknown> = {}): SpecEvent => ({
  id: `${type}-${id}-${at.slice(5, 10)}`,
  type,
  at,
  data: { promiseId: id, ...extra },
});

const MON = '2017-11-20T10:00:00-07:00';
const TUE_5PM = '2017-11-21T17:00:00-07:00';

describe('promises: due time passing', () => {
  it('is at risk at dueBy - warnBefore, then broken at dueBy, both found by wake-ups with no later event', async () => {
    const outcome = await spec()
      .given([made('tow', MON, TUE_5PM, { party: 'national-claims', importance: 'high' })])
      .at('2017-11-22T09:00:00-07:00')
      .thenFindings([
        {
          kind: 'promise.at-risk',
          detectedAt: '2017-11-21T20:00:00.000Z', // Tue 13:00 local
          severity: 'warning',
          evidence: ['made-tow'],
          details: { promiseId: 'tow', dueBy: '2017-11-22T00:00:00.000Z' },
        },
        {
          kind: 'promise.broken',
          detectedAt: '2017-11-22T00:00:00.000Z',
          severity: 'critical',
          evidence: ['made-tow'],
          details: { promiseId: 'tow', what: 'Tow the car to the salvage yard', dueBy: '2017-11-22T00:00:00.000Z', party: 'national-claims', explicit: false },
        },
      ]);
    expect(outcome.findings.map((f) => f.message)).toEqual([
      'The promise by national-claims "Tow the car to the salvage yard", due by Tue 21 Nov 2017 17:00, is not kept yet with 4 hours to go: call the customer now if it may be late.',
      'The promise by national-claims "Tow the car to the salvage yard" was due by Tue 21 Nov 2017 17:00 and had not been kept when that time passed.',
    ]);
  });

  it('is not yet broken one minute before its due time, and not broken when kept exactly at it', async () => {
    await spec({ warnBefore: 'PT0S' }).given([made('tow', MON, TUE_5PM)]).at('2017-11-21T16:59:00-07:00').thenNoFindings();
    await spec().given([made('tow', MON, TUE_5PM), settle('PromiseKept', 'tow', TUE_5PM)]).at('2017-11-25').thenFindings([{ kind: 'promise.at-risk' }]);
  });

  it('grace delays the break; a promise kept within grace is on time', async () => {
    await spec({ grace: 'PT1H', warnBefore: 'PT0S' }).given([made('tow', MON, TUE_5PM)]).at('2017-11-21T17:59:00-07:00').thenNoFindings();
    const outcome = await spec({ grace: 'PT1H', warnBefore: 'PT0S' })
      .given([made('tow', MON, TUE_5PM)])
      .at('2017-11-21T18:00:00-07:00')
      .thenFindings([{ kind: 'promise.broken', detectedAt: '2017-11-22T01:00:00.000Z' }]);
    expect(outcome.findings[0]?.message).toContain('was due by Tue 21 Nov 2017 17:00 (plus 1 hour of grace) and had not been kept');
    await spec({ grace: 'PT1H', warnBefore: 'PT0S' })
      .given([made('tow', MON, TUE_5PM), settle('PromiseKept', 'tow', '2017-11-21T17:30:00-07:00')])
      .at('2017-11-25')
      .thenSummary((s) => expect(s.promises[0]).toMatchObject({ status: 'kept', outcome: 'on-time', lateMinutes: 30 }));
  });

  it('kept after being broken: the broken finding stands and kept-late follows', async () => {
    const outcome = await spec({ warnBefore: 'PT0S' })
      .given([made('tow', MON, TUE_5PM, { party: 'national-claims' }), settle('PromiseKept', 'tow', '2017-11-22T11:00:00-07:00')])
      .at('2017-11-25')
      .thenFindings([
        { kind: 'promise.broken', detectedAt: '2017-11-22T00:00:00.000Z', evidence: ['made-tow'] },
        {
          kind: 'promise.kept-late',
          detectedAt: '2017-11-22T18:00:00.000Z',
          severity: 'warning',
          evidence: ['made-tow', 'PromiseKept-tow-11-22'],
          details: { promiseId: 'tow', dueBy: '2017-11-22T00:00:00.000Z', keptAt: '2017-11-22T18:00:00.000Z', lateMinutes: 18 * 60 },
        },
      ]);
    expect(outcome.findings[1]?.message).toBe(
      'The promise by national-claims "Tow the car to the salvage yard" was kept on Wed 22 Nov 2017 11:00, 18 hours after it was due (Tue 21 Nov 2017 17:00).',
    );
  });

  it('broken explicitly after its due time broke it: the same finding, updated with the event and its reason', async () => {
    const outcome = await spec({ warnBefore: 'PT0S' })
      .given([made('tow', MON, TUE_5PM), settle('PromiseBroken', 'tow', '2017-11-22T11:00:00-07:00', { reason: 'A storage fee was charged.' })])
      .at('2017-11-25')
      .thenFindings([
        {
          kind: 'promise.broken',
          detectedAt: '2017-11-22T00:00:00.000Z',
          evidence: ['made-tow', 'PromiseBroken-tow-11-22'],
          details: { promiseId: 'tow', explicit: false, reason: 'A storage fee was charged.' },
        },
      ]);
    expect(outcome.findings[0]?.message).toBe(
      'The company\'s promise "Tow the car to the salvage yard" was due by Tue 21 Nov 2017 17:00 and had not been kept when that time passed; it was then broken: A storage fee was charged.',
    );
  });

  it('a promise made inside the warning window is not flagged at risk (the maker knew)', async () => {
    await spec()
      .given([made('call', '2017-11-21T15:00:00-07:00', TUE_5PM), settle('PromiseKept', 'call', '2017-11-21T16:00:00-07:00')])
      .at('2017-11-25')
      .thenNoFindings();
  });

  it('warnBefore in days keeps the wall-clock time across DST', async () => {
    // Due Mon 12 Mar 2018 17:00 MDT; one day before is Sun 11 Mar 17:00 MDT (23 hours earlier).
    await spec({ warnBefore: 'P1D' })
      .given([made('p', '2018-03-08T10:00:00-07:00', '2018-03-12T17:00:00-06:00')])
      .at('2018-03-11T17:30:00-06:00')
      .thenFindings([{ kind: 'promise.at-risk', detectedAt: '2018-03-11T23:00:00.000Z' }]);
  });
});

describe('promises: revisions', () => {
  it('revised before its due time: renegotiated, the due time moves, and it is judged against the new one', async () => {
    const outcome = await spec()
      .given([
        made('repair', MON, TUE_5PM),
        settle('PromiseRevised', 'repair', '2017-11-21T10:00:00-07:00', { dueBy: '2017-11-28T17:00:00-07:00', reason: 'parts late' }),
        settle('PromiseKept', 'repair', '2017-11-28T14:00:00-07:00'),
      ])
      .at('2017-12-01')
      .thenFindings([
        // The old due time (Tue 17:00) is never at risk or broken; the new one is at risk at 13:00 and kept at 14:00.
        { kind: 'promise.at-risk', detectedAt: '2017-11-28T20:00:00.000Z', details: { dueBy: '2017-11-29T00:00:00.000Z' }, evidence: ['made-repair', 'PromiseRevised-repair-11-21'] },
      ]);
    expect(outcome.summary).toMatchObject({ promises: [{ status: 'kept', outcome: 'on-time', revisionsBeforeDue: 1, originalDueBy: '2017-11-22T00:00:00.000Z' }] });
  });

  it('revised after its due time: it stays broken, and keeping it later is late against the original due time', async () => {
    const outcome = await spec({ warnBefore: 'PT0S' })
      .given([
        made('repair', MON, TUE_5PM),
        settle('PromiseRevised', 'repair', '2017-11-22T10:00:00-07:00', { dueBy: '2017-11-28T17:00:00-07:00' }),
        settle('PromiseKept', 'repair', '2017-11-28T12:00:00-07:00'),
      ])
      .at('2017-12-01')
      .thenFindings([
        { kind: 'promise.broken', detectedAt: '2017-11-22T00:00:00.000Z' },
        { kind: 'promise.kept-late', details: { dueBy: '2017-11-22T00:00:00.000Z', lateMinutes: 6 * 24 * 60 + 19 * 60 } },
      ]);
    expect(outcome.summary).toMatchObject({ promises: [{ status: 'kept-late', revisionsBeforeDue: 0, revisionsAfterDue: 1 }] });
  });

  it('revised within grace, after its due time: the due time stays, and it breaks at dueBy + grace (CONTRACT §2)', async () => {
    const outcome = await spec({ grace: 'PT1H', warnBefore: 'PT0S' })
      .given([made('repair', MON, TUE_5PM), settle('PromiseRevised', 'repair', '2017-11-21T17:30:00-07:00', { dueBy: '2017-11-28T17:00:00-07:00' })])
      .at('2017-11-25')
      .thenFindings([{ kind: 'promise.broken', detectedAt: '2017-11-22T01:00:00.000Z', details: { dueBy: '2017-11-22T00:00:00.000Z' } }]);
    expect(outcome.summary).toMatchObject({ promises: [{ status: 'broken', dueBy: '2017-11-22T00:00:00.000Z', revisionsBeforeDue: 0, revisionsAfterDue: 1 }] });
  });

  it('revised exactly at its due time: not before it, so the due time stays', async () => {
    await spec({ grace: 'PT1H', warnBefore: 'PT0S' })
      .given([made('repair', MON, TUE_5PM), settle('PromiseRevised', 'repair', TUE_5PM, { dueBy: '2017-11-28T17:00:00-07:00' })])
      .at('2017-11-25')
      .thenFindings([{ kind: 'promise.broken', detectedAt: '2017-11-22T01:00:00.000Z', details: { dueBy: '2017-11-22T00:00:00.000Z' } }]);
    // A minute before it, the revision renegotiates.
    const outcome = await spec({ grace: 'PT1H', warnBefore: 'PT0S' })
      .given([made('repair', MON, TUE_5PM), settle('PromiseRevised', 'repair', '2017-11-21T16:59:00-07:00', { dueBy: '2017-11-28T17:00:00-07:00' })])
      .at('2017-11-25')
      .thenNoFindings();
    expect(outcome.summary).toMatchObject({ promises: [{ status: 'pending', dueBy: '2017-11-29T00:00:00.000Z', revisionsBeforeDue: 1 }] });
  });

  it('revised within grace, then kept within grace: on time against the original due time', async () => {
    const outcome = await spec({ grace: 'PT1H', warnBefore: 'PT0S' })
      .given([
        made('repair', MON, TUE_5PM),
        settle('PromiseRevised', 'repair', '2017-11-21T17:10:00-07:00', { dueBy: '2017-11-28T17:00:00-07:00' }),
        settle('PromiseKept', 'repair', '2017-11-21T17:45:00-07:00'),
      ])
      .at('2017-11-25')
      .thenNoFindings();
    expect(outcome.summary).toMatchObject({ promises: [{ status: 'kept', outcome: 'on-time', lateMinutes: 45, dueBy: '2017-11-22T00:00:00.000Z', revisionsAfterDue: 1 }] });
  });

  it('an at-risk warning for a due time, then a renegotiation, then the new due time is at risk too', async () => {
    await spec()
      .given([
        made('repair', MON, TUE_5PM),
        settle('PromiseRevised', 'repair', '2017-11-21T14:00:00-07:00', { dueBy: '2017-11-28T17:00:00-07:00' }),
      ])
      .at('2017-11-28T14:00:00-07:00')
      .thenFindings([
        { kind: 'promise.at-risk', detectedAt: '2017-11-21T20:00:00.000Z', details: { dueBy: '2017-11-22T00:00:00.000Z' } },
        { kind: 'promise.at-risk', detectedAt: '2017-11-28T20:00:00.000Z', details: { dueBy: '2017-11-29T00:00:00.000Z' } },
      ]);
  });
});

describe('promises: window promises ("between 8 and noon")', () => {
  const windowed = made('visit', MON, '2017-11-21T12:00:00-07:00', { windowStart: '2017-11-21T08:00:00-07:00', what: 'Technician visit between 8 and noon' });
  const keptAt = (at: string) => spec({ warnBefore: 'PT0S' }).given([windowed, settle('PromiseKept', 'visit', at)]).at('2017-11-25');

  it('kept early, before the window opened: recorded as early, no finding', async () => {
    const outcome = await keptAt('2017-11-21T07:30:00-07:00').thenNoFindings();
    expect(outcome.summary).toMatchObject({ keptEarly: 1, keptOnTime: 0, promises: [{ status: 'kept', outcome: 'early' }] });
  });

  it('kept in the window: on time', async () => {
    const outcome = await keptAt('2017-11-21T10:15:00-07:00').thenNoFindings();
    expect(outcome.summary).toMatchObject({ keptOnTime: 1, keepRate: 1, promises: [{ status: 'kept', outcome: 'on-time', lateMinutes: 0 }] });
  });

  it('kept after the window: broken at noon, then kept late', async () => {
    const outcome = await keptAt('2017-11-21T13:30:00-07:00').thenFindings([
      { kind: 'promise.broken', detectedAt: '2017-11-21T19:00:00.000Z', details: { windowStart: '2017-11-21T15:00:00.000Z' } },
      { kind: 'promise.kept-late', details: { lateMinutes: 90 } },
    ]);
    expect(outcome.findings[0]?.message).toContain('between Tue 21 Nov 2017 08:00 and Tue 21 Nov 2017 12:00');
  });
});

describe('promises: explicit breaks and cancellations', () => {
  it('broken explicitly: reported at once, with the reason', async () => {
    const outcome = await spec()
      .given([
        made('fee', MON, '2017-12-20T17:00:00-07:00', { what: 'No upgrade fee', party: 'store' }),
        settle('PromiseBroken', 'fee', '2017-11-22T10:00:00-07:00', { reason: 'The upgrade fee was charged anyway.' }),
      ])
      .at('2017-12-31')
      .thenFindings([
        {
          kind: 'promise.broken',
          detectedAt: '2017-11-22T17:00:00.000Z',
          severity: 'breach',
          evidence: ['made-fee', 'PromiseBroken-fee-11-22'],
          details: { promiseId: 'fee', explicit: true, reason: 'The upgrade fee was charged anyway.', dueBy: '2017-12-21T00:00:00.000Z', party: 'store' },
        },
      ]);
    expect(outcome.findings[0]?.message).toBe('The promise by store "No upgrade fee", due by Wed 20 Dec 2017 17:00, was broken: The upgrade fee was charged anyway.');
  });

  it('cancelled while pending: no longer owed, nothing to report', async () => {
    const outcome = await spec().given([made('tow', MON, TUE_5PM), settle('PromiseCancelled', 'tow', '2017-11-21T09:00:00-07:00')]).at('2017-11-25').thenNoFindings();
    expect(outcome.summary).toMatchObject({ cancelled: 1, keepRate: null, promises: [{ status: 'cancelled' }] });
  });

  it('cancelled after its due time passed: it stays broken', async () => {
    await spec({ warnBefore: 'PT0S' })
      .given([made('tow', MON, TUE_5PM), settle('PromiseCancelled', 'tow', '2017-11-22T09:00:00-07:00')])
      .at('2017-11-25')
      .thenSummary((s) => expect(s).toMatchObject({ broken: 1, cancelled: 0, promises: [{ status: 'broken', explicit: false }] }));
  });

  it('the lifecycle still guards the ledger: keeping a promise broken explicitly is rejected', async () => {
    await spec()
      .given([made('tow', MON, TUE_5PM), settle('PromiseBroken', 'tow', '2017-11-21T09:00:00-07:00'), settle('PromiseKept', 'tow', '2017-11-21T10:00:00-07:00')])
      .thenRejects({ rule: 'promise-settled' });
  });
});

describe('promises: summary', () => {
  it('groups keep rate and lateness by party: a broker represents the company too', async () => {
    await spec({ warnBefore: 'PT0S' })
      .given([
        made('a', MON, TUE_5PM, { party: 'expedia' }),
        made('b', MON, TUE_5PM, { party: 'body-shop' }),
        made('c', MON, '2017-11-22T17:00:00-07:00', { party: 'body-shop' }),
        made('d', MON, '2017-11-28T17:00:00-07:00'),
        settle('PromiseKept', 'b', '2017-11-21T12:00:00-07:00'),
        settle('PromiseKept', 'c', '2017-11-24T11:00:00-07:00'),
      ])
      .at('2017-11-25')
      .thenSummary((s) =>
        expect(s).toMatchObject({
          made: 4,
          pending: 1,
          keptOnTime: 1,
          keptLate: 1,
          broken: 1,
          keepRate: 0.333,
          byParty: {
            'body-shop': { made: 2, keptOnTime: 1, keptLate: 1, broken: 0, keepRate: 0.5, lateMinutesTotal: 42 * 60, lateMinutesMax: 42 * 60 },
            expedia: { made: 1, broken: 1, keepRate: 0 },
            unattributed: { made: 1, pending: 1, keepRate: null },
          },
        }),
      );
  });

  it('lists parties in a stable order', async () => {
    const outcome = await spec()
      .given([made('z', MON, TUE_5PM, { party: 'zeta' }), made('a', MON, TUE_5PM, { party: 'alpha' })])
      .run();
    expect(Object.keys((outcome.summary as { byParty: object }).byParty)).toEqual(['alpha', 'zeta']);
  });
});

describe('promises: options', () => {
  it('a misspelt option is an error naming it', () => {
    expect(configErrors(promises, { warnBefor: 'PT1H', grace: 'soon' })).toEqual([
      'policies.promises.grace: expected an ISO-8601 duration such as PT4H or P2D',
      'policies.promises.warnBefor: unknown field (policies.promises has grace and warnBefore). Did you mean "warnBefore"?',
    ]);
  });

  it('defaults: no grace, warn four hours ahead', () => {
    expect(promises.options.parse({})).toMatchObject({ grace: { text: 'PT0S' }, warnBefore: { text: 'PT4H' } });
  });
});
