import { describeValue } from '../describe-value.js';
import { UsageError } from '../errors.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { LoadedPlugin } from './load-plugins.js';

/**
 * The `plugins` option of the Engine and the ProjectionWorker: what `loadConfigFileWithPlugins`
 * gives, taken so that its result can be passed whole. It installs nothing; a plugin whose policies
 * are not among those `policies` runs would silently not run, so that is a UsageError naming
 * `owner` (the entry point) and the policy, with `path` `plugins[i].policies[j]` and `rule`
 * `unknown-policy`, a policy not installed (`plugins` and `invalid-type` for no array).
 */
export function checkPluginsOption(owner: string, plugins: readonly LoadedPlugin[], policies: readonly AnyPolicy[]): void {
  if (!Array.isArray(plugins)) {
    throw new UsageError(`${owner}: option "plugins" must be an array (what loadConfigFileWithPlugins gives), got ${describeValue(plugins)}`, { path: 'plugins', rule: 'invalid-type' });
  }
  (plugins as readonly LoadedPlugin[]).forEach((plugin, i) => {
    (plugin?.policies ?? []).forEach((policy, j) => {
      if (!policies.includes(policy)) {
        throw new UsageError(
          `${owner}: option "plugins": policy "${policy.name}" of plugin ${JSON.stringify(plugin.specifier)} is not among "policies", so it would not run; pass the policies loadConfigFileWithPlugins gave with the plugins`,
          // The policy at fault, by its place in what was passed: its name is the plugin's to choose.
          { path: `plugins[${i}].policies[${j}]`, rule: 'unknown-policy' },
        );
      }
    });
  });
}
