import type { Immutable } from 'immer';
import type { Engine } from '../engine/engine.js';
import type { Finding, FindingChange } from '../engine/finding.js';
import type { ValidationError } from '../errors.js';
import type { ValidationRule } from '../events/rules.js';
import type { CoreFindingKind } from '../engine/finding.js';
import type { CoreFindingDetails, FindingKind } from '../policies/core-findings.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { PolicyEventData, PolicyEventDataInput } from '../policies/policy-event-data.js';
import type { KnownTypeName, OfferedTypeName, PolicyTypeNames } from '../policies/policy-type-names.js';
import type { CalendarConfigInput } from '../time/calendar-config.js';

/** The public types of `heed/testing`'s `policySpec` (policy-spec.ts). */

/** An event for a spec: `customerId` may be left out (the spec's default customer is used). */
export type SpecEvent = SpecEventOf<string, Readonly<Record<string, unknown>>>;

/** A spec event of type `T` with `data` of type `D`. */
export type SpecEventOf<T extends string, D> = {
  readonly id?: string;
  readonly customerId?: string;
  readonly type: T;
  readonly at: string;
  readonly data?: D;
  readonly meta?: Readonly<Record<string, unknown>>;
};

/**
 * The events `given` and `when` take, each checked against its own type's data as `engine.record`
 * checks it (`EventDataInput`): a core type's misspelt field is a type error. `Known`: the type
 * names the spec's engine takes (`SpecTypeNames`); a literal name outside them (a misspelt
 * `PromiseMde`) is a type error, which lists them. `string` (the default) takes any. `Data`: the
 * data of the types the spec's policies declare (`SpecEventData`), checked against their schemas'
 * input; a plugin's type not in it (its policy typed `AnyPolicy`) takes any data.
 */
export type SpecEventsFor<Types extends readonly string[], Known extends string = string, Data = Record<never, never>> = {
  readonly [I in keyof Types]: SpecEventOf<KnownTypeName<Types[I], Known>, PolicyEventDataInput<Types[I], Data>>;
};

/**
 * The event types a spec's engine takes: the core types and the types its policies declare
 * (`events`), the policy under test's and its `with` policies'. `string` when one of them has
 * types the type checker does not know (a policy typed `AnyPolicy`, or `events` typed as a record).
 */
export type SpecTypeNames<Policies extends AnyPolicy> = PolicyTypeNames<Policies>;

/**
 * The data of the event types a spec's policies declare, by type name: each schema's input
 * (`z.input`). A policy typed `AnyPolicy` adds none (its types' data is free-form).
 */
export type SpecEventData<Policies extends AnyPolicy> = PolicyEventData<Policies>;

export interface PolicySpecSetup<Options = unknown, With extends readonly AnyPolicy[] = readonly AnyPolicy[]> {
  /**
   * Options for the policy under test, as they would appear under `policies.<name>` in the config:
   * typed as its options schema's input, so a wrong or misspelt option is a type error.
   */
  readonly options?: Options;
  readonly calendar?: CalendarConfigInput;
  /** Other policies to run alongside (the one under test runs first). */
  readonly with?: With;
  /** Customer used for events without a `customerId`. Default `customer-1`. */
  readonly customerId?: string;
}

/**
 * A partial finding: only the fields given are compared (details and evidence too). Instants are
 * compared as instants: `detectedAt`, and any `details` field whose actual value is an instant,
 * may be written in any form an event's `at` accepts (`'2024-03-01T10:00:00Z'`, an offset, a
 * date meaning 00:00 in the calendar's time zone); an expected instant that does not parse is a
 * `UsageError` naming the finding and field.
 *
 * Of a core kind (`FindingExpectation<'promise.broken'>`), `details` is checked against that
 * kind's (`CoreFindingDetails`): a misspelt field or a wrong value is a type error. Of a plugin's
 * kind, or without a kind, `details` is free-form. `FindingExpectation` alone is any of them.
 */
export type FindingExpectation<K extends string = FindingKind> = K extends CoreFindingKind
  ? ExpectationFields & {
      readonly kind: K;
      readonly details?: ExpectedDetails<CoreFindingDetails[K]>;
    }
  : ExpectationFields & {
      /** The core kinds are offered as completions; a plugin's kind is any other string. */
      readonly kind?: K;
      readonly details?: Readonly<Record<string, unknown>>;
    };

/** The fields of an expectation other than `kind` and `details`, each compared when given. */
type ExpectationFields = Partial<Omit<Finding, 'kind' | 'details'>>;

/**
 * A core kind's details as an expectation names them: any subset of the fields, each as the kind
 * has it (an array is compared whole, as `thenFindings` compares it; a plain object field by field).
 */
export type ExpectedDetails<D> = { readonly [F in keyof D]?: D[F] extends readonly unknown[] ? D[F] : D[F] extends object ? ExpectedDetails<D[F]> : D[F] };

