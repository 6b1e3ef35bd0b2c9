import { describe, expect, it } from 'vitest';
import { policySpec } from 'heed/testing';
import { deflectionLoop } from './deflection-loop.js';

const spec = policySpec(deflectionLoop);
const deflected = (at: string, to = 'bot', id?: string) => ({ ...(id ? { id } : {}), type: 'CustomerDeflected', at, data: { to } });
const call = (at: string) => ({ type: 'ContactMade', at, data: { direction: 'inbound', channel: 'phone' } });

describe('deflection-loop plugin', () => {
  it('flags the third deflection in a row, with every deflection as evidence', async () => {
    await spec
      .given([deflected('2024-03-01T10:00:00Z', 'bot', 'd1'), deflected('2024-03-02T10:00:00Z', 'faq', 'd2'), deflected('2024-03-03T10:00:00Z', 'bot', 'd3')])
      .thenFindings([
        {
          kind: 'deflection-loop.detected',
          customerId: 'customer-1',
          matterId: null,
          detectedAt: '2024-03-03T10:00:00.000Z',
          severity: 'warning',
          evidence: ['d1', 'd2', 'd3'],
          details: { deflections: 3, threshold: 3, to: 'bot, faq' },
        },
      ]);
  });

  it('does not flag two deflections', async () => {
    await spec.given([deflected('2024-03-01T10:00:00Z'), deflected('2024-03-02T10:00:00Z')]).thenNoFindings();
  });

  it('resets when the customer reaches a person', async () => {
    await spec
      .given([deflected('2024-03-01T10:00:00Z'), deflected('2024-03-02T10:00:00Z'), call('2024-03-02T11:00:00Z'), deflected('2024-03-03T10:00:00Z')])
      .thenNoFindings();
  });

  it('counts an inbound bot chat (a core ContactMade) as a deflection', async () => {
    await spec
      .given([
        deflected('2024-03-01T10:00:00Z'),
        { type: 'ContactMade', at: '2024-03-01T12:00:00Z', data: { direction: 'inbound', channel: 'bot' } },
        deflected('2024-03-02T10:00:00Z', 'ivr-menu'),
      ])
      .thenFindings([{ kind: 'deflection-loop.detected', details: { deflections: 3, to: 'bot, ivr-menu' } }]);
  });

  it('updates the same finding as the loop grows, and escalates to breach at threshold + 2', async () => {
    const outcome = await spec
      .given(['01', '02', '03', '04', '05'].map((d) => deflected(`2024-03-${d}T10:00:00Z`)))
      .thenFindings([{ kind: 'deflection-loop.detected', severity: 'breach', detectedAt: '2024-03-05T10:00:00.000Z', details: { deflections: 5 } }]);
    expect(outcome.summary).toEqual({ currentStreak: 5, loops: 1, longestStreak: 5 });
  });

  it('forgets deflections older than the window (option)', async () => {
    await policySpec(deflectionLoop, { options: { window: 'P7D' } })
      .given([deflected('2024-03-01T10:00:00Z'), deflected('2024-03-09T10:00:00Z'), deflected('2024-03-10T10:00:00Z')])
      .thenNoFindings();
  });

  it('honours a lower threshold option', async () => {
    await policySpec(deflectionLoop, { options: { threshold: 2 } })
      .given([deflected('2024-03-01T10:00:00Z'), deflected('2024-03-02T10:00:00Z')])
      .thenFindings([{ kind: 'deflection-loop.detected', details: { threshold: 2 } }]);
  });

  it('rejects a misspelt option, naming it', async () => {
    // @ts-expect-error a misspelt option is a type error too; this is the check at run time (JavaScript, options read from JSON)
    await expect(policySpec(deflectionLoop, { options: { treshold: 2 } }).given([]).run()).rejects.toThrow(
      /policies\.deflection-loop\.treshold: unknown field/,
    );
  });

  it('rejects an invalid custom event, naming the field', async () => {
    // @ts-expect-error the type checker refuses it first (CustomerDeflected is registered in CustomEventTypes)
    await spec.given([{ type: 'CustomerDeflected', at: '2024-03-01T10:00:00Z', data: { to: 'carrier-pigeon' } }]).thenRejects({ rule: 'invalid-value', path: 'data.to' });
  });
});
