import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  Engine,
  InvalidInputError,
  definePolicy,
  type CoreEventDataInput,
  type EventDataInput,
  type EventInput,
  type EventInputFor,
  type NewEvent,
} from '../../src/index.js';
import { policySpec, type SpecEvent } from '../../src/testing/index.js';
import { ledger } from '../fixtures/ledger-policy.js';

// A plugin's custom type, registered for the type checker as a plugin's user would (the name is
// this test's own: the registration holds for the whole compilation).
declare module 'heed' {
  interface CustomEventTypes {
    TypeTestNoticeSent: { readonly matterId: string; readonly notice?: 'first' | 'second' };
  }
}

/**
 * Event input is checked against its type's data wherever events are given: `engine.record` (one
 * event or a list, each element on its own) and `heed/testing`'s `given` / `when`. A core type's
 * misspelt field or wrong value is a type error; a plugin's type takes any data unless registered
 * in `CustomEventTypes`. Checked by `tsc --noEmit -p .` (test/ is in the tsconfig's include): the
 * functions below that hold `@ts-expect-error` lines are compiled, never called.
 */
describe('typed event input', () => {
  const at = '2024-03-01T10:00:00Z';
  const customerId = 'c';

  it("checks a core type's data in engine.record: a misspelt field or a wrong value is a type error", () => {
    const typeOnly = (engine: Engine) => {
      void engine.record({ customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at } });
      void engine.record({
        customerId,
        type: 'PromiseMade',
        at,
        // @ts-expect-error dueAtt is not a field of PromiseMade (dueBy is)
        data: { promiseId: 'p', what: 'call', dueBy: at, dueAtt: at },
      });
      void engine.record({
        customerId,
        type: 'FixAttempted',
        at,
        // @ts-expect-error outcome is one of succeeded, partial, failed, worsened
        data: { matterId: 'm', method: 'reboot', outcome: 'fixed' },
      });
      // @ts-expect-error a required field left out (what, dueBy)
      void engine.record({ customerId, type: 'PromiseMade', at, data: { promiseId: 'p' } });
      // Defaults the contract states are optional as written (severity, importance).
      void engine.record({ customerId, type: 'MatterOpened', at, data: { matterId: 'm' } });
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('gives a custom type any data, alone and in a list mixed with core types, each element checked on its own', () => {
    const typeOnly = (engine: Engine, someType: string) => {
      void engine.record({ customerId, type: 'NoReplyNoticeSent', at, data: { anything: [1, { nested: true }] } });
      void engine.record([
        { customerId, type: 'NoReplyNoticeSent', at, data: { anything: 1 } },
        { customerId, type: 'MatterOpened', at, data: { matterId: 'm', severity: 'high' } },
        { customerId, type: 'ContactMade', at, data: { direction: 'inbound', channel: 'phone', matterId: 'm' } },
      ]);
      void engine.record([
        { customerId, type: 'NoReplyNoticeSent', at, data: { matterID: 'free-form here' } },
        // @ts-expect-error matterID is misspelt: a custom type earlier in the list does not loosen a core one
        { customerId, type: 'MatterOpened', at, data: { matterID: 'm' } },
      ]);
      void engine.record([
        // A type held in a string is not checked (it may be any type)...
        { customerId, type: someType, at, data: { whatever: true } },
        // @ts-expect-error ...and does not loosen the literal core event beside it
        { customerId, type: 'FixAttempted', at, data: { matterId: 'm', method: 'reboot', outcome: 'fixed' } },
      ]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('still takes events typed EventInput, and a single event or list annotated EventInputFor', () => {
    const typeOnly = (engine: Engine, list: EventInput[], one: EventInput, frozen: readonly EventInput[]) => {
      void engine.record(list);
      void engine.record(one);
      void engine.record(frozen);
      const made: EventInputFor<'PromiseMade'> = { customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at } };
      // @ts-expect-error an annotated variable is checked where it is written
      const bad: EventInputFor<'PromiseMade'> = { customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at, dueAtt: at } };
      void engine.record([made, bad]);
    };
    // A list of a store's input (data: unknown) or of unknowns is refused, as the README says: give it as EventInput[].
    const refused = (engine: Engine, stored: NewEvent[], unknowns: unknown[]) => {
      // @ts-expect-error NewEvent's data is unknown: not an event input's
      void engine.record(stored);
      // @ts-expect-error a list of unknowns is no list of events
      void engine.record(unknowns);
      void engine.record(stored as EventInput[]);
    };
    expect(refused).toBeTypeOf('function');
    expect(typeOnly).toBeTypeOf('function');
    expectTypeOf<EventDataInput<'PromiseMade'>>().toEqualTypeOf<CoreEventDataInput['PromiseMade']>();
    expectTypeOf<EventDataInput<'NoReplyNoticeSent'>>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });

  it('checks a custom type registered in CustomEventTypes as it checks a core type', () => {
    const typeOnly = (engine: Engine) => {
      void engine.record({ customerId, type: 'TypeTestNoticeSent', at, data: { matterId: 'm', notice: 'first' } });
      // @ts-expect-error notice is 'first' or 'second'
      void engine.record({ customerId, type: 'TypeTestNoticeSent', at, data: { matterId: 'm', notice: 'third' } });
      void engine.record([
        { customerId, type: 'MatterOpened', at, data: { matterId: 'm' } },
        // @ts-expect-error matterID is misspelt in a registered type's data
        { customerId, type: 'TypeTestNoticeSent', at, data: { matterID: 'm' } },
      ]);
    };
    expect(typeOnly).toBeTypeOf('function');
    expectTypeOf<EventDataInput<'TypeTestNoticeSent'>>().toEqualTypeOf<{ readonly matterId: string; readonly notice?: 'first' | 'second' }>();
  });

  it("checks heed/testing's given and when the same way (customerId optional)", () => {
    // A spec takes the types its policies declare (a misspelt name is a type error there, see
    // spec-event-type-names.test.ts): NoReplyNoticeSent is this one's, its data any object.
    const notices = definePolicy({ name: 'notices', events: { NoReplyNoticeSent: z.record(z.string(), z.unknown()) }, kinds: ['notices.sent'], initialState: () => ({}), evolve() {} });
    const typeOnly = (list: readonly SpecEvent[]) => {
      const spec = policySpec(ledger, { with: [notices] });
      spec.given(list).when(list);
      spec.given([{ type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at } }]).when([{ type: 'NoReplyNoticeSent', at, data: { any: 1 } }]);
      // @ts-expect-error dueAtt is not a field of PromiseMade
      spec.given([{ type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at, dueAtt: at } }]);
      spec.given([]).when([
        { type: 'NoReplyNoticeSent', at, data: { any: 1 } },
        // @ts-expect-error outcome is one of succeeded, partial, failed, worsened
        { type: 'FixAttempted', at, data: { matterId: 'm', method: 'reboot', outcome: 'fixed' } },
      ]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("cannot tell a misspelt type name from a plugin's type: it passes the types and validation refuses it (unknown-type)", async () => {
    // PromiseMaed reads as a custom type, so its data is free-form to the type checker.
    const error = await new Engine().record({ customerId, type: 'PromiseMaed', at, data: { promiseId: 'p', dueAtt: at } }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors.map((e) => e.rule)).toEqual(['unknown-type']);
  });
});
