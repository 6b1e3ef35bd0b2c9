import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { builtinPolicies, definePolicy, replay, type AnyPolicy } from '../../src/index.js';
import { policySpec } from '../../src/testing/index.js';
import { ledger } from '../fixtures/ledger-policy.js';

/**
 * The `data` of a type a policy declares (`events`) is checked, in `given`, `when` and `replay`,
 * against that type's schema as written (its input: a field with a default may be left out, a
 * transformed one is given as the schema takes it), as a core type's is, with no registration in
 * `CustomEventTypes`. A policy typed `AnyPolicy` (its types unknown to the checker) adds no such
 * check: its types' data is free-form. Checked by `tsc --noEmit -p .`; the functions holding
 * `@ts-expect-error` lines are compiled, never called.
 */
describe("a plugin's own event data in given, when and replay", () => {
  const at = '2024-03-01T10:00:00Z';
  const customerId = 'c';
  // Names of this test's own, registered nowhere in CustomEventTypes.
  const chased = definePolicy({
    name: 'chased',
    events: {
      ChaseSent: z.strictObject({ matterId: z.string(), round: z.number().int().default(1), via: z.enum(['mail', 'sms']).optional() }),
      ChaseLogged: z.strictObject({ loggedAt: z.string().transform((s) => Date.parse(s)) }),
    },
    kinds: ['chased.sent'],
    initialState: () => ({}),
    evolve() {},
  });

  it('checks it against the schema of the policy under test, or of a with policy', () => {
    const typeOnly = () => {
      const spec = policySpec(chased);
      spec.given([{ type: 'ChaseSent', at, data: { matterId: 'm' } }, { type: 'ChaseLogged', at, data: { loggedAt: at } }]).when([{ type: 'ChaseSent', at, data: { matterId: 'm', round: 2, via: 'sms' } }]);
      // @ts-expect-error matterID is not a field of ChaseSent (matterId is)
      spec.given([{ type: 'ChaseSent', at, data: { matterID: 'm' } }]);
      // @ts-expect-error a required field left out
      spec.given([{ type: 'ChaseSent', at, data: { round: 2 } }]);
      spec.given([]).when([
        { type: 'MatterOpened', at, data: { matterId: 'm' } },
        // @ts-expect-error via is mail or sms, element by element in when
        { type: 'ChaseSent', at, data: { matterId: 'm', via: 'fax' } },
      ]);
      // @ts-expect-error loggedAt is given as the schema takes it, a string, not as it comes out
      spec.given([{ type: 'ChaseLogged', at, data: { loggedAt: 1 } }]);
      policySpec(ledger, { with: [chased] }).given([{ type: 'ChaseSent', at, data: { matterId: 'm' } }]);
      // @ts-expect-error and so for a with policy's type
      policySpec(ledger, { with: [...builtinPolicies, chased] }).given([{ type: 'ChaseSent', at, data: { wrongField: 1 } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("checks it in replay against the schema of the policies given", () => {
    const typeOnly = () => {
      void replay([{ customerId, type: 'ChaseSent', at, data: { matterId: 'm' } }], { policies: [...builtinPolicies, chased] });
      // @ts-expect-error wrongField is not a field of ChaseSent
      void replay([{ customerId, type: 'ChaseSent', at, data: { wrongField: 1 } }], { policies: [...builtinPolicies, chased] });
      void replay(
        [
          { customerId, type: 'MatterOpened', at, data: { matterId: 'm' } },
          // @ts-expect-error round is a number
          { customerId, type: 'ChaseSent', at, data: { matterId: 'm', round: 'two' } },
        ],
        { policies: [chased] },
      );
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('leaves it free-form for a policy typed AnyPolicy, and checks a precise policy’s beside one', () => {
    const typeOnly = (loaded: readonly AnyPolicy[]) => {
      policySpec(loaded[0]!).given([{ type: 'ChaseSent', at, data: { wrongField: 1 } }]);
      policySpec(ledger, { with: loaded }).given([{ type: 'ChaseSent', at, data: { wrongField: 1 } }]);
      void replay([{ customerId, type: 'ChaseSent', at, data: { wrongField: 1 } }], { policies: loaded });
      // A type is declared by one policy only (the engine refuses a second), so chased's schema is ChaseSent's.
      // @ts-expect-error wrongField is not a field of ChaseSent
      void replay([{ customerId, type: 'ChaseSent', at, data: { wrongField: 1 } }], { policies: [...loaded, chased] });
      // @ts-expect-error and so in a spec
      policySpec(ledger, { with: [...loaded, chased] }).given([{ type: 'ChaseSent', at, data: { wrongField: 1 } }]);
      // Any other name beside them is a type of the loaded policies, whose data is free-form.
      policySpec(ledger, { with: [...loaded, chased] }).given([{ type: 'NoReplyNoticeSent', at, data: { anything: 1 } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });
});
