import { describe, expect, it } from 'vitest';
import { Engine, type FindingChange } from '../../src/index.js';
import { inattention } from '../../src/policies/inattention.js';
import { policySpec, type SpecEvent } from '../../src/testing/index.js';
import { configErrors } from './config-errors.js';

// Denver, default business hours mon–fri 09:00–17:00, Thanksgiving off.
const calendar = { timeZone: 'America/Denver', holidays: ['2017-11-23'] };
const spec = (options?: unknown) => policySpec(inattention, { calendar, ...(options === undefined ? {} : { options: options as never }) });

const opened = (at: string, severity = 'normal', matterId = 'm1'): SpecEvent => ({
  id: `open-${matterId}`,
  type: 'MatterOpened',
  at,
  data: { matterId, title: 'Dishwasher repair', severity },
});
const contact = (id: string, at: string, direction: 'inbound' | 'outbound', extra: Record<string, unknown> = {}): SpecEvent => ({
  id,
  type: 'ContactMade',
  at,
  data: { matterId: 'm1', direction, channel: 'phone', ...extra },
});
const firstMatter = (summary: unknown) => (summary as { matters: unknown[] }).matters[0];
const status = (id: string, at: string, value: string): SpecEvent => ({ id, type: 'MatterStatusChanged', at, data: { matterId: 'm1', status: value } });

describe('inattention: when a gap opens', () => {
  it('opens when the silence passes maxSilence, found by the wake-up at that instant, not at the next event', async () => {
    // Mon 10:00 + two working days = Wed 10:00 (16 working hours).
    const outcome = await spec()
      .given([opened('2017-11-20T10:00:00-07:00')])
      .at('2017-11-22T12:00:00-07:00')
      .thenFindings([
        {
          kind: 'inattention.gap',
          matterId: 'm1',
          detectedAt: '2017-11-22T17:00:00.000Z',
          severity: 'warning',
          evidence: ['open-m1'],
          details: { since: '2017-11-20T17:00:00.000Z', until: null, silenceMinutes: 18 * 60, allowedMinutes: 16 * 60, clock: 'business', chases: 0 },
        },
      ]);
    expect(outcome.findings[0]?.message).toBe(
      'Nobody from the company has updated the customer on "Dishwasher repair" since Mon 20 Nov 2017 10:00 (18 working hours so far; 2 working days (16 working hours) allowed).',
    );
    expect(outcome.changes.map((c) => [c.type, c.finding.detectedAt])).toEqual([['created', '2017-11-22T17:00:00.000Z']]);
  });

  it('has no gap one minute before the deadline', async () => {
    await spec().given([opened('2017-11-20T10:00:00-07:00')]).at('2017-11-22T09:59:00-07:00').thenNoFindings();
  });

  it('counts business hours only across a weekend', async () => {
    // Fri 15:00: 2h Friday, nothing Sat/Sun, 8h Monday, 6h Tuesday → Tue 15:00.
    await spec().given([opened('2017-11-17T15:00:00-07:00')]).at('2017-11-21T14:59:00-07:00').thenNoFindings();
    await spec()
      .given([opened('2017-11-17T15:00:00-07:00')])
      .at('2017-11-21T15:30:00-07:00')
      .thenFindings([{ kind: 'inattention.gap', detectedAt: '2017-11-21T22:00:00.000Z', details: { silenceMinutes: 16 * 60 + 30, allowedMinutes: 16 * 60 } }]);
  });

  it('says the silence on the same clock as the allowance: working time beside working days, not a calendar span', async () => {
    // Fri 15:00 to Tue 15:30: four calendar days, but 16.5 working hours against 16 allowed.
    const outcome = await spec().given([opened('2017-11-17T15:00:00-07:00')]).at('2017-11-21T15:30:00-07:00').run();
    expect(outcome.findings[0]?.message).toBe(
      'Nobody from the company has updated the customer on "Dishwasher repair" since Fri 17 Nov 2017 15:00 (16 working hours 30 minutes so far; 2 working days (16 working hours) allowed).',
    );
    // On the calendar clock both are wall-clock time.
    const calendarClock = await spec({ clock: 'calendar' }).given([opened('2017-11-17T15:00:00-07:00')]).at('2017-11-21T15:30:00-07:00').run();
    expect(calendarClock.findings[0]?.message).toMatch(/\(4 days so far; 2 days allowed\)\.$/);
  });

  it('skips a holiday', async () => {
    // Wed 10:00 → Thanksgiving (Thu) off → Fri 10:00 → Mon 10:00.
    await spec()
      .given([opened('2017-11-22T10:00:00-07:00')])
      .at('2017-11-27T12:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-27T17:00:00.000Z', details: { allowedMinutes: 16 * 60, silenceMinutes: 18 * 60 } }]);
  });

  it('keeps business hours on the local clock across the spring DST change', async () => {
    // Fri 9 Mar 2018 15:00 MST + one working day = Mon 12 Mar 15:00 MDT, which is 21:00Z, not 22:00Z.
    await spec({ maxSilence: 'P1D' })
      .given([opened('2018-03-09T15:00:00-07:00')])
      .at('2018-03-12T16:00:00-06:00')
      .thenFindings([{ detectedAt: '2018-03-12T21:00:00.000Z', details: { allowedMinutes: 8 * 60, silenceMinutes: 9 * 60 } }]);
  });

  it('on the calendar clock, a day across the DST change is 23 hours', async () => {
    await spec({ maxSilence: 'P1D', clock: 'calendar' })
      .given([opened('2018-03-10T12:00:00-07:00')])
      .at('2018-03-11T13:00:00-06:00')
      .thenFindings([{ detectedAt: '2018-03-11T18:00:00.000Z', details: { clock: 'calendar', allowedMinutes: 23 * 60, silenceMinutes: 24 * 60 } }]);
  });

  it('opens at the next opening when the allowance runs out exactly at closing time', async () => {
    // Opened before hours Mon 07:25: one working day is all of Monday; it is passed on Tue 09:00.
    await spec({ maxSilence: 'P1D' }).given([opened('2017-11-20T07:25:00-07:00')]).at('2017-11-21T08:59:00-07:00').thenNoFindings();
    await spec({ maxSilence: 'P1D' })
      .given([opened('2017-11-20T07:25:00-07:00')])
      .at('2017-11-21T09:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-21T16:00:00.000Z', details: { allowedMinutes: 8 * 60, silenceMinutes: 8 * 60 } }]);
  });
});

