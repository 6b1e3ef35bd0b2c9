import { describeValue } from './describe-value.js';
import { UsageError } from './errors.js';
import { didYouMean } from './events/did-you-mean.js';

/**
 * Every public constructor and function that takes an options object refuses a name it does not
 * know: a misspelt option (`batchsize`, `expectedversion`, `asof`) would otherwise do nothing, and
 * the caller would never learn that the default ran instead. The check runs once per call of the
 * public entry point, never per event, and allocates nothing when every name is known.
 *
 * Names are an object's own enumerable string keys: a symbol key (the engine's private marks on
 * its own calls, such as `VALIDATED`) is no option name and is left alone.
 */

/**
 * The option names of an options type, as a record with one `true` per name: a name missing from
 * it, or one the type does not have, is a type error, so the list keeps in step with the interface.
 */
export function optionNames<T extends object>(names: { readonly [K in keyof T]-?: true }): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * The message for names not in `known`: `replay: unknown option "asof" (the options are "policies",
 * …). Did you mean "asOf"?`, the closest known name by the rule of an unknown event type's
 * suggestion (`closest`), among the names `given` (the object the names are in) has no value for.
 * Shared with the ProjectionWorker, whose zod schema finds the names, and definePolicy's fields.
 */
export function unknownOptionsMessage(owner: string, unknown: readonly string[], known: readonly string[], noun: string, given: object): string {
  const list = (names: readonly string[]) => names.map((name) => JSON.stringify(name)).join(', ');
  return `${owner}: unknown ${noun}${unknown.length === 1 ? '' : 's'} ${list(unknown)} (the ${noun}s are ${list(known)})${didYouMean(unknown, known, given, 'defined')}`;
}

/** What the names are called in messages, where "option" would mislead (policySpec's "setup field"). */
export interface OptionWording {
  /** One name: `unknown setup field "x" (the setup fields are …)`. Default "option". */
  readonly noun?: string;
  /** The whole argument, when it is not an object: `the setup must be an object`. Default: the noun's plural. */
  readonly argument?: string;
}

/**
 * A UsageError unless `options` is an object whose every name is in `known`: with `rule`
 * `unknown-field` and the (first) unknown name as `path`, or `invalid-type` for no object at all;
 * and `about.customerId`, the stream the call is about (`readStream`), when there is one.
 */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[], wording: OptionWording = {}, about: { readonly customerId?: string } = {}): void {
  const noun = wording.noun ?? 'option';
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`${owner}: ${wording.argument ?? `${noun}s`} must be an object, got ${describeValue(options)}`, { rule: 'invalid-type', ...about });
  }
  let unknown: string[] | undefined;
  // for…in with hasOwn rather than Object.keys: no array is built for the usual, valid call.
  for (const name in options) if (Object.hasOwn(options, name) && !known.includes(name)) (unknown ??= []).push(name);
  // `path`: the unknown name, the first of several (the message lists them all).
  if (unknown !== undefined) throw new UsageError(unknownOptionsMessage(owner, unknown, known, noun, options), { path: unknown[0] as string, rule: 'unknown-field', ...about });
}
