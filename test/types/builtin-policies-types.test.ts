import { describe, expect, expectTypeOf, it } from 'vitest';
import { builtinPolicies, burden, Engine, feedback, inattention, loadConfigFile, promises, replay, survey, type AnyPolicy } from '../../src/index.js';
import { policySpec } from '../../src/testing/index.js';
import { ledger } from '../fixtures/ledger-policy.js';
import { noticed } from '../fixtures/noticed-policy.js';

/**
 * `builtinPolicies` is typed as the list of the built-in policies themselves, in their order, not
 * as `AnyPolicy`s: the event types they declare (none beyond the core ones) reach the entries that
 * check type names, so `[...builtinPolicies, myPlugin]` takes the core types and the plugin's, and
 * a misspelt name beside them is a compile error. It is still taken wherever a list of policies
 * is. Checked by `tsc --noEmit -p .`; the functions holding `@ts-expect-error` lines are compiled,
 * never called.
 */
describe('the type of builtinPolicies', () => {
  const at = '2024-03-01T10:00:00Z';
  const customerId = 'c';

  it('is the tuple of the built-in policies, in their order', () => {
    expectTypeOf(builtinPolicies).toEqualTypeOf<readonly [typeof inattention, typeof promises, typeof burden, typeof survey, typeof feedback]>();
    expect(builtinPolicies).toEqual([inattention, promises, burden, survey, feedback]);
  });

  it('lets only the core types and the other policies’ own through, in replay and in a spec', () => {
    const typeOnly = () => {
      void replay([{ customerId, type: 'NoticeSent', at, data: { matterId: 'm' } }, { customerId, type: 'MatterOpened', at, data: { matterId: 'm' } }], { policies: [...builtinPolicies, noticed] });
      // @ts-expect-error NoticeSnet is misspelt: the built-in policies declare no types of their own, noticed declares NoticeSent
      void replay([{ customerId, type: 'NoticeSnet', at }], { policies: [...builtinPolicies, noticed] });
      // @ts-expect-error PromiseMde is a misspelt PromiseMade
      void replay([{ customerId, type: 'PromiseMde', at }], { policies: builtinPolicies });
      policySpec(ledger, { with: [...builtinPolicies, noticed] }).given([{ type: 'NoticeSent', at, data: { matterId: 'm' } }]);
      // @ts-expect-error AnythingAtAll is no type of the spec's policies
      policySpec(ledger, { with: [...builtinPolicies, noticed] }).given([{ type: 'AnythingAtAll', at }]);
      // @ts-expect-error nor of a built-in policy under test
      policySpec(builtinPolicies[0]).given([{ type: 'AnythingAtAll', at }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('is still taken wherever a list of policies is', () => {
    const typeOnly = (loaded: readonly AnyPolicy[]) => {
      new Engine({ policies: builtinPolicies });
      new Engine({ policies: [...builtinPolicies, noticed, ...loaded] });
      void loadConfigFile('heed.config.json', builtinPolicies);
      const list: readonly AnyPolicy[] = builtinPolicies;
      const names: string[] = builtinPolicies.map((p) => p.name);
      return [list, names];
    };
    expect(typeOnly).toBeTypeOf('function');
  });
});