describe('inattention: what counts as attention', () => {
  const mon = '2017-11-20T10:00:00-07:00';
  const tue = '2017-11-21T10:00:00-07:00';
  const wedNoon = '2017-11-22T12:00:00-07:00';

  it('an outbound update resets the silence', async () => {
    await spec().given([opened(mon), contact('c1', tue, 'outbound', { purpose: 'update' })]).at(wedNoon).thenNoFindings();
  });

  it('marketing, automated and survey messages never count as attention', async () => {
    for (const purpose of ['marketing', 'automated', 'survey']) {
      await spec()
        .given([opened(mon), contact('c1', tue, 'outbound', { purpose, channel: 'email' })])
        .at(wedNoon)
        .thenFindings([{ detectedAt: '2017-11-22T17:00:00.000Z', evidence: ['open-m1'] }]);
    }
  });

  it('an inbound contact is a chase: it does not close the gap, it is counted and cited', async () => {
    const outcome = await spec()
      .given([
        opened(mon),
        contact('chase-1', '2017-11-22T11:00:00-07:00', 'inbound', { purpose: 'chase' }),
        contact('chase-2', '2017-11-24T09:30:00-07:00', 'inbound', { purpose: 'question' }),
      ])
      .at('2017-11-24T12:00:00-07:00')
      .thenFindings([{ details: { until: null, chases: 2 }, evidence: ['open-m1', 'chase-1', 'chase-2'], severity: 'warning' }]);
    expect(outcome.findings[0]?.message).toMatch(/and the customer has chased twice\.$/);
  });

  it('the longer a gap grows past the allowance, the more severe: warning, then breach (2x), then critical (4x)', async () => {
    const at = async (instant: string) => (await spec().given([opened(mon)]).at(instant).run()).findings.map((f) => f.severity);
    expect(await at('2017-11-24T17:00:00-07:00')).toEqual(['warning']); // 31 working hours of 16
    expect(await at('2017-11-27T10:00:00-07:00')).toEqual(['breach']); // 32
    expect(await at('2017-11-30T17:00:00-07:00')).toEqual(['breach']); // 63
    expect(await at('2017-12-01T10:00:00-07:00')).toEqual(['critical']); // 64
  });

  it('the next attentive contact closes the gap with until, the silence and the chases', async () => {
    const outcome = await spec()
      .given([
        opened(mon),
        contact('chase-1', '2017-11-22T11:00:00-07:00', 'inbound', { purpose: 'chase' }),
        contact('call', '2017-11-22T15:00:00-07:00', 'outbound', { purpose: 'update' }),
      ])
      .at('2017-11-30T12:00:00-07:00')
      .thenFindings([
        {
          kind: 'inattention.gap',
          detectedAt: '2017-11-22T17:00:00.000Z',
          severity: 'warning',
          evidence: ['open-m1', 'chase-1', 'call'],
          details: { since: '2017-11-20T17:00:00.000Z', until: '2017-11-22T22:00:00.000Z', silenceMinutes: 21 * 60, allowedMinutes: 16 * 60, chases: 1 },
        },
        // The silence that began with the call became a gap of its own.
        { detectedAt: '2017-11-27T22:00:00.000Z', evidence: ['call'], details: { since: '2017-11-22T22:00:00.000Z', until: null } },
      ]);
    expect(outcome.findings[0]?.message).toBe(
      'Nobody from the company updated the customer on "Dishwasher repair" from Mon 20 Nov 2017 10:00 until Wed 22 Nov 2017 15:00 (21 working hours; 2 working days (16 working hours) allowed); the customer chased once.',
    );
  });

  it('states a closed gap\'s silence on the same clock as the allowance, as an open gap does', async () => {
    // Fri 15:00 to the next Tuesday 15:30: four calendar days, but 16.5 working hours against 16
    // allowed. "4 days; 2 working days allowed" would read as twice the allowance.
    const given = [opened('2017-11-17T15:00:00-07:00'), contact('call', '2017-11-21T15:30:00-07:00', 'outbound')];
    const business = await spec().given(given).at('2017-11-21T16:00:00-07:00').run();
    expect(business.findings[0]?.message).toBe(
      'Nobody from the company updated the customer on "Dishwasher repair" from Fri 17 Nov 2017 15:00 until Tue 21 Nov 2017 15:30 (16 working hours 30 minutes; 2 working days (16 working hours) allowed).',
    );
    // On the calendar clock both are wall-clock time.
    const calendarClock = await spec({ clock: 'calendar' }).given(given).at('2017-11-21T16:00:00-07:00').run();
    expect(calendarClock.findings[0]?.message).toMatch(/ until Tue 21 Nov 2017 15:30 \(4 days; 2 days allowed\)\.$/);
  });

  it('a contact that names no matter attends to every open matter', async () => {
    await spec()
      .given([
        opened(mon, 'normal', 'm1'),
        opened(mon, 'normal', 'm2'),
        { id: 'hello', type: 'ContactMade', at: tue, data: { direction: 'outbound', channel: 'phone', purpose: 'check-in' } },
      ])
      .at(wedNoon)
      .thenNoFindings();
  });

  it('with `parties`, only those parties count: the agent who never called', async () => {
    const events = [opened(mon), contact('office-call', tue, 'outbound', { purpose: 'update', party: 'national-claims' })];
    const outcome = await spec({ parties: ['agent'] })
      .given(events)
      .at(wedNoon)
      .thenFindings([{ detectedAt: '2017-11-22T17:00:00.000Z', details: { parties: ['agent'] } }]);
    expect(outcome.findings[0]?.message).toMatch(/^Nobody from agent has updated the customer/);
    await spec({ parties: ['agent'] }).given([...events, contact('agent-call', tue, 'outbound', { party: 'agent' })]).at(wedNoon).thenNoFindings();
  });
});

