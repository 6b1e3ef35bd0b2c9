import * as z from 'zod';
import { ConfigError, ValidationError } from '../errors.js';
import { issuesToErrors, joinPath, REPORTING } from '../events/issues.js';
import { didYouMean } from '../events/did-you-mean.js';
import { knownFieldsHint } from '../events/known-fields.js';
import { runnable, type AnyPolicy } from '../policies/define-policy.js';
import { Calendar } from '../time/calendar.js';
import { calendarConfigSchema, type CalendarConfigInput } from '../time/calendar-config.js';
import { inFileOrder } from './file-order.js';

/**
 * The configuration file (CONTRACT.md §3): `calendar`, policy `plugins` to load, and per-policy
 * options under `policies`, keyed by policy name. Every field is optional; each policy's schema
 * holds its defaults. A misspelt or unknown key anywhere is an error naming its path.
 */
export interface HeedConfig {
  readonly calendar?: CalendarConfigInput;
  /**
   * Modules of policy plugins, added to the built-in policies: paths relative to the
   * configuration file (`./plugins/no-reply.js`) or package names. Loaded by
   * `loadConfigFileWithPlugins` and the CLI; `resolveConfig`, `loadConfigFile` and the `Engine`
   * only check its shape and run the policies they are given.
   */
  readonly plugins?: readonly string[];
  readonly policies?: Readonly<Record<string, unknown>>;
}

export interface ResolvedConfig {
  readonly calendar: Calendar;
  /** Parsed options (defaults applied) per policy name. */
  readonly options: ReadonlyMap<string, unknown>;
}

/**
 * Whether `config` was resolved already (`resolveConfig`, `loadConfigFile`): a Calendar and a Map
 * of options. Anything else, `{ calendar: new Calendar() }` included, is a configuration to resolve,
 * which names what is wrong with it (a half-resolved one was taken for resolved, and failed later
 * on its missing options with a TypeError).
 */
export function isResolvedConfig(config: HeedConfig | ResolvedConfig | undefined): config is ResolvedConfig {
  return config !== undefined && config.calendar instanceof Calendar && 'options' in config && config.options instanceof Map;
}

/**
 * Finds the line of a JSON path in the source file, so errors read `file:line: path: message`:
 * the line, or the line and the 1-based column (which orders one line's problems).
 */
export type LineLocator = (path: readonly (string | number)[]) => number | SourcePosition | undefined;

/** Where in a source file: a 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A locator's answer as a problem's location fields. */
export function positionOf(found: number | SourcePosition | undefined): { line?: number; column?: number } {
  if (found === undefined) return {};
  return typeof found === 'number' ? { line: found } : { line: found.line, column: found.column };
}

const topLevel = z.strictObject({
  calendar: z.unknown().optional(),
  plugins: z.array(z.string().min(1, 'must not be empty')).optional(),
  policies: z.record(z.string(), z.unknown()).optional(),
});

/**
 * What options for a policy not among those given say after naming the loaded ones, by where the
 * configuration came from: an object or a file given with the policies to run (`new Engine`,
 * `resolveConfig`, `loadConfigFile`), a file whose own `plugins` are loaded
 * (`loadConfigFileWithPlugins`), or the CLI's (`plugins` or `--plugin`).
 */
export const HOW_TO_LOAD = {
  given: 'pass it in "policies" with the others, or load its plugin (loadConfigFileWithPlugins)',
  plugins: 'list its plugin in "plugins", or pass it in "policies"',
  cli: 'list its plugin in "plugins", or give --plugin <module>',
} as const;

/** Validate a configuration object against the calendar schema and each policy's options schema. */
export function resolveConfig(
  raw: unknown,
  policies: readonly AnyPolicy[],
  source: { readonly file?: string; readonly locate?: LineLocator } = {},
): ResolvedConfig {
  return resolveConfigFor(raw, policies, source, HOW_TO_LOAD.given);
}

/** `resolveConfig`, saying `howToLoad` for options of a policy not loaded (internal: `HOW_TO_LOAD`). */
export function resolveConfigFor(
  raw: unknown,
  policies: readonly AnyPolicy[],
  source: { readonly file?: string; readonly locate?: LineLocator },
  howToLoad: string,
): ResolvedConfig {
  const errors: ValidationError[] = [];
  const input = raw ?? {};
  const top = topLevel.safeParse(input, REPORTING);
  // An unknown key names the keys of the object it is in, at the top as under a policy's options.
  if (!top.success) errors.push(...issuesToErrors(top.error.issues, [], {}, knownFieldsHint(topLevel, [], 'the configuration')));
  // Keep checking the known sections even when the top level has a problem, so one run lists all.
  const record = (typeof input === 'object' && input !== null ? input : {}) as { calendar?: unknown; policies?: unknown };
  const policyOptions = (typeof record.policies === 'object' && record.policies !== null ? record.policies : {}) as Record<string, unknown>;
  let calendar: Calendar | undefined;
  // Only a missing section takes the defaults: `null` is checked (and refused, located) like any other value.
  const parsedCalendar = calendarConfigSchema.safeParse(record.calendar === undefined ? {} : record.calendar, REPORTING);
  if (parsedCalendar.success) calendar = new Calendar(record.calendar as CalendarConfigInput | undefined);
  else errors.push(...issuesToErrors(parsedCalendar.error.issues, ['calendar'], {}, knownFieldsHint(calendarConfigSchema, ['calendar'], 'calendar')));

  const known = new Map(policies.map((p) => [p.name, p]));
  const options = new Map<string, unknown>();
  for (const name of Object.keys(policyOptions)) {
    if (!known.has(name)) {
      const list = [...known.keys()].map((n) => `"${n}"`).join(', ');
      errors.push(
        new ValidationError({
          path: joinPath(['policies', name]),
          rule: 'unknown-policy',
          message: `unknown policy "${name}": no policy of that name is loaded (loaded: ${list === '' ? 'none' : list}); ${howToLoad}${didYouMean(name, [...known.keys()], policyOptions, 'own-key')}`,
        }),
      );
    }
  }
  for (const policy of policies) {
    // Own keys only: a policy named "constructor" would otherwise read Object's constructor.
    const given = Object.hasOwn(policyOptions, policy.name) ? policyOptions[policy.name] : undefined;
    const schema = runnable(policy.options);
    const parsed = schema.safeParse(given === undefined ? {} : given, REPORTING);
    if (parsed.success) options.set(policy.name, parsed.data);
    else errors.push(...issuesToErrors(parsed.error.issues, ['policies', policy.name], {}, knownFieldsHint(schema, ['policies', policy.name], policy.name)));
  }

  if (errors.length > 0 || calendar === undefined) {
    const located = errors.map((error) => {
      const position = positionOf(source.locate?.(splitPath(error.path)));
      return error.at({ ...(source.file !== undefined ? { file: source.file } : {}), ...position });
    });
    throw new ConfigError(inFileOrder(located), source.file);
  }
  return { calendar, options };
}

function splitPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[1] !== undefined) parts.push(match[1]);
  }
  return parts;
}
