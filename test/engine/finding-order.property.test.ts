import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFindingRecords, compareFindings, type Finding } from '../../src/engine/finding.js';
import { isoOrderKey, toIso } from '../../src/time/instant.js';

/** A record as the engine keeps it: the finding, its key, and detectedAt's order key. */
function record(ms: number, customerId: string, kind: string, key: string) {
  const finding = { kind, customerId, matterId: null, detectedAt: toIso(ms), severity: 'info', message: '', evidence: [], details: {} } satisfies Finding;
  return { finding, key, order: isoOrderKey(ms) };
}

// Instants around the edges where the ISO text changes shape: year 0000, 9999, six-digit and
// negative years, fractional milliseconds (printed truncated), and ties.
const instant = fc.oneof(
  fc.integer({ min: -62_167_219_200_000 - 5, max: -62_167_219_200_000 + 5 }),
  fc.integer({ min: 253_402_300_800_000 - 5, max: 253_402_300_800_000 + 5 }),
  fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
  fc.integer({ min: 1_500_000_000_000, max: 1_500_000_000_010 }),
  fc.double({ min: -3, max: 3, noNaN: true }),
);
const small = fc.constantFrom('a', 'b', 'c');
const arbitraryRecord = fc.tuple(instant, small, small, small).map(([ms, c, k, key]) => record(ms, c, k, key));

describe('compareFindingRecords', () => {
  it('orders records exactly as compareFindings orders their findings', () => {
    fc.assert(
      fc.property(arbitraryRecord, arbitraryRecord, (a, b) => {
        expect(Math.sign(compareFindingRecords(a, b))).toBe(Math.sign(compareFindings(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('sorts a list into the same order as compareFindings', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRecord, { maxLength: 40 }), (records) => {
        const byText = [...records].sort(compareFindings).map((r) => `${r.finding.detectedAt} ${r.finding.customerId} ${r.finding.kind} ${r.key}`);
        const byNumber = [...records].sort(compareFindingRecords).map((r) => `${r.finding.detectedAt} ${r.finding.customerId} ${r.finding.kind} ${r.key}`);
        expect(byNumber).toEqual(byText);
      }),
    );
  });
});
