import { describe, expect, it } from 'vitest';
import { burden } from '../../src/policies/burden.js';
import { policySpec } from '../../src/testing/index.js';
import { attempt, inbound, opened, promise, resolved, task } from './burden-helpers.js';

const spec = policySpec(burden);
const points = (drivers: readonly { points: number }[]) => Math.round(drivers.reduce((s, d) => s + d.points, 0) * 10) / 10;

describe('burden.escalated', () => {
  it('does not escalate one plain failed ten-minute remote session', async () => {
    const outcome = await spec
      .given([opened('2024-03-01T09:00:00Z'), attempt('2024-03-01T10:00:00Z', 'failed', { customerEffortMinutes: 10 })])
      .thenNoFindings();
    expect(outcome.summary).toMatchObject({ level: 0, score: 4.2 });
  });

  it('escalates on the second failure of a matter, naming the level and drivers that add up to the score', async () => {
    const outcome = await spec
      .given([
        opened('2024-03-01T09:00:00Z'),
        attempt('2024-03-01T10:00:00Z', 'failed', {}, 'a1'),
        attempt('2024-03-02T10:00:00Z', 'failed', {}, 'a2'),
        attempt('2024-03-03T10:00:00Z', 'failed', {}, 'a3'),
      ])
      .thenFindings([
        {
          kind: 'burden.escalated',
          matterId: 'm',
          detectedAt: '2024-03-02T10:00:00.000Z',
          severity: 'warning',
          evidence: ['a1', 'a2'],
          details: {
            level: 1,
            threshold: 10,
            score: 11,
            drivers: [
              { driver: 'failed-attempt', amount: 2, unit: 'attempts', points: 8 },
              { driver: 'repeat-failure', amount: 1, unit: 'attempts', points: 3 },
            ],
            matters: [{ matterId: 'm', score: 11 }],
          },
        },
        { kind: 'burden.repeated-remedy' },
      ]);
    // The third failure compounds: 3 × 4 + (3 + 6) = 21.
    expect(outcome.summary).toMatchObject({ score: 21, level: 1 });
  });

  it('words a driver worth exactly one point in the singular', async () => {
    const outcome = await spec
      .given([opened('2024-03-01T09:00:00Z'), attempt('2024-03-01T10:00:00Z', 'failed'), attempt('2024-03-02T10:00:00Z', 'failed', { downtimeHours: 48 })])
      .run();
    expect(outcome.findings.find((f) => f.kind === 'burden.escalated')?.message).toBe(
      "The customer's burden reached level 1 (score 12, threshold 10) over the last 180 days: failed-attempt: 2 attempts (8 points), repeat-failure: 1 attempt (3 points), downtime: 48 hours (1 point).",
    );
  });

  it('raises severity faster on failures than on elapsed time: ten days without the thing stays below the first level', async () => {
    await spec
      .given([opened('2024-03-01T09:00:00Z'), attempt('2024-03-11T09:00:00Z', 'succeeded', { downtimeHours: 240 })])
      .thenNoFindings();
    await spec
      .given([opened('2024-03-01T09:00:00Z'), ...['01', '02', '03'].map((d) => attempt(`2024-03-${d}T10:00:00Z`, 'failed'))])
      .thenFindings([{ kind: 'burden.escalated' }, { kind: 'burden.repeated-remedy' }]);
  });

  it('weighs downtime by the matter severity', async () => {
    const normal = await spec.given([opened('2024-03-01T09:00:00Z'), attempt('2024-03-02T09:00:00Z', 'succeeded', { downtimeHours: 48 })]).run();
    const critical = await spec
      .given([opened('2024-03-01T09:00:00Z', 'm', 'critical'), attempt('2024-03-02T09:00:00Z', 'succeeded', { downtimeHours: 48 })])
      .run();
    expect(normal.summary).toMatchObject({ score: 1, drivers: [{ driver: 'downtime', amount: 48, unit: 'hours', points: 1 }] });
    expect(critical.summary).toMatchObject({ score: 2 });
  });

  it('counts every driver with its documented default weight', async () => {
    const outcome = await spec
      .given([
        opened('2024-03-01T09:00:00Z'),
        inbound('2024-03-01T09:05:00Z', { matterId: 'm', channel: 'web', durationMinutes: 30 }),
        inbound('2024-03-01T10:00:00Z', { matterId: 'm', waitMinutes: 60, transfers: 3, durationMinutes: 30 }),
        inbound('2024-03-02T10:00:00Z', { matterId: 'm', purpose: 'chase' }),
        task('2024-03-02T10:05:00Z', { matterId: 'm', repeat: true, effortMinutes: 60 }),
        attempt('2024-03-03T10:00:00Z', 'partial', { customerEffortMinutes: 60 }),
        attempt('2024-03-04T10:00:00Z', 'worsened'),
        promise('2024-03-04T11:00:00Z', 'callback', '2024-03-05T11:00:00Z', { matterId: 'm', importance: 'high' }),
      ])
      .at('2024-03-06T00:00:00Z')
      .run();
    const summary = outcome.summary;
    if (summary === undefined) throw new Error('no burden summary');
    const byDriver = Object.fromEntries(summary.drivers.map((d) => [d.driver, [d.amount, d.points]]));
    expect(byDriver).toEqual({
      'worsened-attempt': [1, 6],
      transfer: [3, 6],
      'broken-promise': [1, 6], // overdue, high importance: 4 × 1.5
      'customer-effort': [3, 3], // 30 + 30 minutes of calls, a 60-minute task, 60 minutes of the partial fix
      'repeat-failure': [1, 3],
      'repeated-request': [1, 3],
      chase: [1, 3],
      hold: [1, 2],
      'partial-attempt': [1, 2],
      'channel-switch': [1, 2], // web, then phone; the chase was on the phone again
      'repeat-contact': [1, 1.5], // the second call; the chase is counted as a chase
    });
    expect(summary.score).toBe(points(summary.drivers));
    expect(summary.score).toBe(37.5);
  });

  it('counts a broken promise when its due time passes unkept, at that instant', async () => {
    await policySpec(burden, { options: { levels: [6] } })
      .given([opened('2024-03-01T09:00:00Z'), promise('2024-03-01T09:30:00Z', 'tow', '2024-03-02T17:00:00Z', { matterId: 'm', importance: 'high' })])
      .at('2024-03-03T00:00:00Z')
      .thenFindings([{ kind: 'burden.escalated', detectedAt: '2024-03-02T17:00:00.000Z', details: { score: 6, level: 1 } }]);
  });

  it('does not count a promise kept in time, cancelled, or revised before its due time and kept by the new one', async () => {
    await policySpec(burden, { options: { levels: [1] } })
      .given([
        opened('2024-03-01T09:00:00Z'),
        promise('2024-03-01T09:30:00Z', 'a', '2024-03-02T17:00:00Z'),
        promise('2024-03-01T09:30:00Z', 'b', '2024-03-02T17:00:00Z'),
        promise('2024-03-01T09:30:00Z', 'c', '2024-03-02T17:00:00Z'),
        { type: 'PromiseKept', at: '2024-03-02T12:00:00Z', data: { promiseId: 'a' } },
        { type: 'PromiseCancelled', at: '2024-03-02T12:00:00Z', data: { promiseId: 'b' } },
        { type: 'PromiseRevised', at: '2024-03-02T12:00:00Z', data: { promiseId: 'c', dueBy: '2024-03-04T17:00:00Z' } },
        { type: 'PromiseKept', at: '2024-03-04T12:00:00Z', data: { promiseId: 'c' } },
      ])
      .at('2024-03-10T00:00:00Z')
      .thenNoFindings();
  });

  it('counts an explicitly broken promise once, even when it was also overdue', async () => {
    const outcome = await spec
      .given([
        promise('2024-03-01T09:30:00Z', 'no-fee', '2024-03-02T17:00:00Z'),
        promise('2024-03-01T09:30:00Z', 'late', '2024-03-01T12:00:00Z'),
        { type: 'PromiseBroken', at: '2024-03-01T10:00:00Z', data: { promiseId: 'no-fee', reason: 'fee charged' } },
        { type: 'PromiseBroken', at: '2024-03-01T13:00:00Z', data: { promiseId: 'late' } },
      ])
      .at('2024-03-05T00:00:00Z')
      .run();
    expect(outcome.summary).toMatchObject({ score: 8, drivers: [{ driver: 'broken-promise', amount: 2, points: 8 }] });
  });

  it('remembers earlier matters inside the window: a new matter starts from the old burden', async () => {
    const history = [
      opened('2024-01-02T09:00:00Z', 'old'),
      { type: 'FixAttempted', at: '2024-01-03T09:00:00Z', data: { matterId: 'old', method: 'reset', outcome: 'failed' } },
      { type: 'FixAttempted', at: '2024-01-04T09:00:00Z', data: { matterId: 'old', method: 'reinstall', outcome: 'partial' } },
      resolved('2024-01-05T09:00:00Z', 'old'),
    ];
    // old: 4 + 2 + 3 (second failure) = 9, below 10; 100 days later one failure on a new matter crosses.
    await spec
      .given([...history, opened('2024-04-12T09:00:00Z', 'new'), { type: 'FixAttempted', at: '2024-04-13T09:00:00Z', data: { matterId: 'new', method: 'reset', outcome: 'failed' } }])
      .thenFindings([
        {
          kind: 'burden.escalated',
          matterId: 'new',
          detectedAt: '2024-04-13T09:00:00.000Z',
          details: { score: 13, matters: [{ matterId: 'old', score: 9 }, { matterId: 'new', score: 4 }] },
        },
      ]);
  });

  it('forgets matters outside the window (default P180D, or as configured)', async () => {
    const history = (year: string) => [
      opened(`${year}-01-02T09:00:00Z`, 'old'),
      { type: 'FixAttempted', at: `${year}-01-03T09:00:00Z`, data: { matterId: 'old', method: 'reset', outcome: 'failed' } },
      { type: 'FixAttempted', at: `${year}-01-04T09:00:00Z`, data: { matterId: 'old', method: 'reinstall', outcome: 'partial' } },
      resolved(`${year}-01-05T09:00:00Z`, 'old'),
    ];
    const later = [opened('2024-08-01T09:00:00Z', 'new'), { type: 'FixAttempted', at: '2024-08-02T09:00:00Z', data: { matterId: 'new', method: 'reset', outcome: 'failed' } }];
    const outside = await spec.given([...history('2024'), ...later]).thenNoFindings(); // 211 days later
    expect(outside.summary).toMatchObject({ score: 4, matters: [{ matterId: 'new', score: 4 }] });
    await policySpec(burden, { options: { window: 'P30D' } })
      .given([...history('2024'), opened('2024-04-12T09:00:00Z', 'new'), { type: 'FixAttempted', at: '2024-04-13T09:00:00Z', data: { matterId: 'new', method: 'reset', outcome: 'failed' } }])
      .thenNoFindings();
  });

  it('raises each level once per episode, and again after the window let the score fall below it', async () => {
    const fail = (at: string, matterId: string) => ({ type: 'FixAttempted', at, data: { matterId, method: 'reset', outcome: 'failed' } });
    await policySpec(burden, { options: { levels: [8, 11] } })
      .given([
        opened('2024-01-01T09:00:00Z', 'a'),
        fail('2024-01-02T09:00:00Z', 'a'),
        fail('2024-01-03T09:00:00Z', 'a'), // 4 + 4 + 3 = 11: both levels at once
        fail('2024-01-04T09:00:00Z', 'a'), // still above: no new finding
        opened('2024-09-01T09:00:00Z', 'b'),
        fail('2024-09-02T09:00:00Z', 'b'),
        fail('2024-09-03T09:00:00Z', 'b'), // the old ones left the window: level 1 and 2 again
      ])
      .thenFindings([
        { kind: 'burden.escalated', detectedAt: '2024-01-03T09:00:00.000Z', severity: 'warning', details: { level: 1, score: 11 } },
        { kind: 'burden.escalated', detectedAt: '2024-01-03T09:00:00.000Z', severity: 'breach', details: { level: 2, score: 11 } },
        { kind: 'burden.repeated-remedy', matterId: 'a' },
        { kind: 'burden.escalated', detectedAt: '2024-09-03T09:00:00.000Z', details: { level: 1, score: 11 } },
        { kind: 'burden.escalated', detectedAt: '2024-09-03T09:00:00.000Z', details: { level: 2, score: 11 } },
        { kind: 'burden.repeated-remedy', matterId: 'b' },
      ]);
  });

  it('ends an episode when the window lets the score fall below its level, even with no event then: one event that reaches it again later is a new finding', async () => {
    const fail = (at: string, matterId: string, extra: Record<string, unknown> = {}) => ({ type: 'FixAttempted', at, data: { matterId, method: 'reset', outcome: 'failed', ...extra } });
    await policySpec(burden, { options: { window: 'P30D' } })
      .given([
        opened('2024-01-01T09:00:00Z', 'a'),
        fail('2024-01-02T09:00:00Z', 'a'),
        fail('2024-01-03T09:00:00Z', 'a'), // 4 + 4 + 3 = 11: level 1
        // Nothing happens while the January failures leave the window (score 0 from 2 Feb).
        opened('2024-03-01T09:00:00Z', 'b'),
        fail('2024-03-02T09:00:00Z', 'b', { customerEffortMinutes: 420 }), // 4 + 7 = 11 on its own: level 1 again
      ])
      .thenFindings([
        { kind: 'burden.escalated', detectedAt: '2024-01-03T09:00:00.000Z', details: { level: 1, score: 11 } },
        { kind: 'burden.repeated-remedy', matterId: 'a' },
        { kind: 'burden.escalated', detectedAt: '2024-03-02T09:00:00.000Z', matterId: 'b', details: { level: 1, score: 11 } },
      ]);
  });

  it('ends an episode on a dip between two events, however brief, but not when a contribution leaves at the instant a new one enters', async () => {
    const fail = (at: string) => ({ type: 'FixAttempted', at, data: { matterId: 'a', method: 'reset', outcome: 'failed' } });
    const january = [opened('2024-01-01T09:00:00Z', 'a'), fail('2024-01-02T09:00:00Z'), fail('2024-01-03T09:00:00Z')]; // 11: level 1
    const first = { kind: 'burden.escalated', detectedAt: '2024-01-03T09:00:00.000Z', details: { level: 1, score: 11 } };
    // The 2 January failure leaves on 1 February 09:00 (score 7); three hours later another failure: 14.
    const dipped = await policySpec(burden, { options: { window: 'P30D' } })
      .given([...january, fail('2024-02-01T12:00:00Z')])
      .thenFindings([first, { kind: 'burden.repeated-remedy' }, { kind: 'burden.escalated', detectedAt: '2024-02-01T12:00:00.000Z', details: { level: 1 } }]);
    expect(dipped.findings.filter((f) => f.kind === 'burden.escalated')).toHaveLength(2);
    // The same failure a day earlier (no dip), or at the very instant the old one leaves (the
    // instant is judged as a whole): the episode goes on, nothing new.
    for (const at of ['2024-01-31T12:00:00Z', '2024-02-01T09:00:00Z']) {
      await policySpec(burden, { options: { window: 'P30D' } })
        .given([...january, fail(at)])
        .thenFindings([first, { kind: 'burden.repeated-remedy' }]);
    }
  });

  it('takes weights from the options', async () => {
    await policySpec(burden, { options: { weights: { failedAttempt: 10 } } })
      .given([opened('2024-03-01T09:00:00Z'), attempt('2024-03-01T10:00:00Z', 'failed')])
      .thenFindings([{ kind: 'burden.escalated', details: { score: 10, drivers: [{ driver: 'failed-attempt', amount: 1, unit: 'attempts', points: 10 }] } }]);
  });

  it('rejects misspelt options, naming them', async () => {
    // @ts-expect-error a misspelt option is a type error too; this is the check at run time (JavaScript, options read from JSON)
    await expect(policySpec(burden, { options: { levles: [1] } }).given([]).run()).rejects.toThrow(/policies\.burden\.levles: unknown field/);
    // @ts-expect-error at any depth
    await expect(policySpec(burden, { options: { weights: { tranfer: 1 } } }).given([]).run()).rejects.toThrow(/policies\.burden\.weights\.tranfer: unknown field/);
    await expect(policySpec(burden, { options: { levels: [25, 10] } }).given([]).run()).rejects.toThrow(/policies\.burden\.levels: levels must be strictly ascending/);
    await expect(policySpec(burden, { options: { window: 'six months' } }).given([]).run()).rejects.toThrow(/policies\.burden\.window/);
  });
});

