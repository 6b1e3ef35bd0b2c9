import { describe, expect, expectTypeOf, it } from 'vitest';
import { builtinPolicies, type CoreFindingDetails } from '../../src/index.js';
import { burden } from '../../src/policies/burden.js';
import { promises } from '../../src/policies/promises.js';
import { policySpec, type FindingExpectation } from '../../src/testing/index.js';
import { ledger } from '../fixtures/ledger-policy.js';

/**
 * `thenFindings` checks an expected finding's `details` against its kind's, where the kind is a
 * core one (`CoreFindingDetails`): a misspelt field or a value of the wrong type is a compile
 * error, as it is where `engine.on(kind, …)` reads them. A plugin's kind, or an expectation that
 * names no kind, keeps free-form details. Checked by `tsc --noEmit -p .` (test/ is in the
 * tsconfig's include); the functions holding `@ts-expect-error` lines are compiled, never called.
 */
describe("typed details in thenFindings' expectations", () => {
  const at = '2017-11-21T17:00:00Z';

  it("checks a core kind's details: a misspelt field or a wrong value is a type error", () => {
    const typeOnly = () => {
      const scenario = policySpec(promises).given([]);
      void scenario.thenFindings([{ kind: 'promise.broken', details: { promiseId: 'p', dueBy: at, explicit: false, party: null } }]);
      // @ts-expect-error dueby is misspelt (dueBy)
      void scenario.thenFindings([{ kind: 'promise.broken', details: { dueby: at } }]);
      // @ts-expect-error explicit is a boolean
      void scenario.thenFindings([{ kind: 'promise.broken', details: { explicit: 'yes' } }]);
      // @ts-expect-error keptAt is promise.kept-late's, not promise.broken's
      void scenario.thenFindings([{ kind: 'promise.broken', details: { keptAt: at } }]);
      void scenario.thenFindings([
        { kind: 'promise.kept-late', details: { keptAt: at, lateMinutes: 30 } },
        // @ts-expect-error each element on its own: lateMinutes is a number in the second as in the first
        { kind: 'promise.kept-late', details: { lateMinutes: '30' } },
      ]);
      // A closed set of values stays closed (survey.due's reason is resolved or check-in).
      // @ts-expect-error reason is 'resolved' or 'check-in'
      void policySpec(promises).given([]).thenFindings([{ kind: 'survey.due', details: { reason: 'settled' } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('takes only the details fields it names, arrays whole, and instants as any text', () => {
    const typeOnly = () => {
      const scenario = policySpec(burden).given([]);
      void scenario.thenFindings([{ kind: 'burden.escalated', details: { score: 10 } }]);
      void scenario.thenFindings([{ kind: 'burden.escalated', details: { drivers: [{ driver: 'failed-attempt', amount: 1, unit: 'attempts', points: 10 }] } }]);
      // @ts-expect-error an element of an array is compared whole: points is missing
      void scenario.thenFindings([{ kind: 'burden.escalated', details: { drivers: [{ driver: 'failed-attempt', amount: 1, unit: 'attempts' }] } }]);
      // @ts-expect-error reasons are the contract's (matter-open, …)
      void scenario.thenFindings([{ kind: 'survey.mistimed', details: { reasons: ['matter-closed'] } }]);
      void scenario.thenFindings([{ kind: 'survey.mistimed', details: { reasons: ['matter-open'], expiresAt: null } }]);
      // An instant may be written in any form an event's `at` takes (compared as an instant).
      void scenario.thenFindings([{ kind: 'inattention.gap', detectedAt: '2017-11-22', details: { since: '2017-11-20T09:00-07:00', until: null, clock: 'business' } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("keeps a plugin's kind, and an expectation without a kind, free-form", () => {
    const typeOnly = () => {
      const scenario = policySpec(ledger).given([]);
      void scenario.thenFindings([{ kind: 'fx.overdue', details: { anything: [1, { nested: true }] } }]);
      void scenario.thenFindings([{ details: { whatever: 1 } }, { detectedAt: at }]);
      // In one list, a plugin's kind does not loosen a core kind beside it.
      void scenario.thenFindings([
        { kind: 'fx.overdue', details: { dueby: at } },
        // @ts-expect-error dueby is misspelt in a core kind's details
        { kind: 'promise.broken', details: { dueby: at } },
      ]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('still takes expectations built in a variable, a list returned by a function, and a FindingExpectation[]', () => {
    const typeOnly = (annotated: readonly FindingExpectation[], one: FindingExpectation) => {
      const scenario = policySpec(builtinPolicies[0]!).given([]);
      // A kind held in a string (no `as const`) is not known to be a core kind: its details are free-form.
      const first = { kind: 'burden.escalated', detectedAt: '2024-01-03T09:00:00.000Z', details: { level: 1, score: 11 } };
      void scenario.thenFindings([first, { kind: 'burden.repeated-remedy' }]);
      const want = (n: number) => [{ kind: 'per-matter.count', details: { byMatter: { m: n } } }];
      void scenario.thenFindings(want(1));
      void scenario.thenFindings(annotated);
      void scenario.thenFindings([one, ...annotated]);
      void scenario.thenNoFindings();
    };
    expect(typeOnly).toBeTypeOf('function');
    // An annotated expectation of a core kind is checked where it is written.
    const typed: FindingExpectation<'promise.kept-late'> = { kind: 'promise.kept-late', details: { lateMinutes: 30 } };
    // @ts-expect-error lateMinute is misspelt
    const misspelt: FindingExpectation<'promise.kept-late'> = { kind: 'promise.kept-late', details: { lateMinute: 30 } };
    expect([typed, misspelt]).toHaveLength(2);
    expectTypeOf<NonNullable<FindingExpectation<'survey.due'>['details']>['reason']>().toEqualTypeOf<CoreFindingDetails['survey.due']['reason'] | undefined>();
    expectTypeOf<FindingExpectation<'acme.no-reply'>['details']>().toEqualTypeOf<Readonly<Record<string, unknown>> | undefined>();
  });
});
