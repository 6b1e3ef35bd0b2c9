import { describe, expect, it } from 'vitest';
import { Engine, builtinPolicies, feedback, inattention, promises } from '../../src/index.js';

describe('built-in policies', () => {
  it('run by default, in order, and answer the README example', async () => {
    // Other built-ins (burden, survey) sit between promises and feedback; these three keep their order.
    const names = builtinPolicies.map((p) => p.name);
    expect(names.filter((n) => ['inattention', 'promises', 'feedback'].includes(n))).toEqual(['inattention', 'promises', 'feedback']);
    expect([inattention, promises, feedback].every((p) => builtinPolicies.includes(p))).toBe(true);
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
    expect(Object.keys(engine.summary('c-42'))).toEqual(expect.arrayContaining(['inattention', 'promises', 'feedback']));
  });
});
