import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { builtinPolicies, definePolicy, type AnyPolicy, parseJsonl, replay, type EventInput, type NewEvent, type ReplayOptions, type StoredEvent, type ValidEvent } from '../../src/index.js';

/**
 * `replay` checks a list of events as `engine.record` does, each element against its own type's
 * data, and still takes what it took: a list `parseJsonl` validated, and any other iterable (a
 * generator, a Set) of events. A list of a store's events (`NewEvent[]`, `StoredEvent[]`: fields
 * replay refuses at run time) or of unknowns is refused. Checked by `tsc --noEmit -p .`: the
 * functions holding `@ts-expect-error` lines are compiled, never called.
 */
describe('typed replay input', () => {
  const at = '2024-03-01T10:00:00Z';
  const customerId = 'c';

  // A plugin's type, declared by the policy that takes it: replay knows the types its policies declare.
  const notices = definePolicy({ name: 'notices', events: { NoReplyNoticeSent: z.record(z.string(), z.unknown()) }, kinds: ['notices.sent'], initialState: () => ({}), evolve() {} });

  it('refuses a type name that is neither a core type nor one its policies declare (the built-in ones when none are given)', () => {
    const typeOnly = (options: ReplayOptions, loaded: readonly AnyPolicy[]) => {
      // @ts-expect-error PromiseMde is a misspelt PromiseMade: the built-in policies declare no types of their own
      void replay([{ customerId, type: 'PromiseMde', at, data: { promiseId: 'p' } }]);
      // @ts-expect-error with options that give no policies, the same
      void replay([{ customerId, type: 'PromiseMde', at }], { asOf: at });
      void replay([{ customerId, type: 'NoReplyNoticeSent', at, data: { any: 1 } }], { policies: [notices], asOf: at });
      // A type registered in CustomEventTypes (event-input-types.test.ts registers this one): declared by its user, so taken.
      void replay([{ customerId, type: 'TypeTestNoticeSent', at, data: { matterId: 'm' } }]);
      // @ts-expect-error NoReplyNoticeSnet is misspelt, and the policies given declare NoReplyNoticeSent only
      void replay([{ customerId, type: 'NoReplyNoticeSnet', at }], { policies: [notices] });
      // Policies whose types the checker does not know (typed AnyPolicy, as a loaded configuration's),
      // or options typed ReplayOptions: any name, as a plugin's.
      void replay([{ customerId, type: 'AnythingAtAll', at }], { policies: [...builtinPolicies, ...loaded] });
      void replay([{ customerId, type: 'AnythingAtAll', at }], options);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("checks a list's core events against their own type's data, a plugin's type beside them taking any data", () => {
    const typeOnly = () => {
      void replay([{ customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at } }]);
      // @ts-expect-error dueAtt is not a field of PromiseMade (dueBy is)
      void replay([{ customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at, dueAtt: at } }]);
      void replay([
        { customerId, type: 'NoReplyNoticeSent', at, data: { anything: [1, { nested: true }] } },
        // @ts-expect-error outcome is one of succeeded, partial, failed, worsened: the plugin's event beside it does not loosen it
        { customerId, type: 'FixAttempted', at, data: { matterId: 'm', method: 'reboot', outcome: 'fixed' } },
      ], { policies: [notices] });
      // @ts-expect-error a required field left out (what, dueBy)
      void replay([{ customerId, type: 'PromiseMade', at, data: { promiseId: 'p' } }], { asOf: at });
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("takes parseJsonl's events, EventInput lists and other iterables; refuses a store's events and unknowns", () => {
    const typeOnly = (inputs: EventInput[], frozen: readonly EventInput[], parsed: ValidEvent[], news: NewEvent[], stored: StoredEvent[], unknowns: unknown[]) => {
      void replay(parseJsonl('').events);
      void replay(parsed);
      void replay(inputs);
      void replay(frozen);
      void replay(new Set(parsed));
      void replay(
        (function* () {
          yield* inputs;
        })(),
      );
      // @ts-expect-error a NewEvent carries a schemaVersion, which replay refuses at run time (unknown-field)
      void replay(news);
      // @ts-expect-error a stored event carries its positions, which replay refuses at run time
      void replay(stored);
      // @ts-expect-error a list of unknowns is no list of events
      void replay(unknowns);
      // @ts-expect-error nor is an iterable of NewEvents that is not an array
      void replay(new Set(news));
      void replay(unknowns as EventInput[]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('replays a Set and a generator as it replays the list they hold (run time unchanged)', async () => {
    const { events } = parseJsonl(
      [
        JSON.stringify({ customerId, type: 'MatterOpened', at, data: { matterId: 'm' } }),
        JSON.stringify({ customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: '2024-03-02T10:00:00Z', matterId: 'm' } }),
      ].join('\n'),
    );
    const asOf = '2024-03-05T00:00:00Z';
    const fromList = (await replay(events, { asOf })).snapshot;
    expect(fromList.findings.map((f) => f.kind)).toContain('promise.broken');
    expect((await replay(new Set(events), { asOf })).snapshot).toEqual(fromList);
    const generated = (function* () {
      yield* events;
    })();
    expect((await replay(generated, { asOf })).snapshot).toEqual(fromList);
  });
});
