import { UsageError, ValidationError } from '../errors.js';
import { EventRegistry } from '../events/registry.js';
import { importHint } from './import-hint.js';
import { syntaxSite } from './syntax-site.js';
import { throwSite } from './throw-site.js';
import { isBuiltinPolicy, isPolicy, runnable, type AnyPolicy, type EventSchemas } from '../policies/define-policy.js';
import { notAPolicy } from '../policies/not-a-policy.js';
import { resolvePlugin } from './resolve-plugin.js';

/**
 * Policy plugins: modules that export policies made with `definePolicy`. The rule for what a
 * module exports (one rule, for the configuration file, the `--plugin` flag and the worker
 * threads alike): its policies are its default export and/or its named export `policies`, each a
 * policy or an array of policies; together at least one. Other exports are ignored. From
 * CommonJS, `module.exports = policy` (or an array), or `exports.policies = [...]`.
 *
 * A plugin is code and runs with the full trust of the process that loads it.
 */

/** One module to load, and where it was asked for (so a problem names the file, line and entry). */
export interface PluginRequest {
  /** As written: `./plugins/no-reply.js`, `heed-plugin-x`. */
  readonly specifier: string;
  /** The directory a relative specifier (and a package lookup) starts from: the configuration file's. */
  readonly from: string;
  /** Where it was asked for: `plugins[0]` of a file (at a line), or a command-line flag. */
  readonly location: { readonly file?: string; readonly line?: number; readonly column?: number; readonly path: string };
}

export interface LoadedPlugin {
  readonly specifier: string;
  /** The module's resolved URL: what a worker thread imports to get the very same policies. */
  readonly url: string;
  readonly policies: readonly AnyPolicy[];
}

export interface PluginsLoaded {
  /** The modules that loaded without a problem, in the order asked. */
  readonly plugins: readonly LoadedPlugin[];
  /** One error per module that did not (located at its request); none of its policies is in `plugins`. */
  readonly errors: readonly ValidationError[];
}

/**
 * Resolve and import each requested module, take its policies (the export rule above), and check
 * that they fit with `installed` and with each other: a name of their own, custom event types of
 * their own. Never throws for a bad plugin: every problem comes back in `errors`.
 */
export async function loadPlugins(requests: readonly PluginRequest[], installed: readonly AnyPolicy[]): Promise<PluginsLoaded> {
  const plugins: LoadedPlugin[] = [];
  const errors: ValidationError[] = [];
  const owners = new Map<string, string>(installed.map((p) => [p.name, isBuiltinPolicy(p) ? 'the built-in policy' : 'an installed policy']));
  const loadedFrom = new Map<string, string>();
  const accepted = [...installed];

  for (const request of requests) {
    const module = JSON.stringify(request.specifier);
    const fail = (rule: string, message: string) => errors.push(new ValidationError({ ...request.location, rule, message }));
    const resolved = resolvePlugin(request.specifier, request.from);
    if (!resolved.ok) {
      fail('plugin-not-found', `cannot find module ${module}: ${resolved.reason}`);
      continue;
    }
    const earlier = loadedFrom.get(resolved.url);
    if (earlier !== undefined) {
      fail('plugin-duplicate', `module ${module} is the same as ${earlier}; list each plugin once`);
      continue;
    }
    loadedFrom.set(resolved.url, `${request.location.path} ${module}`);
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(resolved.url)) as Record<string, unknown>;
    } catch (error) {
      // A syntax error's place when it has no frame to give (the hint, when there is one, says more than a place).
      const hint = importHint(error, resolved.url);
      const site = throwSite(error, resolved.url) || (hint === '' ? syntaxSite(error, resolved.url) : '');
      fail('plugin-import-failed', `importing ${module} failed: ${describeError(error)}${site}${hint}`);
      continue;
    }
    const found = policiesOf(namespace, module);
    if (!found.ok) {
      fail(found.rule, found.message);
      continue;
    }
    const clash = fits(found.policies, module, owners, accepted);
    if (clash !== undefined) {
      fail(clash.rule, clash.message);
      continue;
    }
    accepted.push(...found.policies);
    for (const policy of found.policies) owners.set(policy.name, `policy "${policy.name}" of ${request.location.path} ${module}`);
    plugins.push({ specifier: request.specifier, url: resolved.url, policies: found.policies });
  }
  return { plugins, errors };
}

