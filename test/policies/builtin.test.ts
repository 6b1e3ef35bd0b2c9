import { describe, expect, it } from 'vitest';
import {
  Engine,
  builtinPolicies,
  burden,
  burdenOptions,
  feedback,
  feedbackOptions,
  inattention,
  inattentionOptions,
  promises,
  promisesOptions,
  survey,
  surveyOptions,
} from '../../src/index.js';

describe('built-in policies', () => {
  it('run by default, in order, and answer the README example', async () => {
    expect(builtinPolicies).toEqual([inattention, promises, burden, survey, feedback]);
    const engine = new Engine({ config: { calendar: { timeZone: 'America/Denver' } } });
    await engine.record([
      { customerId: 'c-42', type: 'MatterOpened', at: '2017-11-20T06:30:00-07:00', data: { matterId: 'claim' } },
      {
        customerId: 'c-42',
        type: 'PromiseMade',
        at: '2017-11-20T10:00:00-07:00',
        data: { promiseId: 'tow', what: 'Tow the car to the salvage yard', dueBy: '2017-11-21T17:00:00-07:00', matterId: 'claim' },
      },
    ]);
    await engine.advanceTo('2017-11-22T09:00:00-07:00');
    const broken = engine.findings({ kind: 'promise.broken' });
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ customerId: 'c-42', matterId: 'claim', detectedAt: '2017-11-22T00:00:00.000Z', evidence: ['c-42:2'] });
    expect(Object.keys(engine.summary('c-42'))).toEqual(['inattention', 'promises', 'burden', 'survey', 'feedback']);
  });

  it('export each option schema: the one the policy validates its options with', () => {
    const pairs = [
      [inattention, inattentionOptions],
      [promises, promisesOptions],
      [burden, burdenOptions],
      [survey, surveyOptions],
      [feedback, feedbackOptions],
    ] as const;
    for (const [policy, options] of pairs) expect(policy.options, policy.name).toBe(options);
  });
});
