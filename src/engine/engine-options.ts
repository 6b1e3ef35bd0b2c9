import type { HeedConfig, ResolvedConfig } from '../config/config.js';
import type { LoadedPlugin } from '../config/load-plugins.js';
import { checkPluginsOption } from '../config/plugins-option.js';
import { UsageError } from '../errors.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { builtinPolicies } from '../policies/builtin.js';
import { isPolicy, type AnyPolicy } from '../policies/define-policy.js';
import { notAPolicy } from '../policies/not-a-policy.js';
import type { EventStore } from '../store/event-store.js';

export interface EngineOptions {
  /** Policies to run, in this order. Default: the built-in policies. */
  readonly policies?: readonly AnyPolicy[];
  /** Configuration (CONTRACT.md §3) as an object, or as returned by `loadConfigFile`. */
  readonly config?: HeedConfig | ResolvedConfig;
  /** Where events are kept. Default: a new `InMemoryEventStore`. */
  readonly store?: EventStore;
  /**
   * Deep-freeze every event before a policy sees it, so a policy that writes to one (`e.data.n =
   * 1`, `e.data.tags.push(x)`) throws a TypeError, wrapped in a PolicyError naming the policy and
   * the event, instead of changing the stored history. For tests: `policySpec` turns it on. Off by
   * default, for speed (README, Performance): policies must never change an event (the types make
   * its payload readonly).
   */
  readonly freezeEvents?: boolean;
  /**
   * The plugins `loadConfigFileWithPlugins` loaded, so that what it returns can be passed whole
   * (`new Engine(loaded)`, `new Engine({ ...loaded, store })`). It installs nothing: `policies`
   * must already hold every plugin's policies (it does when it comes from the same call); one
   * missing is a UsageError, not a plugin that silently does not run.
   */
  readonly plugins?: readonly LoadedPlugin[];
}

// Checked once per construction (option-names.ts): a misspelt name would do nothing.
const ENGINE_OPTIONS = optionNames<EngineOptions>({ policies: true, config: true, store: true, freezeEvents: true, plugins: true });

/**
 * The Engine's options checked, and the policies it runs: its option names, every entry of
 * `policies` a policy made with `definePolicy` (`path` `policies[i]`, `rule` `invalid-type`) and
 * installed once (`duplicate`, at the second entry), and every policy of `plugins` among them.
 */
export function engineOptionsPolicies(options: EngineOptions): readonly AnyPolicy[] {
  checkOptionNames('Engine', options, ENGINE_OPTIONS);
  const policies = [...(options.policies ?? builtinPolicies)];
  const names = new Set<string>();
  for (const [i, policy] of policies.entries()) {
    if (!isPolicy(policy)) throw new UsageError(`policies[${i}] ${notAPolicy(policy, 'pass')}`, { path: `policies[${i}]`, rule: 'invalid-type' });
    if (names.has(policy.name)) throw new UsageError(`policy "${policy.name}" is installed twice`, { path: `policies[${i}]`, rule: 'duplicate' });
    names.add(policy.name);
  }
  if (options.plugins !== undefined) checkPluginsOption('Engine', options.plugins, policies);
  return policies;
}

/** The index of an installed policy by name (`engine.state`, `policyOptions`): `path` `policyName`, `rule` `unknown-policy` for none. */
export function policyIndex(policies: readonly AnyPolicy[], policyName: string): number {
  const index = policies.findIndex((p) => p.name === policyName);
  if (index < 0) throw new UsageError(`no policy named "${policyName}" is installed`, { path: 'policyName', rule: 'unknown-policy' });
  return index;
}
