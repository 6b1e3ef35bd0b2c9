import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePolicy, PolicyError } from '../../src/index.js';
import { heedInProcess, line, scratch } from './helpers.js';

/**
 * A policy that asked to be woken and then threw: `heed replay` must name the policy, the event
 * and the customer, as for any other policy failure, not an error about re-reading the stream.
 */
const wakeful = definePolicy({
  name: 'wakeful',
  kinds: ['wakeful.x'],
  initialState: () => ({ n: 0 }),
  evolve(state, event, ctx) {
    state.n++;
    ctx.wakeAt(ctx.now);
    if (event.type === 'MatterResolved') throw new Error('kaboom');
  },
  tick() {},
});

describe('heed replay when a policy fails after asking for a wake-up', () => {
  const journey = [
    { id: 'o', customerId: 'c', type: 'MatterOpened', at: '2017-11-01T10:00:00Z', data: { matterId: 'm' } },
    { id: 'r', customerId: 'c', type: 'MatterResolved', at: '2017-11-02T10:00:00Z', data: { matterId: 'm' } },
  ];
  const file = join(scratch({ 'journey.jsonl': journey.map(line).join('') }), 'journey.jsonl');

  it.each([{}, { HEED_REPLAY_BUCKETS: '2' }])('names the policy, the event and the customer (%o)', async (env) => {
    // In process, the failure is thrown for the binary to print as `heed: <message>`.
    const error: unknown = await heedInProcess(['replay', file, '--format', 'json'], { policies: [wakeful], env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toBe('policy "wakeful" failed on event "r" of customer "c": kaboom');
  });
});
