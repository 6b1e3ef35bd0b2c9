import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import type * as z from 'zod';
import type { HeedConfig } from '../config/config.js';
import { describeValue } from '../describe-value.js';
import { Engine } from '../engine/engine.js';
import type { Finding, FindingChange } from '../engine/finding.js';
import { HeedError, InvalidInputError, UsageError } from '../errors.js';
import { instantArgument } from '../engine/runtime.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { setEntry } from '../set-entry.js';
import type { Calendar } from '../time/calendar.js';
import { parseDateTime, toIso } from '../time/instant.js';
import { copyEvents } from './scenario-events.js';
import type { FindingExpectation, PolicySpec, PolicySpecSetup, Scenario, SpecEvent, SpecEventData, SpecOutcome, SpecState, SpecSummary, SpecTypeNames } from './spec-types.js';
import { quoteId } from '../quote-id.js';

export type { ExpectedDetails, FindingExpectation, FindingExpectationsFor, PolicySpec, PolicySpecSetup, RejectionExpectation, Scenario, SpecEvent, SpecEventData, SpecEventOf, SpecEventsFor, SpecOutcome, SpecState, SpecSummary, SpecTypeNames } from './spec-types.js';

/**
 * Given / when / then for policy authors (after Emmett's DeciderSpecification). Framework-agnostic:
 * a failed expectation throws node's `AssertionError` with `actual` and `expected`, which vitest,
 * jest, mocha and node:test all render as a diff.
 *
 *   const spec = policySpec(deflectionLoop, { options: { threshold: 3 } });
 *   await spec.given([...]).when([...]).at('2024-01-05').thenFindings([{ kind: 'deflection-loop.detected' }]);
 *
 * Stricter than production on one point: events are deep-frozen before the policy sees them
 * (`EngineOptions.freezeEvents`, off in production for speed), so a policy that writes to an
 * event fails its spec with a PolicyError naming the policy, the event and the property. States,
 * summaries and findings are frozen everywhere.
 */

const SETUP_FIELDS = optionNames<PolicySpecSetup>({ options: true, calendar: true, with: true, customerId: true });