/**
 * A plugin module's policies for a worker thread, which imports the URL the CLI's own thread
 * already loaded and checked: a problem now means the file changed in between, and throws.
 */
export async function importPluginPolicies(url: string): Promise<readonly AnyPolicy[]> {
  const found = policiesOf((await import(url)) as Record<string, unknown>, url);
  // The argument at fault, and the rule the configuration's plugins[i] entry would have had.
  if (!found.ok) throw new UsageError(found.message, { path: 'url', rule: found.rule });
  return found.policies;
}

type Found = { readonly ok: true; readonly policies: readonly AnyPolicy[] } | { readonly ok: false; readonly rule: string; readonly message: string };

/** The policies a module namespace exports, by the rule at the top of this file (`module`: its name in messages). */
export function policiesOf(namespace: Record<string, unknown>, module = 'the module'): Found {
  let main = namespace['default'];
  let named = namespace['policies'];
  // Imported CommonJS has `module.exports` as its default: after `exports.policies = […]` an object
  // holding the list, not a policy of its own.
  if (isExportsObject(main)) {
    named ??= main.policies;
    main = undefined;
  }
  const sources = [...(main === undefined ? [] : [['default', main] as const]), ...(named === undefined ? [] : [['"policies"', named] as const])];
  if (sources.length === 0) {
    const names = Object.keys(namespace).filter((k) => k !== 'default' && k !== 'module.exports');
    return {
      ok: false,
      rule: 'plugin-no-policies',
      message: `${module} exports no policies: export a policy made with definePolicy, or an array of them, as the default export or as "policies" (it exports ${names.length === 0 ? 'nothing' : names.map((n) => `"${n}"`).join(', ')})`,
    };
  }
  const policies: AnyPolicy[] = [];
  for (const [label, value] of sources) {
    const items: readonly unknown[] = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!isPolicy(item)) {
        const which = Array.isArray(value) ? `${label} export[${i}]` : `${label} export`;
        return { ok: false, rule: 'plugin-not-a-policy', message: `the ${which} of ${module} ${notAPolicy(item, 'export')}` };
      }
      if (!policies.includes(item)) policies.push(item);
    }
  }
  if (policies.length === 0) return { ok: false, rule: 'plugin-no-policies', message: `${module} exports no policies: its ${sources.map(([l]) => l).join(' and ')} export is an empty array` };
  return { ok: true, policies };
}

/** Why a module's policies cannot join the `accepted` ones (a name or a custom event type taken), or undefined. */
function fits(policies: readonly AnyPolicy[], module: string, owners: ReadonlyMap<string, string>, accepted: readonly AnyPolicy[]): { rule: string; message: string } | undefined {
  const own = new Set<string>();
  for (const policy of policies) {
    const owner = own.has(policy.name) ? 'another of its policies' : owners.get(policy.name);
    if (owner !== undefined) {
      return { rule: 'plugin-name-clash', message: `${module} has a policy named "${policy.name}", the name of ${owner}; a plugin's policies need names of their own` };
    }
    own.add(policy.name);
  }
  // The registry an engine with all of them would build: it refuses core names, taken names and malformed ones.
  const registry = new EventRegistry();
  for (const policy of accepted) tryRegister(registry, policy);
  for (const policy of policies) {
    const problem = tryRegister(registry, policy);
    // The registry's rule, as `new Engine({ policies })` reports it: `invalid-format` for a
    // malformed name, `plugin-event-type` for a core type or another policy's.
    if (problem !== undefined) return { rule: problem.rule ?? 'plugin-event-type', message: `${module}: ${problem.message}` };
  }
  return undefined;
}

/** Register a policy's custom event types; the registry's refusal when one cannot be. */
function tryRegister(registry: EventRegistry, policy: AnyPolicy): UsageError | undefined {
  try {
    for (const [type, schema] of Object.entries((policy.events ?? {}) as EventSchemas)) registry.register(type, runnable(schema), policy.name);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  return undefined;
}

function isExportsObject(value: unknown): value is { policies: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isPolicy(value) && 'policies' in value;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return `it threw ${JSON.stringify(error) ?? String(error)}`;
}
