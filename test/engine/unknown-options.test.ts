import { describe, expect, it } from 'vitest';
import { Engine, UsageError, replay } from '../../src/index.js';
import { ledger } from '../fixtures/ledger-policy.js';
import { refusal } from '../refusal.js';


const engineOptions = '"policies", "config", "store", "freezeEvents", "plugins"';
const event = { customerId: 'c', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm' } };

// A misspelt option did nothing: the default ran and the caller never learned it.
// `fields`: the UsageError's structured fields (errors.ts), the name at fault (the first, of several) and the rule.
const cases: readonly { readonly entry: string; readonly call: () => unknown; readonly message: string; readonly fields: { readonly path?: string; readonly rule: string } }[] = [
  {
    entry: 'new Engine',
    call: () => new Engine({ freezeevents: true } as never),
    message: `Engine: unknown option "freezeevents" (the options are ${engineOptions}). Did you mean "freezeEvents"?`,
    fields: { path: 'freezeevents', rule: 'unknown-field' },
  },
  {
    entry: 'new Engine (two)',
    call: () => new Engine({ polices: [ledger], Store: undefined } as never),
    message: `Engine: unknown options "polices", "Store" (the options are ${engineOptions}). Did you mean "policies" for "polices", "store" for "Store"?`,
    fields: { path: 'polices', rule: 'unknown-field' },
  },
  { entry: 'new Engine (not an object)', call: () => new Engine(null as never), message: 'Engine: options must be an object, got null', fields: { rule: 'invalid-type' } },
  {
    entry: 'replay',
    call: () => replay([event], { asof: '2024-03-02' } as never),
    message: `replay: unknown option "asof" (the options are ${engineOptions}, "asOf"). Did you mean "asOf"?`,
    fields: { path: 'asof', rule: 'unknown-field' },
  },
  {
    entry: 'engine.findings',
    call: () => new Engine().findings({ customerID: 'c' } as never),
    message: 'findings: unknown filter "customerID" (the filters are "customerId", "kind"). Did you mean "customerId"?',
    fields: { path: 'customerID', rule: 'unknown-field' },
  },
  {
    // The closest known name is suggested by the rule of an unknown event type's suggestion: none for a name like none,
    entry: 'engine.findingEntries',
    call: () => new Engine().findingEntries({ type: 'promise.broken' } as never),
    message: 'findingEntries: unknown filter "type" (the filters are "customerId", "kind")',
    fields: { path: 'type', rule: 'unknown-field' },
  },
  {
    // nor one given already,
    entry: 'new Engine (beside the name)',
    call: () => new Engine({ freezeEvents: true, freezeevents: true } as never),
    message: `Engine: unknown option "freezeevents" (the options are ${engineOptions})`,
    fields: { path: 'freezeevents', rule: 'unknown-field' },
  },
  {
    // and, of several, for those like one.
    entry: 'replay (several)',
    call: () => replay([event], { policy: [ledger], asof: '2024-03-02', zzzzzz: 1 } as never),
    message: `replay: unknown options "policy", "asof", "zzzzzz" (the options are ${engineOptions}, "asOf"). Did you mean "policies" for "policy", "asOf" for "asof"?`,
    fields: { path: 'policy', rule: 'unknown-field' },
  },
];

describe('options with unknown names', () => {
  it.each(cases)('$entry refuses them with a UsageError naming the entry, the names and the known ones', async ({ call, message, fields }) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
    expect({ path: (error as UsageError).path, rule: (error as UsageError).rule }).toEqual({ path: undefined, ...fields });
  });

  it('keeps accepting every known option, and a symbol key (no option name) is left alone', async () => {
    const engine = new Engine({ policies: [ledger], config: {}, store: undefined as never, freezeEvents: true, [Symbol('x')]: 1 } as never);
    expect(engine.findings({ customerId: 'c', kind: 'x' })).toEqual([]);
    const { snapshot } = await replay([event], { policies: [ledger], asOf: '2024-03-02T00:00:00Z', freezeEvents: false });
    expect(snapshot.asOf).toBe('2024-03-02T00:00:00.000Z');
  });

  it('keeps the value checks and their wording', async () => {
    expect(() => new Engine({ policies: [{}] as never })).toThrow(new UsageError('policies[0] must be a policy made with definePolicy, got an object with no keys', { path: 'policies[0]', rule: 'invalid-type' }));
    await expect(replay([event], { asOf: 'soon' })).rejects.toThrow(/^asOf: expected an ISO-8601 date-time/);
  });

  it('takes "plugins" so that what loadConfigFileWithPlugins gives can be passed whole, and refuses a plugin whose policies are not installed', () => {
    const plugins = [{ specifier: './ledger.js', url: 'file:///ledger.js', policies: [ledger] }];
    expect(new Engine({ policies: [ledger], plugins }).policies).toEqual([ledger]);
    expect(() => new Engine({ plugins })).toThrow(
      new UsageError(
        'Engine: option "plugins": policy "fx" of plugin "./ledger.js" is not among "policies", so it would not run; pass the policies loadConfigFileWithPlugins gave with the plugins',
        { path: 'plugins[0].policies[0]', rule: 'unknown-policy' },
      ),
    );
    expect(() => new Engine({ plugins: 'ledger' as never })).toThrow(
      new UsageError('Engine: option "plugins" must be an array (what loadConfigFileWithPlugins gives), got "ledger"', { path: 'plugins', rule: 'invalid-type' }),
    );
    // The path names the plugin and the policy at fault, not the first of each.
    const other = { ...ledger, name: 'other' };
    const two = [{ specifier: './a.js', url: 'file:///a.js', policies: [ledger] }, { specifier: './b.js', url: 'file:///b.js', policies: [ledger, other] }];
    expect(() => new Engine({ policies: [ledger], plugins: two })).toThrow(
      new UsageError(
        'Engine: option "plugins": policy "other" of plugin "./b.js" is not among "policies", so it would not run; pass the policies loadConfigFileWithPlugins gave with the plugins',
        { path: 'plugins[1].policies[1]', rule: 'unknown-policy' },
      ),
    );
  });
});