// `With` inferred as written (`const`): `[...loaded, myPlugin]` would otherwise be reduced to `AnyPolicy[]`, losing the plugin's types.
export function policySpec<P extends AnyPolicy, const With extends readonly AnyPolicy[] = readonly never[]>(
  policy: P,
  setup: PolicySpecSetup<z.input<P['options']>, With> = {},
): PolicySpec<SpecState<P>, SpecSummary<P>, SpecTypeNames<P | With[number]>, SpecEventData<P | With[number]>> {
  type Outcome = SpecOutcome<SpecState<P>, SpecSummary<P>>;
  type Known = SpecTypeNames<P | With[number]>;
  type Data = SpecEventData<P | With[number]>;
  // A misspelt field would silently leave the options (or calendar, customer) at their defaults.
  checkOptionNames('policySpec', setup, SETUP_FIELDS, { noun: 'setup field', argument: 'the setup' });
  const customerId = setup.customerId ?? 'customer-1';
  const config: HeedConfig = {
    ...(setup.calendar !== undefined ? { calendar: setup.calendar } : {}),
    ...(setup.options !== undefined ? { policies: { [policy.name]: setup.options } } : {}),
  };
  const fill = (events: readonly SpecEvent[]) => events.map((e) => ({ ...e, customerId: e.customerId ?? customerId }));

  return {
    given(givenEvents) {
      mustBeArray(givenEvents, 'given', 'events', 'given([event])');
      // Copied, as when(): the events as given, whatever later becomes of the caller's array or events.
      const given = copyEvents(givenEvents);
      // One batch per when(), recorded in the order written.
      const whenBatches: (readonly SpecEvent[])[] = [];
      let until: string | undefined;

      const run = async (): Promise<Outcome> => {
        // The scenario as written when then… is called (this runs before the first await): read
        // after it, a when() or at() called later changed a run already started, or not,
        // depending on whether given() had events to wait for.
        const batches = whenBatches.slice();
        const instant = until;
        // Events frozen (off in production, for speed): a policy that writes to one fails here.
        const engine = new Engine({ policies: [policy, ...(setup.with ?? [])], config, freezeEvents: true });
        if (given.length > 0) await engine.record(fill(given));
        const changes: FindingChange[] = [];
        engine.on('finding', (change) => changes.push(change));
        for (const batch of batches) if (batch.length > 0) await engine.record(fill(batch));
        if (instant !== undefined) {
          const target = instantArgument(engine.calendar, instant, 'policySpec: at', 'at');
          if (engine.now === undefined) throw new UsageError(`policySpec: at(${JSON.stringify(instant)}) with no events: there is no journey for the clock to advance`, { path: 'at' });
          if (target < engine.now) {
            throw new UsageError(
              `policySpec: at(${JSON.stringify(instant)}) is before the last event (${toIso(engine.now)}): the clock only moves forward, so it would change nothing; give a later instant or leave at() out`,
              { path: 'at', rule: 'too-small' },
            );
          }
          await engine.advanceTo(target);
        }
        return {
          engine,
          findings: engine.findings(),
          changes,
          state: engine.state<SpecState<P>>(customerId, policy.name),
          summary: engine.summary(customerId)[policy.name] as SpecSummary<P> | undefined,
        };
      };

      const scenario: Scenario<SpecState<P>, SpecSummary<P>, Known, Data> = {
        when(events) {
          mustBeArray(events, 'when', 'events', 'when([event])');
          if (until !== undefined) {
            const at = JSON.stringify(until);
            throw new UsageError(`policySpec: at(${at}) comes before when(): the clock is advanced once, after every event; write given([…]).when([…]).at(${at})`, { path: 'at' });
          }
          // A second when() is more events, as "when … and then when …" reads: it was kept instead
          // of the first, so the spec silently tested without the events written first.
          whenBatches.push(copyEvents(events));
          return scenario;
        },
        at(instant) {
          if (until !== undefined) {
            throw new UsageError(
              `policySpec: at() called twice (${JSON.stringify(until)}, then ${JSON.stringify(instant)}): the clock is advanced once, after every event; give one instant`,
              { path: 'at', rule: 'duplicate' },
            );
          }
          until = instant;
          return scenario;
        },
        run,
        async thenFindings(expected) {
          mustBeArray(expected, 'thenFindings', 'expected findings', 'thenFindings([{ … }])');
          const outcome = await run();
          const want = expected.map((e, i) => normaliseInstants(outcome.engine.calendar, e, outcome.findings[i], i));
          const actual = outcome.findings.map((finding, i) => project(finding, want[i]));
          if (actual.length !== want.length || !actual.every((f, i) => isDeepStrictEqual(f, want[i]))) {
            throw new AssertionError({
              message: `expected ${want.length} finding(s) matching, got ${outcome.findings.length}:\n${outcome.findings.map((f) => `  ${f.kind} at ${f.detectedAt}: ${f.message}`).join('\n')}`,
              actual: outcome.findings.length === want.length ? actual : outcome.findings,
              expected: want,
              operator: 'thenFindings',
            });
          }
          return outcome;
        },
        async thenNoFindings() {
          return scenario.thenFindings([]);
        },
        async thenState(check) {
          const outcome = await run();
          const state = recordedState(outcome, 'thenState');
          // Awaited: an async check's failure was a rejection no one waited for, and the spec passed.
          await check(state);
          return outcome;
        },
        async thenSummary(check) {
          const outcome = await run();
          recordedState(outcome, 'thenSummary');
          await check(outcome.summary as SpecSummary<P>);
          return outcome;
        },
        async thenRejects(expected) {
          // Recording is refused or not before the clock moves: the spec would read "as of T" for nothing.
          if (until !== undefined) {
            throw new UsageError(
              `policySpec: at(${JSON.stringify(until)}) with thenRejects(): recording is refused or accepted before the clock is advanced, so it would change nothing; leave at() out`,
              { path: 'at' },
            );
          }
          let error: unknown;
          try {
            await run();
          } catch (caught) {
            error = caught;
          }
          if (!(error instanceof InvalidInputError)) {
            throw new AssertionError({
              message: error === undefined ? 'expected the events to be rejected, but they were recorded' : `expected InvalidInputError, got ${describe(error)}`,
              actual: error,
              expected,
              operator: 'thenRejects',
            });
          }
          const match = error.errors.find((e) => Object.entries(expected).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v));
          if (match === undefined) {
            throw new AssertionError({
              message: `no problem matched; got:\n${error.errors.map((e) => `  [${e.rule}] ${e.message}`).join('\n')}`,
              actual: error.errors.map((e) => ({ rule: e.rule, path: e.path, eventType: e.eventType, eventId: e.eventId })),
              expected,
              operator: 'thenRejects',
            });
          }
        },
      };
      return scenario;

      /** The state the checks are typed with: a customer without events has none, and a check given `undefined` tested nothing. */
      function recordedState(outcome: Outcome, operator: string): SpecState<P> {
        if (outcome.state !== undefined) return outcome.state;
        throw new AssertionError({
          message: `no event of customer ${quoteId(customerId)} was recorded, so policy "${policy.name}" has no state for ${operator} to check`,
          actual: undefined,
          expected: `the state of customer ${quoteId(customerId)}`,
          operator,
        });
      }
    },
  };
}

