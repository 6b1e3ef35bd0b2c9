import type { CoreFindingKind, Finding } from '../engine/finding.js';
import type { Outcome } from '../events/fields.js';
import type { Clock } from '../time/duration.js';
import type { DriverTotal } from './burden/score.js';
import type { FindingInput } from './define-policy.js';
import type { MistimedReason } from './survey/state.js';

/**
 * The `details` of each core finding kind (CONTRACT.md §2), exactly as the built-in policies
 * report them. The one source of truth on both sides: every built-in emit site is checked against
 * `CoreFindingInput<kind>` (an object literal with a field missing, misspelt or added is a compile
 * error there), and `engine.on(kind, …)` and `engine.findings({ kind })` type a core finding's
 * details from it. Instants are ISO-8601 strings, durations whole minutes.
 *
 * Type aliases, not interfaces, on purpose: an object type alias is assignable to `Finding`'s
 * `Readonly<Record<string, unknown>>` details, an interface (no implicit index signature) is not.
 */
export type CoreFindingDetails = {
  readonly 'inattention.gap': {
    readonly since: string;
    /** Null while the gap is open. */
    readonly until: string | null;
    readonly silenceMinutes: number;
    readonly allowedMinutes: number;
    readonly clock: Clock;
    /** Inbound contacts by the customer during the gap. */
    readonly chases: number;
    /** The `parties` option, when it restricts who counts as attention. */
    readonly parties?: readonly string[];
  };
  readonly 'promise.at-risk': PromiseDetails & {
    readonly dueBy: string;
    readonly windowStart: string | null;
  };
  readonly 'promise.broken': PromiseDetails & {
    readonly dueBy: string;
    readonly windowStart: string | null;
    /** Broken by a `PromiseBroken` event, not by its due time passing. */
    readonly explicit: boolean;
    readonly reason: string | null;
  };
  readonly 'promise.kept-late': PromiseDetails & {
    readonly dueBy: string;
    readonly keptAt: string;
    readonly lateMinutes: number;
  };
  readonly 'burden.escalated': {
    readonly level: number;
    readonly threshold: number;
    readonly score: number;
    /** The contributions that add up to the score, largest first. */
    readonly drivers: readonly DriverTotal[];
    readonly matters: readonly { readonly matterId: string | null; readonly score: number }[];
    /** The `window` option as written (`P180D`). */
    readonly window: string;
    readonly since: string;
  };
  readonly 'burden.repeated-remedy': {
    readonly method: string;
    readonly failures: number;
    readonly outcomes: readonly Outcome[];
    readonly lastAttemptAt: string;
  };
  readonly 'survey.due': {
    readonly opensAt: string;
    readonly closesAt: string;
    readonly reason: 'resolved' | 'check-in';
    /** The survey sent while the window was open, if any. */
    readonly surveyId: string | null;
  };
  readonly 'survey.mistimed': {
    readonly surveyId: string;
    readonly reasons: readonly MistimedReason[];
    readonly sentAt: string;
    readonly expiresAt: string | null;
  };
  readonly 'survey.too-late': {
    readonly endedAt: string;
    readonly lastResolvedAt: string | null;
    readonly mistimedSurveys: readonly string[];
  };
  readonly 'feedback.unanswered': {
    readonly feedbackId: string;
    readonly receivedAt: string;
    readonly replyBy: string;
    readonly answeredAt: string | null;
  };
};

/** What every promise finding's details start with. */
export type PromiseDetails = {
  readonly promiseId: string;
  readonly what: string;
  readonly party: string | null;
};

/**
 * A map with a key per core kind and no other: a kind added to `coreFindingKinds` without its
 * details (or the reverse) fails to compile here. Type-only, nothing is emitted.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type DetailsCoverEveryCoreKind = Assert<Same<keyof CoreFindingDetails, CoreFindingKind>>;

/** A core kind's finding, its `kind` and `details` typed. */
export interface CoreFindingOf<K extends CoreFindingKind> extends Finding {
  readonly kind: K;
  readonly details: CoreFindingDetails[K];
}

/** A finding of a core kind: a union discriminated on `kind`, so a check of `kind` types `details`. */
export type CoreFinding = { [K in CoreFindingKind]: CoreFindingOf<K> }[CoreFindingKind];

/** A finding of kind `K`: the core member for a core kind, the general `Finding` for any other (a plugin's). */
export type FindingOf<K extends string> = K extends CoreFindingKind ? CoreFindingOf<K> : Finding;

/**
 * A kind, with the core kinds offered as completions; any other string (a plugin's
 * `plugin-name.what`) is accepted too. `string & {}` keeps the literals from being absorbed.
 */
export type FindingKind = CoreFindingKind | (string & {});

/** What a built-in policy reports for a core kind: the emit sites' type, checked against `CoreFindingDetails`. */
export interface CoreFindingInput<K extends CoreFindingKind> extends FindingInput {
  readonly kind: K;
  readonly details: CoreFindingDetails[K];
}
