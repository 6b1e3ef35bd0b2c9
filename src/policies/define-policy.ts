import type { Draft, Immutable } from 'immer';
import * as z from 'zod';
import { UsageError } from '../errors.js';
import type { CoreEvent, HeedEvent } from '../events/event.js';
import type { FindingSeverity } from '../engine/finding.js';
import type { Calendar } from '../time/calendar.js';
import { definitionMessage, definitionProblems } from './definition-shape.js';
import { isMarkedPolicy, markPolicy } from './policy-mark.js';

/**
 * The policy contract. A policy is a plain object: a name, a zod options schema with defaults, an
 * initial state, `evolve` over an immer draft, an optional `tick` for wake-ups it asked for, and a
 * summary. Built-in policies use exactly this contract; so do plugins. A stream's first run gets
 * the engine's own copy of the initial state instead of a draft (nothing else can see it), so
 * `evolve` and `tick` mutate plainly and never call immer's `original`/`current` on the state.
 *
 * Determinism rules a policy follows (the engine relies on them to give the same findings however
 * events are fed): read time only from `ctx.now` (never `Date.now()`), derive `detectedAt` from
 * the journey (an event's time, a due time), and keep everything in the state.
 */

/** What a policy reports. The engine turns it into a contract `Finding`. */
export interface FindingInput {
  readonly kind: string;
  /** What it is about, unique per kind in the stream: a promise id, matter id, survey id... */
  readonly subject: string;
  /** Tells successive findings on one subject apart (e.g. the start of a gap). Default: none. */
  readonly start?: string | number;
  readonly matterId?: string | null;
  /** Epoch ms in journey time at which it became true. */
  readonly detectedAt: number;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly evidence: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * The details depend on the clock (a gap still open, its silence growing). When findings are
   * read, the engine calls the policy's `refresh` so it can restate them as of that moment.
   */
  readonly ongoing?: boolean;
}

export interface PolicyContext<O = unknown> {
  readonly customerId: string;
  readonly options: O;
  readonly calendar: Calendar;
  /** The instant being evaluated: the event's time in `evolve`, the wake time in `tick`. */
  readonly now: number;
  /** Create or update a finding (same kind + subject + start = the same finding). */
  report(finding: FindingInput): void;
  /** Ask for `tick` at this instant (journey time). Instants in the past mean "as soon as possible". */
  wakeAt(instant: number): void;
}

export interface RefreshContext<O = unknown> {
  readonly customerId: string;
  readonly options: O;
  readonly calendar: Calendar;
  /** The engine's clock when the findings are read. */
  readonly now: number;
  report(finding: FindingInput): void;
}

export interface SummaryContext<O = unknown> {
  readonly customerId: string;
  readonly options: O;
  readonly calendar: Calendar;
  readonly now: number;
}

/**
 * A zod schema from any installed copy of zod 4: what heed needs of it in the types (its input and
 * output, which `z.input`/`z.output` read) is zod's core shape, not the classes of heed's own zod
 * version, so a plugin project on another zod 4 release type-checks as it runs (the engine calls
 * the schema's own `safeParse`).
 */
export interface AnySchema {
  readonly _zod: { readonly input: unknown; readonly output: unknown };
}

/**
 * A schema as the engine calls it. `definePolicy` checked that each one has zod's `safeParse`, and
 * every zod 4 release runs another's schemas (their core protocol is shared), so this is the one
 * place the structural type is read as heed's own zod's.
 */
export function runnable(schema: AnySchema): z.ZodType {
  return schema as z.ZodType;
}

/**
 * The options schema of a policy that takes none (`definePolicy` fills in an empty strict object).
 * Structural like `AnySchema`: a default of heed's own zod class made a plugin's inline
 * `options: z.strictObject({…})` from another zod release "excessively deep" for the compiler,
 * which matched that release's classes against it.
 */
export interface NoOptions {
  readonly _zod: { readonly input: Record<string, never>; readonly output: Record<string, never> };
}

/** Payload schemas of the custom event types a plugin registers, keyed by type name. */
export type EventSchemas = Readonly<Record<string, AnySchema>>;

/**
 * What a policy's `evolve` receives: every core event, plus its own custom types. Payloads are
 * deeply readonly: an event is history, and a write to one is a type error.
 */
export type PolicyEvent<E extends EventSchemas = Record<never, never>> =
  | CoreEvent
  | { [K in keyof E & string]: HeedEvent<K, Immutable<z.output<E[K]>>> }[keyof E & string];

export interface PolicyDefinition<
  Name extends string = string,
  OptionsSchema extends AnySchema = z.ZodType,
  State = unknown,
  Events extends EventSchemas = Record<never, never>,
  Summary = unknown,