describe('inattention: pauses', () => {
  const events = (value: string) => [
    opened('2017-11-20T10:00:00-07:00'),
    status('wait', '2017-11-20T12:00:00-07:00', value),
    contact('reply', '2017-11-21T10:00:00-07:00', 'inbound', { purpose: 'answer' }),
    status('resume', '2017-11-22T10:00:00-07:00', 'in-progress'),
  ];

  it('waiting on the customer stops the clock: the deadline moves by the time paused', async () => {
    // 2h counted Monday; paused until Wed 10:00; the remaining 14h run Wed 10–17 and Fri 09–16.
    await spec().given(events('waiting-on-customer')).at('2017-11-24T15:59:00-07:00').thenNoFindings();
    await spec()
      .given(events('waiting-on-customer'))
      .at('2017-11-24T17:00:00-07:00')
      // The customer's reply while we waited on them is not a chase.
      .thenFindings([{ detectedAt: '2017-11-24T23:00:00.000Z', evidence: ['open-m1'], details: { chases: 0, allowedMinutes: 16 * 60, silenceMinutes: 17 * 60 } }]);
  });

  it('waiting on a third party does not stop it', async () => {
    await spec()
      .given(events('waiting-on-third-party'))
      .at('2017-11-22T12:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-22T17:00:00.000Z', details: { chases: 1 }, evidence: ['open-m1', 'reply'] }]);
  });

  it('a pause during an open gap stops it growing', async () => {
    const outcome = await spec()
      .given([opened('2017-11-20T10:00:00-07:00'), status('wait', '2017-11-22T12:00:00-07:00', 'waiting-on-customer')])
      .at('2017-12-20T12:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-22T17:00:00.000Z', details: { until: null, silenceMinutes: 18 * 60 } }]);
    expect(firstMatter(outcome.summary)).toMatchObject({ waitingOnCustomer: true, currentSilenceMinutes: 18 * 60, inGap: true });
  });
});

