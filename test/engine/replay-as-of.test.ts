import { describe, expect, it } from 'vitest';
import { UsageError, replay } from '../../src/index.js';

const events = [{ id: 'o', customerId: 'c', type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm' } }];

describe('replay asOf', () => {
  it.each([['next tuesday'], [Number.NaN], [new Date('nope')], ['']])('a bad asOf (%s) rejects with a UsageError naming it, instead of replaying as of the end', async (asOf) => {
    const error = await replay(events, { asOf }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^asOf: expected an ISO-8601 date-time/);
  });

  it('takes the same forms as engine.asOf: an ISO date-time, a date in the calendar zone, epoch ms, a Date', async () => {
    const config = { calendar: { timeZone: 'America/Denver' } };
    const forms = ['2017-11-21T07:00:00Z', '2017-11-21', Date.parse('2017-11-21T07:00:00Z'), new Date('2017-11-21T07:00:00Z')];
    for (const asOf of forms) expect((await replay(events, { config, asOf })).snapshot.asOf).toBe('2017-11-21T07:00:00.000Z');
  });
});