/**
 * Arrays only, from JavaScript too: one event passed as itself was recorded as no events at all
 * (it has no `length`), so `thenNoFindings()` passed whatever the policy did. `path`: the method.
 */
function mustBeArray(value: unknown, method: string, what: string, write: string): void {
  if (Array.isArray(value)) return;
  throw new UsageError(`policySpec: ${method} expects an array of ${what}, got ${describeValue(value)}; write ${write}`, { path: method, rule: 'invalid-type' });
}

/** Keep only the fields the expectation names, recursively for plain objects. */
function project(actual: unknown, expected: unknown): unknown {
  if (expected === undefined || typeof expected !== 'object' || expected === null || Array.isArray(expected)) return actual;
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return actual;
  const out: Record<string, unknown> = {};
  // Keys may be ids from the input: only own entries count, and "__proto__" is a key like any other.
  for (const key of Object.keys(expected)) {
    const value = Object.hasOwn(actual, key) ? (actual as Record<string, unknown>)[key] : undefined;
    setEntry(out, key, project(value, (expected as Record<string, unknown>)[key]));
  }
  return out;
}

/**
 * The expectation with its instants in heed's printed form (`toIso`), read with the parser event
 * times go through, so `'…10:00:00Z'` equals `'…10:00:00.000Z'`. `detectedAt` is always an
 * instant; in `details`, a string is one where the actual value is (plugins' details have no schema).
 */
function normaliseInstants(calendar: Calendar, expected: FindingExpectation, actual: Finding | undefined, index: number): FindingExpectation {
  const which = `finding #${index + 1}${expected.kind !== undefined ? ` (${expected.kind})` : ''}`;
  const instant = (text: unknown, field: string): string => {
    const ms = typeof text === 'string' ? calendar.parseInstant(text) : undefined;
    if (ms === undefined) {
      throw new UsageError(
        `thenFindings: ${which}: ${field} ${JSON.stringify(text)} is not an instant; write an ISO-8601 date-time with Z or an offset, or a date YYYY-MM-DD, as in an event's "at"`,
        { path: `thenFindings[${index}].${field}`, rule: 'invalid-instant' },
      );
    }
    return toIso(ms);
  };
  const inDetails = (want: unknown, got: unknown, field: string): unknown => {
    if (typeof want === 'string' && typeof got === 'string' && isPrintedInstant(got)) return instant(want, field);
    if (Array.isArray(want) && Array.isArray(got)) return want.map((w, i) => inDetails(w, got[i], `${field}[${i}]`));
    if (isPlainObject(want) && isPlainObject(got)) {
      return Object.fromEntries(Object.entries(want).map(([k, w]) => [k, inDetails(w, got[k], `${field}.${k}`)]));
    }
    return want;
  };
  let out: FindingExpectation = expected;
  if (expected.detectedAt !== undefined) out = { ...out, detectedAt: instant(expected.detectedAt, 'detectedAt') };
  if (expected.details !== undefined && actual !== undefined) {
    out = { ...out, details: inDetails(expected.details, actual.details, 'details') as Record<string, unknown> };
  }
  return out;
}

/** Text as heed prints instants (`toIso`): only such actual values make an expected string an instant. */
function isPrintedInstant(text: string): boolean {
  const ms = parseDateTime(text);
  return ms !== undefined && toIso(ms) === text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof HeedError ? `${error.name} (${error.code}): ${error.message}` : String(error);
}