describe('inattention: severity, resolution and the relationship', () => {
  it('a resolved matter is no longer waiting on the customer in the summary (the gym member who sent her form)', async () => {
    const outcome = await spec()
      .given([
        opened('2017-11-20T10:00:00-07:00'),
        status('wait', '2017-11-20T11:00:00-07:00', 'waiting-on-customer'),
        { id: 'done', type: 'MatterResolved', at: '2017-11-27T10:00:00-07:00', data: { matterId: 'm1' } },
      ])
      .thenNoFindings();
    expect(firstMatter(outcome.summary)).toMatchObject({ open: false, waitingOnCustomer: false, currentSilenceMinutes: null });
  });

  it('severity tightens the allowed silence: critical tolerates four working hours, high one working day', async () => {
    const critical = await spec()
      .given([opened('2017-11-20T10:00:00-07:00', 'critical')])
      .at('2017-11-20T15:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-20T21:00:00.000Z', details: { allowedMinutes: 240 } }]);
    expect(critical.findings[0]?.message).toContain('(5 working hours so far; 4 working hours allowed)');
    await spec()
      .given([opened('2017-11-20T10:00:00-07:00', 'high')])
      .at('2017-11-21T11:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-21T17:00:00.000Z', details: { allowedMinutes: 8 * 60 } }]);
  });

  it('a severity limit never loosens maxSilence', async () => {
    await spec({ maxSilence: 'PT2H', severityLimits: { high: 'P5D' } })
      .given([opened('2017-11-20T10:00:00-07:00', 'high')])
      .at('2017-11-20T13:00:00-07:00')
      .thenFindings([{ detectedAt: '2017-11-20T19:00:00.000Z', details: { allowedMinutes: 120 } }]);
  });

  it('resolution closes the gap; reopening starts a new silence and a new gap', async () => {
    const outcome = await spec()
      .given([
        opened('2017-11-20T10:00:00-07:00'),
        { id: 'done', type: 'MatterResolved', at: '2017-11-22T13:00:00-07:00', data: { matterId: 'm1' } },
        { id: 'again', type: 'MatterReopened', at: '2017-11-27T10:00:00-07:00', data: { matterId: 'm1' } },
      ])
      .at('2017-11-29T11:00:00-07:00')
      .thenFindings([
        { detectedAt: '2017-11-22T17:00:00.000Z', evidence: ['open-m1', 'done'], details: { until: '2017-11-22T20:00:00.000Z', silenceMinutes: 19 * 60 } },
        { detectedAt: '2017-11-29T17:00:00.000Z', evidence: ['again'], details: { since: '2017-11-27T17:00:00.000Z', until: null } },
      ]);
    expect(firstMatter(outcome.summary)).toMatchObject({ gaps: 2, longestGapMinutes: 19 * 60, unattendedMinutes: 19 * 60 + 17 * 60, inGap: true });
  });

  it('the relationship ending closes the gap; nothing is counted until it starts again', async () => {
    await spec()
      .given([
        opened('2017-11-20T10:00:00-07:00'),
        { id: 'left', type: 'RelationshipEnded', at: '2017-11-22T13:00:00-07:00', data: {} },
      ])
      .at('2018-01-31T12:00:00-07:00')
      .thenFindings([{ evidence: ['open-m1', 'left'], details: { until: '2017-11-22T20:00:00.000Z' } }]);
  });

  it('summarises each matter: current silence, longest gap, unattended time, chases', async () => {
    await spec()
      .given([
        opened('2017-11-20T10:00:00-07:00'),
        contact('chase', '2017-11-22T11:00:00-07:00', 'inbound'),
        contact('call', '2017-11-22T15:00:00-07:00', 'outbound'),
      ])
      .at('2017-11-24T10:00:00-07:00')
      .thenSummary((summary) =>
        expect(summary).toEqual({
          clock: 'business',
          matters: [
            {
              matterId: 'm1',
              title: 'Dishwasher repair',
              severity: 'normal',
              open: true,
              waitingOnCustomer: false,
              currentSilenceMinutes: 2 * 60 + 60, // Wed 15–17, Fri 09–10
              allowedMinutes: 16 * 60,
              inGap: false,
              gaps: 1,
              longestGapMinutes: 21 * 60,
              unattendedMinutes: 21 * 60,
              chases: 1,
            },
          ],
        }),
      );
  });
});

