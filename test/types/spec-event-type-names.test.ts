import { describe, expect, it } from 'vitest';
import type { AnyPolicy } from '../../src/index.js';
import { policySpec } from '../../src/testing/index.js';
import { ledger } from '../fixtures/ledger-policy.js';
import { noticed } from '../fixtures/noticed-policy.js';

/**
 * `given` and `when` know every event type their spec's engine takes: the core types and those the
 * policy under test and its `with` policies declare (`events`). A type name outside them, such as
 * a misspelt core type, is a type error rather than a plugin's type with free-form data (which
 * validation then refuses as `unknown-type`). Where a policy's types are not known to the type
 * checker (typed `AnyPolicy`), any name passes, as before. Checked by `tsc --noEmit -p .`; the
 * functions holding `@ts-expect-error` lines are compiled, never called.
 */
describe("the type names given and when take", () => {
  const at = '2017-11-20T09:00:00Z';

  it('refuses a type name that is neither a core type nor one a policy of the spec declares', () => {
    const typeOnly = () => {
      const spec = policySpec(ledger);
      spec.given([{ type: 'MatterOpened', at, data: { matterId: 'm' } }]).when([{ type: 'MatterResolved', at, data: { matterId: 'm' } }]);
      // @ts-expect-error PromiseMde is a misspelt PromiseMade: ledger declares no types of its own
      spec.given([{ type: 'PromiseMde', at, data: { promiseId: 'p' } }]);
      spec.given([]).when([
        { type: 'MatterOpened', at, data: { matterId: 'm' } },
        // @ts-expect-error and in when, element by element
        { type: 'matterResolved', at, data: { matterId: 'm' } },
      ]);
      // @ts-expect-error NoticeSent is noticed's type, and noticed is not in this spec
      spec.given([{ type: 'NoticeSent', at, data: { matterId: 'm' } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("takes the types the policy under test and its with policies declare, and any name where a policy's types are unknown", () => {
    const typeOnly = (someType: string, loaded: readonly AnyPolicy[]) => {
      policySpec(noticed).given([{ type: 'NoticeSent', at, data: { matterId: 'm' } }, { type: 'MatterOpened', at, data: { matterId: 'm' } }]);
      // @ts-expect-error NoticeSnet is misspelt
      policySpec(noticed).given([{ type: 'NoticeSnet', at, data: { matterId: 'm' } }]);
      policySpec(ledger, { with: [noticed] }).given([]).when([{ type: 'NoticeSent', at, data: { matterId: 'm' } }]);
      // A policy typed AnyPolicy (its events unknown to the types, as a loaded configuration's), in the spec or among with: any name, as a plugin's.
      policySpec(loaded[0]!).given([{ type: 'AnythingAtAll', at }]);
      policySpec(ledger, { with: loaded }).given([{ type: 'AnythingAtAll', at }]);
      policySpec(ledger, { with: [...loaded, noticed] }).given([{ type: 'AnythingAtAll', at }]);
      // A type registered in CustomEventTypes (event-input-types.test.ts registers this one): declared by its user, so taken.
      policySpec(ledger).given([{ type: 'TypeTestNoticeSent', at, data: { matterId: 'm' } }]);
      // A name held in a string is not checked (it may be any type).
      policySpec(ledger).given([{ type: someType, at }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });
});