> {
  /** Lowercase, dashes allowed: `inattention`, `deflection-loop`. The config key under `policies`. */
  readonly name: Name;
  readonly description?: string;
  /** Options schema with defaults (a strict object, so a misspelt option is an error). */
  readonly options?: OptionsSchema;
  /** Custom event types this policy introduces (payload schemas). */
  readonly events?: Events;
  /** The finding kinds it reports: `name.what` for plugins, never a core kind. Reporting another kind is a bug. */
  readonly kinds: readonly string[];
  initialState(options: z.output<OptionsSchema>): State;
  /**
   * Apply one event by changing `state` (an immer draft, or on a stream's first run the engine's
   * own copy) and return nothing. A returned value is refused with a PolicyError, not taken as the
   * new state (unlike a plain immer recipe): one draft serves a whole run of events. `void |
   * undefined` rather than `void` makes a returned value a type error, even from an arrow
   * function such as `(s) => s.list.push(x)`. `event` is deeply readonly.
   */
  evolve(state: Draft<State>, event: PolicyEvent<Events>, ctx: PolicyContext<z.output<OptionsSchema>>): void | undefined;
  /** Called at each instant requested with `ctx.wakeAt`, with `ctx.now` set to it. Changes `state`, returns nothing (as `evolve`). */
  tick?(state: Draft<State>, ctx: PolicyContext<z.output<OptionsSchema>>): void | undefined;
  /** Restate `ongoing` findings as of `ctx.now`. Reads the state (frozen); must not change it. */
  refresh?(state: Immutable<State>, ctx: RefreshContext<z.output<OptionsSchema>>): void;
  /** A JSON summary of the customer for the journey view. Reads the state (frozen); must not change it. */
  summary?(state: Immutable<State>, ctx: SummaryContext<z.output<OptionsSchema>>): Summary;
}

/**
 * The built-in policies, by identity: an object derived from one (its prototype, a Proxy of it)
 * inherits or forwards any mark a property could carry, yet runs an `initialState` of its own,
 * which the engine must copy (see `initialStateOf`).
 */
const builtins = new WeakSet<object>();
/** A policy ready for the engine. Create one with `definePolicy`. */
export type Policy<
  Name extends string = string,
  OptionsSchema extends AnySchema = z.ZodType,
  State = unknown,
  Events extends EventSchemas = Record<never, never>,
  Summary = unknown,
> = PolicyDefinition<Name, OptionsSchema, State, Events, Summary> & { readonly options: OptionsSchema };

/** A policy of any shape (what the engine stores). */
// `any` state and summary: the engine is agnostic of each policy's types.
export type AnyPolicy = Policy<string, AnySchema, any, any, any>;

/**
 * Define a policy. Checks the definition once (name, kinds namespaced as `name.what` and none of
 * them a core kind, which only the built-in policies report) and fills in an empty strict options
 * schema when the policy takes no options.
 *
 * `evolve` and `tick` change the state they are given and return nothing. A returned value (the
 * Redux or Emmett style, `return { ...state, count: state.count + 1 }`) is not taken as the new
 * state, as an immer recipe's would be: the engine folds a whole run of events into one draft, or
 * on a stream's first run into its own copy of the initial state with no draft at all, so it
 * fails the run with a PolicyError naming the policy and the event, the same however events are
 * batched. The return type `void | undefined` makes it a type error as well.
 */
export function definePolicy<
  const Name extends string,
  OptionsSchema extends AnySchema = NoOptions,
  State = unknown,
  const Events extends EventSchemas = Record<never, never>,
  // What `summary` returns (inferred; `undefined` for a policy without one), for `heed/testing`'s checks.
  Summary = undefined,
>(definition: PolicyDefinition<Name, OptionsSchema, State, Events, Summary>): Policy<Name, OptionsSchema, State, Events, Summary> {
  return checkDefinition(definition, false);
}

/** Built-in policies may report the core kinds; otherwise identical to `definePolicy`. Internal. */
export function defineBuiltinPolicy<
  const Name extends string,
  OptionsSchema extends AnySchema = NoOptions,
  State = unknown,
  Summary = undefined,
>(definition: PolicyDefinition<Name, OptionsSchema, State, Record<never, never>, Summary>): Policy<Name, OptionsSchema, State, Record<never, never>, Summary> {
  return checkDefinition(definition, true);
}

export function isBuiltinPolicy(policy: AnyPolicy): boolean {
  return builtins.has(policy);
}

/**
 * Whether a value is a policy made with `definePolicy` (by any copy of heed): its own mark, which
 * only `definePolicy` gives (policy-mark.ts); a spread copy, an object deriving from a policy, one
 * copied with every property or marked by hand are not.
 */
export function isPolicy(value: unknown): value is AnyPolicy {
  return isMarkedPolicy(value);
}

function checkDefinition<Name extends string, O extends AnySchema, S, E extends EventSchemas, M>(
  definition: PolicyDefinition<Name, O, S, E, M>,
  isBuiltin: boolean,
): Policy<Name, O, S, E, M> {
  const problem = definitionMessage(definition, definitionProblems(definition, isBuiltin));
  if (problem !== undefined) throw new UsageError(problem.message, { ...(problem.path === undefined ? {} : { path: problem.path }), rule: problem.rule });
  const { kinds } = definition;
  const options = (definition.options ?? z.strictObject({})) as O;
  // A frozen copy of the kinds checked above: the caller's array, changed later, would otherwise
  // let a core kind past the emit check (`policy.kinds.includes(kind)`).
  const policy = { ...definition, options, kinds: Object.freeze([...kinds]) };
  // Not enumerable, so a spread does not copy it: `{ ...policy, name, kinds }` (of a built-in one
  // too) skipped these checks, and is refused as not made with definePolicy, with the fix to wrap it.
  markPolicy(policy);
  if (isBuiltin) builtins.add(policy);
  return Object.freeze(policy) as Policy<Name, O, S, E, M>;
}