describe('burden.repeated-remedy', () => {
  it('is raised when the same method fails again on a matter, and updated as failures grow', async () => {
    await spec
      .given([
        opened('2024-03-01T09:00:00Z'),
        attempt('2024-03-01T10:00:00Z', 'partial', {}, 'a1'),
        attempt('2024-03-02T10:00:00Z', 'succeeded', {}, 'ok'),
        attempt('2024-03-03T10:00:00Z', 'failed', {}, 'a2'),
      ])
      .thenFindings([
        {
          kind: 'burden.repeated-remedy',
          matterId: 'm',
          detectedAt: '2024-03-03T10:00:00.000Z',
          severity: 'warning',
          evidence: ['a1', 'a2'],
          details: { method: 'remote-session', failures: 2, outcomes: ['partial', 'failed'] },
        },
      ]);
  });

  it('says how often in words: twice, then 3 times', async () => {
    const given = [opened('2024-03-01T09:00:00Z'), attempt('2024-03-01T10:00:00Z', 'partial'), attempt('2024-03-02T10:00:00Z', 'failed')];
    const twice = await spec.given(given).run();
    expect(twice.findings.find((f) => f.kind === 'burden.repeated-remedy')?.message).toBe(
      'The customer has been put through "remote-session" twice on matter m without a fix (partial, failed); change the remedy or ask before trying it again.',
    );
    const thrice = await spec.given([...given, attempt('2024-03-03T10:00:00Z', 'failed')]).run();
    expect(thrice.findings.find((f) => f.kind === 'burden.repeated-remedy')?.message).toMatch(/"remote-session" 3 times on matter m/);
  });

  it('names the matter by its title, as a list of findings needs', async () => {
    const titled = { type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Laptop will not boot' } };
    const outcome = await spec.given([titled, attempt('2024-03-01T10:00:00Z', 'failed'), attempt('2024-03-02T10:00:00Z', 'failed')]).run();
    expect(outcome.findings.find((f) => f.kind === 'burden.repeated-remedy')?.message).toBe(
      'The customer has been put through "remote-session" twice on "Laptop will not boot" without a fix (failed, failed); change the remedy or ask before trying it again.',
    );
  });

  it('is a breach from the third failure, or when the method made things worse', async () => {
    await spec
      .given([opened('2024-03-01T09:00:00Z'), attempt('2024-03-01T10:00:00Z', 'partial'), attempt('2024-03-02T10:00:00Z', 'worsened')])
      .thenFindings([{ kind: 'burden.escalated' }, { kind: 'burden.repeated-remedy', severity: 'breach', details: { failures: 2 } }]);
  });

  it('is not raised for different methods, or the same method on different matters', async () => {
    await spec
      .given([
        opened('2024-03-01T09:00:00Z'),
        opened('2024-03-01T09:00:00Z', 'other'),
        attempt('2024-03-01T10:00:00Z', 'failed'),
        attempt('2024-03-02T10:00:00Z', 'failed', { method: 'onsite-visit' }),
        attempt('2024-03-03T10:00:00Z', 'failed', { matterId: 'other' }),
      ])
      .thenFindings([{ kind: 'burden.escalated' }]);
  });
});

describe('burden: events tied at one instant', () => {
  it('count the same whichever was appended first', async () => {
    const base = [opened('2024-03-01T09:00:00Z'), inbound('2024-03-01T09:05:00Z', { matterId: 'm', channel: 'web' }, 'web')];
    const chase = inbound('2024-03-02T10:00:00Z', { matterId: 'm', purpose: 'chase' }, 'chase');
    const question = inbound('2024-03-02T10:00:00Z', { matterId: 'm', channel: 'chat' }, 'question');
    const fail = attempt('2024-03-02T10:00:00Z', 'failed', { customerEffortMinutes: 200 }, 'fail');
    const one = await spec.given([...base, chase, question, fail]).run();
    const other = await spec.given([...base, fail]).when([question, chase]).run();
    expect(JSON.stringify(other.engine.snapshot())).toBe(JSON.stringify(one.engine.snapshot()));
    expect(one.findings).toMatchObject([{ kind: 'burden.escalated', matterId: 'm', evidence: ['chase', 'fail', 'question'] }]); // the first web contact cost nothing
  });
});