describe('inattention: an open gap worsens as it happens, not only when read', () => {
  const engineWith = (options: Record<string, unknown>) => new Engine({ policies: [inattention], config: { calendar, policies: { inattention: options } } });
  const open = { customerId: 'c1', id: 'open', type: 'MatterOpened', data: { matterId: 'm1', title: 'Dishwasher repair' } };
  const brief = (c: FindingChange) => [c.type, c.finding.severity, c.finding.detectedAt, c.finding.details['silenceMinutes']];

  it('calendar clock: created as a warning, updated to breach at 2x and critical at 4x the allowance, by wake-ups', async () => {
    const engine = engineWith({ maxSilence: 'P1D', clock: 'calendar' });
    const heard: FindingChange[] = [];
    engine.on('finding', (change) => heard.push(change));
    await engine.record({ ...open, at: '2017-11-20T09:00:00Z' });
    const first = await engine.advanceTo('2017-11-21T09:00:00Z');
    expect(first.map(brief)).toEqual([['created', 'warning', '2017-11-21T09:00:00.000Z', 24 * 60]]);
    // The next change to hear about is the step to breach, at twice the allowance.
    expect(engine.nextWakeAt('c1')).toBe(Date.parse('2017-11-22T09:00:00Z'));
    const later = await engine.advanceTo('2017-11-25T09:00:00Z');
    expect(later.map(brief)).toEqual([
      ['updated', 'breach', '2017-11-21T09:00:00.000Z', 48 * 60],
      ['updated', 'critical', '2017-11-21T09:00:00.000Z', 96 * 60],
    ]);
    expect(later.map((c) => c.previous?.severity)).toEqual(['warning', 'breach']);
    expect(heard.map((c) => [c.type, c.finding.severity])).toEqual([
      ['created', 'warning'],
      ['updated', 'breach'],
      ['updated', 'critical'],
    ]);
    // Critical is the last step: nothing more to wake for.
    expect(engine.nextWakeAt('c1')).toBeUndefined();
    expect(engine.findings().map((f) => f.severity)).toEqual(['critical']);
  });

  it('business clock: the steps fall where the working time reaches 2x and 4x, across nights and weekends', async () => {
    // Mon 20 Nov 10:00 MST, one working day (8h) allowed: gap Tue 10:00, 16h at Wed 10:00,
    // 32h at Mon 27 10:00 (Thanksgiving Thu off, weekend off).
    const engine = engineWith({ maxSilence: 'P1D' });
    await engine.record({ ...open, at: '2017-11-20T10:00:00-07:00' });
    const changes = await engine.advanceTo('2017-12-01T00:00:00Z');
    expect(changes.map(brief)).toEqual([
      ['created', 'warning', '2017-11-21T17:00:00.000Z', 8 * 60],
      ['updated', 'breach', '2017-11-21T17:00:00.000Z', 16 * 60],
      ['updated', 'critical', '2017-11-21T17:00:00.000Z', 32 * 60],
    ]);
  });

  it('a pause holds the step back; resuming moves it by the time paused', async () => {
    const engine = engineWith({ maxSilence: 'P1D', clock: 'calendar' });
    await engine.record([
      { ...open, at: '2017-11-20T09:00:00Z' },
      { customerId: 'c1', id: 'wait', type: 'MatterStatusChanged', at: '2017-11-21T21:00:00Z', data: { matterId: 'm1', status: 'waiting-on-customer' } },
    ]);
    // The step to breach asked for before the pause comes and finds nothing to change.
    expect(await engine.advanceTo('2017-11-23T00:00:00Z')).toEqual([]);
    expect(engine.nextWakeAt('c1')).toBeUndefined();
    await engine.record({ customerId: 'c1', id: 'go', type: 'MatterStatusChanged', at: '2017-11-23T21:00:00Z', data: { matterId: 'm1', status: 'in-progress' } });
    // 36h counted before the pause; breach 12h after resuming.
    expect(engine.nextWakeAt('c1')).toBe(Date.parse('2017-11-24T09:00:00Z'));
    const changes = await engine.advanceTo('2017-11-24T09:00:00Z');
    expect(changes.map(brief)).toEqual([['updated', 'breach', '2017-11-21T09:00:00.000Z', 48 * 60]]);
  });
});