/**
 * The list `thenFindings` takes, each element checked against its own kind's details (`Kinds` is
 * inferred from the list, one kind per element), so a plugin's kind does not loosen a core one
 * beside it. An element without a kind, or whose kind is held in a `string`, has free-form details.
 */
export type FindingExpectationsFor<Kinds extends readonly (string | undefined)[]> = { readonly [I in keyof Kinds]: ElementExpectation<KindOf<Kinds[I]>> };

/**
 * One element: of a core kind, that kind's expectation alone (so an error names its details). Of
 * any other kind, the core kinds' expectations are a member too: they take nothing more (their
 * details are checked), and keep the core kinds offered as completions while the kind being typed
 * (`''`, no core kind) is what is inferred.
 */
type ElementExpectation<K extends string> = [K] extends [CoreFindingKind] ? FindingExpectation<K> : FindingExpectation<K> | FindingExpectation<CoreFindingKind>;

/** An element's inferred kind: none (`undefined`) reads as any string, so its details are free-form. */
type KindOf<K> = K extends string ? K : string;

/** What `thenRejects` matches: the validation rule (heed's offered as completions, a plugin's any string) and where. */
export type RejectionExpectation = Partial<Pick<ValidationError, 'path' | 'eventType' | 'eventId'>> & { readonly rule?: ValidationRule | (string & {}) };

/** The state of the policy under test, as its checks see it: frozen, so typed readonly. */
export type SpecState<P extends AnyPolicy> = P extends { initialState(...args: never[]): infer S } ? Immutable<S> : unknown;
/** What the policy's `summary` returns (frozen), or `undefined` for a policy without one. */
export type SpecSummary<P extends AnyPolicy> = P extends { summary?(...args: never[]): infer M } ? Immutable<M> : undefined;

export interface SpecOutcome<State = unknown, Summary = unknown> {
  readonly engine: Engine;
  readonly findings: readonly Finding[];
  /** Changes emitted by the `when` steps and the final advance. */
  readonly changes: readonly FindingChange[];
  /** The policy's state for the spec's customer; `undefined` when no event of that customer was recorded. */
  readonly state: State | undefined;
  readonly summary: Summary | undefined;
}

export interface Scenario<State = unknown, Summary = unknown, Known extends string = string, Data = Record<never, never>> {
  /**
   * Events recorded after `given`, as a separate batch (they may be backdated). Called again, it
   * adds a further batch, recorded after the ones before it.
   */
  when<const Types extends readonly OfferedTypeName<Known>[]>(events: SpecEventsFor<Types, Known, Data>): Scenario<State, Summary, Known, Data>;
  /**
   * Advance the journey clock to this instant after every event (given and when): call it last,
   * once, with an instant not before the last event, and not before `thenRejects`. Anywhere else
   * it would change nothing (the clock never goes back, and recording is refused or not before it
   * moves), so it is a `UsageError` rather than a test that checks less than it says.
   */
  at(instant: string): Scenario<State, Summary, Known, Data>;
  /** Run and return everything, for custom assertions. */
  run(): Promise<SpecOutcome<State, Summary>>;
  /** Exactly these findings, in the contract's order, each matched on the fields given. */
  thenFindings<const Kinds extends readonly (FindingKind | undefined)[]>(expected: FindingExpectationsFor<Kinds>): Promise<SpecOutcome<State, Summary>>;
  thenNoFindings(): Promise<SpecOutcome<State, Summary>>;
  /**
   * Assert on the policy's state for the spec's customer (throw inside to fail; an async check is
   * awaited). Typed from the policy's `initialState`; an `AssertionError` when no event of that
   * customer was recorded, so there is no state to check.
   */
  thenState(check: (state: State) => void | Promise<void>): Promise<SpecOutcome<State, Summary>>;
  /** The same for the policy's summary, typed from its `summary` (`undefined` for a policy without one). */
  thenSummary(check: (summary: Summary) => void | Promise<void>): Promise<SpecOutcome<State, Summary>>;
  /**
   * Recording must fail with a validation problem matching these fields (e.g. `{ rule: 'unknown-matter' }`).
   * Not after `at()`, which could not change it (a `UsageError`).
   */
  thenRejects(expected: RejectionExpectation): Promise<void>;
}

export interface PolicySpec<State = unknown, Summary = unknown, Known extends string = string, Data = Record<never, never>> {
  /**
   * `Known`: the event type names the spec takes (`SpecTypeNames`), `string` for any. `Data`: the
   * data of the types its policies declare (`SpecEventData`).
   */
  given<const Types extends readonly OfferedTypeName<Known>[]>(events: SpecEventsFor<Types, Known, Data>): Scenario<State, Summary, Known, Data>;
}
