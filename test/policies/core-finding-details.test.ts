import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinPolicies, coreFindingKinds, Engine, replayValidated, type CoreFindingDetails, type CoreFindingKind } from '../../src/index.js';
import { exampleConfig, examples, readJourney } from '../examples/journeys.js';

/**
 * Every field of each core kind's `CoreFindingDetails`, and whether it may be left out. The
 * `Record` over the type's keys makes this list complete and exact at compile time (a field added
 * to or dropped from the type is an error here), so the test below compares what the built-in
 * policies emit with the type itself. The emit sites are checked against the type as they are
 * compiled; this catches what that check cannot see, such as a field brought in by a spread.
 */
type Fields = { readonly [K in CoreFindingKind]: Readonly<Record<keyof CoreFindingDetails[K], 'required' | 'optional'>> };
const fields: Fields = {
  'inattention.gap': { since: 'required', until: 'required', silenceMinutes: 'required', allowedMinutes: 'required', clock: 'required', chases: 'required', parties: 'optional' },
  'promise.at-risk': { promiseId: 'required', what: 'required', party: 'required', dueBy: 'required', windowStart: 'required' },
  'promise.broken': { promiseId: 'required', what: 'required', party: 'required', dueBy: 'required', windowStart: 'required', explicit: 'required', reason: 'required' },
  'promise.kept-late': { promiseId: 'required', what: 'required', party: 'required', dueBy: 'required', keptAt: 'required', lateMinutes: 'required' },
  'burden.escalated': { level: 'required', threshold: 'required', score: 'required', drivers: 'required', matters: 'required', window: 'required', since: 'required' },
  'burden.repeated-remedy': { method: 'required', failures: 'required', outcomes: 'required', lastAttemptAt: 'required' },
  'survey.due': { opensAt: 'required', closesAt: 'required', reason: 'required', surveyId: 'required' },
  'survey.mistimed': { surveyId: 'required', reasons: 'required', sentAt: 'required', expiresAt: 'required' },
  'survey.too-late': { endedAt: 'required', lastResolvedAt: 'required', mistimedSurveys: 'required' },
  'feedback.unanswered': { feedbackId: 'required', receivedAt: 'required', replyBy: 'required', answeredAt: 'required' },
};

describe('core finding details', () => {
  it('are exactly the fields CoreFindingDetails declares, for every core kind the example journeys raise', async () => {
    const seen = new Map<string, Set<string>>();
    // Twice: as configured, and with inattention's `parties` option (which adds that optional field).
    for (const options of [{}, { inattention: { parties: ['agent', 'adjuster', 'dispatch'] } }]) {
      for (const file of readdirSync(`${examples}journeys`).sort()) {
        const engine = new Engine({ policies: builtinPolicies, config: exampleConfig(options) });
        const { snapshot } = await replayValidated(engine, readJourney(engine, file));
        for (const finding of snapshot.findings) {
          const declared = fields[finding.kind as CoreFindingKind] as Readonly<Record<string, 'required' | 'optional'>> | undefined;
          expect(declared, `${finding.kind} is a core kind`).toBeDefined();
          const actual = Object.keys(finding.details).sort();
          const required = Object.keys(declared ?? {}).filter((name) => declared?.[name] === 'required');
          const where = `${file}: ${finding.kind} ${JSON.stringify(finding.details)}`;
          expect(actual.filter((name) => declared?.[name] === undefined), `${where}: fields the type does not declare`).toEqual([]);
          expect(required.filter((name) => !actual.includes(name)), `${where}: declared fields missing`).toEqual([]);
          const names = seen.get(finding.kind) ?? new Set<string>();
          for (const name of actual) names.add(name);
          seen.set(finding.kind, names);
        }
      }
    }
    // The journeys raise every core kind, and every declared field (the optional ones too) at least once.
    expect([...seen.keys()].sort()).toEqual([...coreFindingKinds].sort());
    for (const kind of coreFindingKinds) expect([...(seen.get(kind) ?? [])].sort(), kind).toEqual(Object.keys(fields[kind]).sort());
  }, 60_000);
});
