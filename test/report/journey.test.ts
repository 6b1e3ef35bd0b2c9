import { describe, expect, it } from 'vitest';
import { buildJourney, type ReportEvent } from '../../src/report/journey.js';

const event = (type: string, at: string, data: Record<string, unknown>): ReportEvent => ({ customerId: 'c', type, at, time: Date.parse(at), data });

describe('report journey: promise marks', () => {
  const made = event('PromiseMade', '2024-03-05T10:00:00Z', { promiseId: 'p', what: 'call back', dueBy: '2024-03-12T17:00:00Z' });
  const revised = (at: string) => event('PromiseRevised', at, { promiseId: 'p', dueBy: '2024-03-20T17:00:00Z' });
  const dueBy = (events: ReportEvent[]) => new Date(buildJourney('c', events, []).promises[0]?.dueBy ?? NaN).toISOString();

  it('draws the due time a revision strictly before it moved, and keeps it for one at or after it (CONTRACT §2)', () => {
    expect(dueBy([made, revised('2024-03-12T16:59:00Z')])).toBe('2024-03-20T17:00:00.000Z');
    expect(dueBy([made, revised('2024-03-12T17:00:00Z')])).toBe('2024-03-12T17:00:00.000Z');
    expect(dueBy([made, revised('2024-03-13T09:00:00Z')])).toBe('2024-03-12T17:00:00.000Z');
  });
});
