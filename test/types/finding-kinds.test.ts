import { describe, expectTypeOf, it } from 'vitest';
import {
  Engine,
  type Clock,
  type CoreFinding,
  type CoreFindingDetails,
  type CoreFindingKind,
  type DriverTotal,
  type Finding,
  type FindingChange,
  type FindingOf,
  type MistimedReason,
} from '../../src/index.js';

/**
 * The core finding kinds' `details`, typed from `CoreFindingDetails` wherever a kind is named:
 * `engine.on(kind, …)`, `engine.findings({ kind })`, a `CoreFinding` narrowed on `kind`. A plugin's
 * kind keeps the general `Finding`. Checked by `tsc --noEmit -p .` (test/ is in the tsconfig's
 * include); the bodies below are never called, only compiled.
 */
describe('typed core finding kinds', () => {
  const engine = new Engine();

  it("types a core kind's listener with that kind's details", () => {
    engine.on('promise.broken', (change) => {
      expectTypeOf(change).toEqualTypeOf<FindingChange<FindingOf<'promise.broken'>>>();
      expectTypeOf(change.finding.kind).toEqualTypeOf<'promise.broken'>();
      expectTypeOf(change.finding.details.dueBy).toEqualTypeOf<string>();
      expectTypeOf(change.finding.details.explicit).toEqualTypeOf<boolean>();
      expectTypeOf(change.finding.details.party).toEqualTypeOf<string | null>();
      expectTypeOf(change.previous).toEqualTypeOf<FindingOf<'promise.broken'> | undefined>();
      // @ts-expect-error a misspelt details field of a core kind is a type error, not an undefined at run time
      void change.finding.details.dueby;
      // @ts-expect-error and so is a field of another kind's details (keptAt is promise.kept-late's)
      void change.finding.details.keptAt;
    });
    engine.once('inattention.gap', ({ finding }) => {
      expectTypeOf(finding.details.clock).toEqualTypeOf<Clock>();
      expectTypeOf(finding.details.until).toEqualTypeOf<string | null>();
      expectTypeOf(finding.details.parties).toEqualTypeOf<readonly string[] | undefined>();
    });
    engine.on('burden.escalated', ({ finding }) => expectTypeOf(finding.details.drivers).toEqualTypeOf<readonly DriverTotal[]>());
    const listener = ({ finding }: FindingChange<FindingOf<'survey.mistimed'>>) => expectTypeOf(finding.details.reasons).toEqualTypeOf<readonly MistimedReason[]>();
    engine.on('survey.mistimed', listener).off('survey.mistimed', listener);
    // A listener of the wrong kind does not fit.
    // @ts-expect-error a survey.mistimed listener is not a promise.broken listener
    engine.on('promise.broken', listener);
  });

  it("keeps a plugin kind's listener, and the every-change listener, on the general Finding", () => {
    engine.on('acme.no-reply', (change) => {
      expectTypeOf(change).toEqualTypeOf<FindingChange<Finding>>();
      expectTypeOf(change.finding.kind).toEqualTypeOf<string>();
      // A plugin's details are whatever it reports: any field reads as unknown.
      expectTypeOf(change.finding.details.anything).toEqualTypeOf<unknown>();
    });
    engine.on('finding', (change) => expectTypeOf(change).toEqualTypeOf<FindingChange>());
    // A kind held in a variable: a core kind's union gives the union of their findings, a string the general one.
    const core = (kind: CoreFindingKind) => engine.on(kind, (change) => expectTypeOf(change.finding).toEqualTypeOf<CoreFinding>());
    const plugin = (kind: `${string}.${string}`) => engine.on(kind, (change) => expectTypeOf(change.finding).toEqualTypeOf<Finding>());
    expectTypeOf(core).toBeFunction();
    expectTypeOf(plugin).toBeFunction();
    // @ts-expect-error an event name is `finding` or a `name.what` kind, as before
    engine.on('promise', () => undefined);
  });

  it('types findings({ kind }) and findingEntries({ kind }) by the kind asked for', () => {
    expectTypeOf(engine.findings({ kind: 'survey.due' })).toEqualTypeOf<FindingOf<'survey.due'>[]>();
    expectTypeOf(engine.findings({ kind: 'survey.due', customerId: 'c-1' })[0]?.details.reason).toEqualTypeOf<'resolved' | 'check-in' | undefined>();
    expectTypeOf(engine.findingEntries({ kind: 'feedback.unanswered' })[0]?.finding.details.answeredAt).toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error a misspelt details field of the kind asked for
    void engine.findings({ kind: 'promise.kept-late' })[0]?.details.lateMinute;
    // No kind, a plugin's kind, or a kind only known as a string: the general Finding, as before.
    expectTypeOf(engine.findings()).toEqualTypeOf<Finding[]>();
    expectTypeOf(engine.findings({ customerId: 'c-1' })).toEqualTypeOf<Finding[]>();
    expectTypeOf(engine.findings({ kind: 'acme.no-reply' })).toEqualTypeOf<Finding[]>();
    const byName = (kind: string) => expectTypeOf(engine.findings({ kind })).toEqualTypeOf<Finding[]>();
    expectTypeOf(byName).toBeFunction();
    expectTypeOf(engine.findingEntries()[0]?.finding).toEqualTypeOf<Finding | undefined>();
    // @ts-expect-error a misspelt filter name is still a type error (the engine refuses it at run time too)
    void (() => engine.findings({ kind: 'survey.due', customerID: 'c-1' }));
    // @ts-expect-error with any kind
    void (() => engine.findingEntries({ kind: 'acme.no-reply', customerID: 'c-1' }));
  });

  it('makes CoreFinding a union discriminated on kind, each member a Finding', () => {
    const describe = (finding: CoreFinding): string => {
      expectTypeOf(finding).toMatchTypeOf<Finding>();
      switch (finding.kind) {
        case 'promise.kept-late':
          expectTypeOf(finding.details.lateMinutes).toEqualTypeOf<number>();
          return finding.details.keptAt;
        case 'survey.too-late':
          return finding.details.endedAt;
        default:
          // @ts-expect-error not every kind has a promiseId
          return finding.details.promiseId;
      }
    };
    expectTypeOf(describe).toBeFunction();
    expectTypeOf<CoreFinding['kind']>().toEqualTypeOf<CoreFindingKind>();
    expectTypeOf<keyof CoreFindingDetails>().toEqualTypeOf<CoreFindingKind>();
    expectTypeOf<FindingOf<'acme.no-reply'>>().toEqualTypeOf<Finding>();
    expectTypeOf<FindingOf<'burden.repeated-remedy'>['details']>().toEqualTypeOf<CoreFindingDetails['burden.repeated-remedy']>();
  });
});

describe('the names a hover shows are importable', () => {
  it('a core kind listener finding is CoreFindingOf<kind>, promise details start with PromiseDetails, findings take a FindingsFilter', () => {
    type CoreOf<K extends CoreFindingKind> = import('../../src/index.js').CoreFindingOf<K>;
    const engine = new Engine();
    engine.on('promise.broken', (change) => {
      expectTypeOf(change.finding).toEqualTypeOf<CoreOf<'promise.broken'>>();
    });
    expectTypeOf<FindingOf<'promise.kept-late'>>().toEqualTypeOf<CoreOf<'promise.kept-late'>>();
    expectTypeOf<CoreFindingDetails['promise.broken']>().toMatchTypeOf<import('../../src/index.js').PromiseDetails>();
    expectTypeOf<{ readonly kind: 'x.y' }>().toMatchTypeOf<import('../../src/index.js').FindingsFilter>();
  });
});