describe('inattention: options', () => {
  it('a misspelt or unknown option is an error naming it', () => {
    const errors = (policies: { inattention: unknown }) => configErrors(inattention, policies.inattention);
    expect(errors({ inattention: { maxSilense: 'P1D' } })).toEqual(['policies.inattention.maxSilense: unknown field (policies.inattention has maxSilence, clock, severityLimits and parties). Did you mean "maxSilence"?']);
    expect(errors({ inattention: { severityLimits: { urgent: 'PT1H' } } })).toEqual(['policies.inattention.severityLimits.urgent: unknown field (policies.inattention.severityLimits has low, normal, high and critical)']);
    expect(errors({ inattention: { clock: 'wall' } })[0]).toMatch(/^policies\.inattention\.clock: /);
    expect(errors({ inattention: { maxSilence: '2 days' } })[0]).toMatch(/^policies\.inattention\.maxSilence: expected an ISO-8601 duration/);
  });

  it('documents its defaults in the schema', () => {
    const defaults = inattention.options.parse({});
    expect(defaults).toMatchObject({ maxSilence: { text: 'P2D' }, clock: 'business', severityLimits: { high: { text: 'P1D' }, critical: { text: 'PT4H' } } });
    expect(defaults.parties).toBeUndefined();
  });
});
