import { describe, expect, it } from 'vitest';
import { replay } from '../../src/index.js';
import { benchPolicy } from '../../bench/bench-policy.js';
import { generateJourneys } from '../../bench/generate.js';
import { plainFoldAll, plainSummary } from '../../bench/plain-fold.js';

// Figure 2 divides the engine's cost by the plain fold's; that ratio means something only if both
// compute the same thing. They must agree customer by customer.
describe('bench policy vs plain fold', () => {
  it('computes the same summary for every customer as the plain fold of baseline (a)', async () => {
    const journeys = generateJourneys({ events: 8_000, seed: 11 });
    const plain = plainFoldAll(journeys);
    const { engine } = await replay(journeys, { policies: [benchPolicy] });

    expect(engine.customers()).toEqual([...plain.keys()].sort());
    for (const [customerId, state] of plain) {
      expect(engine.summary(customerId)['bench'], customerId).toEqual(plainSummary(state));
    }
    const total = (field: 'brokenPromises' | 'gaps' | 'repeatedRemedies') =>
      [...plain.values()].reduce((sum, s) => sum + s[field], 0);
    expect(total('brokenPromises')).toBeGreaterThan(100);
    expect(total('gaps')).toBeGreaterThan(100);
    expect(total('repeatedRemedies')).toBeGreaterThan(5);
    expect(engine.findings({ kind: 'bench.promise-broken' })).toHaveLength(total('brokenPromises'));
    expect(engine.findings({ kind: 'bench.gap' })).toHaveLength(total('gaps'));
  });
});
