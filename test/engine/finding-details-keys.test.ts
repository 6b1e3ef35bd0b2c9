import { describe, expect, it } from 'vitest';
import { replay } from '../../src/index.js';
import { perMatter } from '../fixtures/per-matter-policy.js';

// A plugin may key a finding's details by ids from the input (a count per matter). The engine
// copies details when it keeps a finding: an id such as "__proto__" must stay a key of the copy.

describe('finding details keyed by input ids', () => {
  it('keep a "__proto__" key as an entry', async () => {
    const events = ['__proto__', 'toString'].map((matterId, i) => ({ customerId: 'c', type: 'MatterOpened', at: `2017-11-0${i + 1}T10:00:00Z`, data: { matterId } }));
    const { snapshot } = await replay(events, { policies: [perMatter] });
    expect(snapshot.findings).toHaveLength(1);
    const byMatter = snapshot.findings[0]?.details['byMatter'] as object;
    expect(Object.getPrototypeOf(byMatter)).toBe(Object.prototype);
    expect(Object.entries(byMatter)).toEqual([
      ['__proto__', 1],
      ['toString', 1],
    ]);
  });
});
