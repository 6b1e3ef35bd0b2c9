import type * as z from 'zod';

/**
 * Every rule name heed puts in `ValidationError#rule`, with what it means: the one list the code
 * draws from and the README documents (a test checks the README lists exactly these). All are
 * kebab-case. A plugin's own refinement may add its rule with `params: { rule: 'my-rule' }`.
 */
export const VALIDATION_RULES = {
  // Any schema (event data, configuration, policy options, a plugin's schemas): zod's checks.
  required: 'a required field is missing',
  'invalid-type': 'a value of the wrong type (a string where a number belongs, a fraction where an integer does)',
  'invalid-value': 'a value outside an enumeration or literal (`severity: "urgent"`)',
  'invalid-union': 'a value matching none of the allowed forms',
  'too-small': 'a string, array or number under its minimum (an empty id)',
  'too-big': 'a string, array or number over its maximum (an id over 200 characters)',
  'invalid-format': 'a string not in the required format (a pattern, a time `HH:MM`, a date)',
  'not-multiple-of': 'a number that is not a multiple of the step required',
  'invalid-key': 'an invalid key in a record',
  'invalid-element': 'an invalid entry in a map or set',
  'unknown-field': 'a field the schema does not have (a misspelt field or option)',
  custom: "a plugin's refinement that names no rule of its own",
  // Events.
  'not-an-object': 'an event (or a configuration) that is not a JSON object',
  'invalid-json': 'a JSONL line (or configuration file) that is not valid JSON',
  'unknown-type': 'an event type neither core nor registered by a policy',
  'invalid-instant': '`at` is not an ISO-8601 date-time with `Z` or an offset, nor a date; or, in an event given to a store, `time` is not the instant `at` denotes in epoch milliseconds',
  'invalid-date-time': 'an instant in `data` (`dueBy`, `windowStart`, `expiresAt`) is not a full date-time',
  'window-after-due': "a promise's `windowStart` is after its `dueBy`",
  'id-conflict': 'an event id already in the stream with a different payload',
  'nul-character': 'a NUL character (`\\u0000`), which the PostgreSQL store cannot keep',
  'unpaired-surrogate': 'an unpaired UTF-16 surrogate (no Unicode character), which the PostgreSQL store cannot keep',
  'not-json': '`data` or `meta` holding what is not JSON data (a BigInt, a Date, a function, a cycle, NaN)',
  // The lifecycle of a stream.
  'relationship-already-started': '`RelationshipStarted` while the relationship is active',
  'relationship-already-ended': '`RelationshipEnded` after it ended',
  'matter-already-opened': '`MatterOpened` for a matter already opened',
  'matter-not-resolved': '`MatterReopened` for a matter that is open',
  'matter-resolved': 'changing, fixing or resolving a resolved matter',
  'unknown-matter': 'a `matterId` never opened in the stream',
  'unknown-promise': 'a `promiseId` never made in the stream',
  'promise-already-made': '`PromiseMade` for a promise already made',
  'promise-settled': 'keeping, revising, breaking or cancelling a promise already kept, broken or cancelled',
  'due-before-event': 'a promise made or revised with a `dueBy` before the event\'s own `at`',
  'unknown-survey': 'a `surveyId` never sent in the stream',
  'survey-already-sent': '`SurveySent` for a survey already sent',
  'survey-already-answered': 'a survey answered twice',
  'unknown-feedback': 'a `feedbackId` never received in the stream',
  'feedback-already-received': '`FeedbackReceived` for feedback already received',
  'feedback-already-answered': 'feedback answered twice',
  // Configuration and files.
  'unknown-policy': 'a policy that is not installed: options under `policies` for it, a plugin\'s policy not among the Engine\'s `policies`, its name given to `engine.state` or `policyOptions`',
  duplicate: 'the same entry given twice where it must be once (a policy installed twice, an upcaster step registered twice, a second `at()` in a policySpec)',
  'hours-order': 'business hours whose closing time is not after the opening time',
  'no-business-hours': 'a calendar with every day closed',
  'real-date': 'a holiday that is not a real date',
  'time-zone': 'an unknown IANA time zone',
  duration: 'a duration with a fraction on a part other than the smallest (`PT1.5H30M`)',
  ascending: "burden `levels` that do not rise",
  unreadable: 'an input or configuration file that cannot be read',
  unwritable: 'an output file that cannot be written',
  'missing-package': 'an optional peer package heed/postgres needs (`pg`, `pg-copy-streams`, `@electric-sql/pglite`) that is not installed, or not the version it needs (a UsageError\'s)',
  // Plugins listed in a configuration (`plugins`, `--plugin`).
  'plugin-not-found': 'a plugin module that cannot be found from the configuration file\'s directory',
  'plugin-duplicate': 'the same plugin module listed twice',
  'plugin-import-failed': 'a plugin module that throws or fails to parse when imported',
  'plugin-no-policies': 'a plugin module that exports no policy (default export or `policies`)',
  'plugin-not-a-policy': 'a plugin export that was not made with `definePolicy`',
  'plugin-name-clash': 'a plugin policy named like a built-in or another plugin\'s policy',
  'plugin-event-type': 'a plugin event type that is a core type or another policy\'s',
} as const satisfies Record<string, string>;

export type ValidationRule = keyof typeof VALIDATION_RULES;

/** zod's issue codes in heed's names. A `Record` over every code, so a new zod code fails to compile here. */
export const ZOD_RULES: Readonly<Record<z.core.$ZodIssue['code'], ValidationRule>> = {
  invalid_type: 'invalid-type',
  invalid_value: 'invalid-value',
  invalid_union: 'invalid-union',
  too_small: 'too-small',
  too_big: 'too-big',
  invalid_format: 'invalid-format',
  not_multiple_of: 'not-multiple-of',
  invalid_key: 'invalid-key',
  invalid_element: 'invalid-element',
  unrecognized_keys: 'unknown-field',
  custom: 'custom',
};
