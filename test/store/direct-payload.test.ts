import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { builtinPolicies, definePolicy, Engine, InMemoryEventStore, InvalidInputError, type NewEvent } from '../../src/index.js';
import { VALIDATED, type ValidatedAppendOptions } from '../../src/store/event-input.js';
import { refusal } from '../refusal.js';

/** The InvalidInputError `call` throws or rejects with. */
async function refused(call: () => unknown): Promise<InvalidInputError> {
  const error = await refusal(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

/**
 * A store called directly (a CRM writing to it, an engine or a projection worker reading it
 * later) validates a known type's payload as the engine does and keeps it as the engine would
 * have recorded it, defaults filled in: the policies read stored events as validated.
 */

const AT = '2024-03-04T06:00:00Z';
const LATER = '2024-03-04T07:00:00Z';

/** A hand-built event, `time` computed from `at` as the engine computes it. */
function direct(id: string, type: string, at: string, data: Record<string, unknown>): NewEvent {
  return { id, customerId: 'c', type, at, time: Date.parse(at), data };
}

/** A matter opened without `severity` (the engine fills in `normal`), then a failed fix costing a day of downtime. */
const opened = direct('o', 'MatterOpened', AT, { matterId: 'm' });
const fix = direct('f', 'FixAttempted', LATER, { matterId: 'm', method: 'reboot', outcome: 'failed', downtimeHours: 24 });

/** The same events through the engine's validation. */
async function recorded(): Promise<Engine> {
  const engine = new Engine({ policies: builtinPolicies });
  await engine.record([
    { id: 'o', customerId: 'c', type: 'MatterOpened', at: AT, data: { matterId: 'm' } },
    { id: 'f', customerId: 'c', type: 'FixAttempted', at: LATER, data: { matterId: 'm', method: 'reboot', outcome: 'failed', downtimeHours: 24 } },
  ]);
  return engine;
}

describe('in-memory store, called directly: a known type’s payload is validated and normalised', () => {
  for (const [name, append] of [
    ['append', (store: InMemoryEventStore, events: readonly NewEvent[]) => store.append('c', events)],
    ['appendSync', async (store: InMemoryEventStore, events: readonly NewEvent[]) => store.appendSync('c', events)],
    ['append, one event at a time', async (store: InMemoryEventStore, events: readonly NewEvent[]) => { for (const e of events) await store.append('c', [e]); }],
  ] as const) {
    it(`${name}: keeps MatterOpened with the default severity, so the burden score an engine over the store gives is the engine's own`, async () => {
      const store = new InMemoryEventStore();
      await append(store, [opened, fix]);
      const engine = new Engine({ store, policies: builtinPolicies });
      await engine.hydrate();
      const burden = engine.summary('c')['burden'] as { score: unknown };
      expect(Number.isFinite(burden.score)).toBe(true);
      expect(engine.summary('c')).toEqual((await recorded()).summary('c'));
      const [stored] = await store.readStream('c');
      expect(stored?.data).toEqual({ matterId: 'm', severity: 'normal' });
    });
  }

  it('refuses a PromiseMade without dueBy as the engine does (the event, its position and id, path data.dueBy, rule required), writing nothing of the batch', async () => {
    const store = new InMemoryEventStore();
    const promise = direct('p', 'PromiseMade', LATER, { promiseId: 'p', what: 'call back' });
    const error = await refused(() => store.append('c', [opened, promise]));
    const engineError = await refused(() => new Engine().record([{ id: 'o', customerId: 'c', type: 'MatterOpened', at: AT, data: { matterId: 'm' } }, { id: 'p', customerId: 'c', type: 'PromiseMade', at: LATER, data: { promiseId: 'p', what: 'call back' } }] as never));
    expect(error.errors.map((e) => e.problem())).toEqual(engineError.errors.map((e) => e.problem()));
    expect(error.errors[0]?.problem()).toMatchObject({ index: 1, eventId: 'p', customerId: 'c', eventType: 'PromiseMade', path: 'data.dueBy', rule: 'required' });
    expect(() => store.appendSync('c', [promise])).toThrow(InvalidInputError);
    expect(store.size).toBe(0);
  });

  it('refuses every problem of a payload (a wrong value and an unknown field), as the engine lists them', async () => {
    const store = new InMemoryEventStore();
    const data = { direction: 'sideways', channel: 'phone', purpse: 'update' };
    const error = await refused(() => store.append('c', [direct('x', 'ContactMade', AT, data)]));
    const engineError = await refused(() => new Engine().record({ id: 'x', customerId: 'c', type: 'ContactMade', at: AT, data } as never));
    expect(error.errors.map((e) => e.problem())).toEqual(engineError.errors.map((e) => ({ ...e.problem(), index: 0 })));
    expect(error.errors.map((e) => [e.path, e.rule])).toEqual([
      ['data.direction', 'invalid-value'],
      ['data.purpse', 'unknown-field'],
    ]);
  });

  it('fills the defaults that depend on other fields (a contact’s purpose) and keeps no field of the caller’s object', async () => {
    const store = new InMemoryEventStore();
    const data = { direction: 'outbound', channel: 'email' };
    await store.append('c', [direct('x', 'ContactMade', AT, data)]);
    const [stored] = await store.readStream('c');
    expect(stored?.data).toEqual({ direction: 'outbound', channel: 'email', purpose: 'update' });
    expect(data).toEqual({ direction: 'outbound', channel: 'email' });
  });

  it('a retry of an event stored normalised (its defaults now written out) is a retry, not a conflict', async () => {
    const store = new InMemoryEventStore();
    await store.append('c', [opened]);
    expect((await store.append('c', [opened])).duplicates).toHaveLength(1);
    expect((await store.append('c', [{ ...opened, data: { matterId: 'm', severity: 'normal' } }])).duplicates).toHaveLength(1);
    expect(store.size).toBe(1);
  });

  it('keeps a type it does not know as given (no schema to read it by)', async () => {
    const store = new InMemoryEventStore();
    await store.append('c', [direct('x', 'acme.Anything', AT, { whatever: 1 })]);
    expect((await store.readStream('c'))[0]?.data).toEqual({ whatever: 1 });
  });

  it("validates a plugin's type once an engine built on the store has handed it the plugin's schemas", async () => {
    const Noted = z.strictObject({ note: z.string(), level: z.number().default(1) });
    const plugin = definePolicy({
      name: 'notes',
      kinds: ['notes.never'],
      events: { 'notes.Noted': Noted },
      initialState: () => ({}),
      evolve() {},
    });
    const store = new InMemoryEventStore();
    await store.append('c', [direct('a', 'notes.Noted', AT, { note: 'before' })]); // no engine yet: as given
    new Engine({ store, policies: [plugin] });
    await store.append('c', [direct('b', 'notes.Noted', LATER, { note: 'after' })]);
    expect((await store.readStream('c')).map((e) => e.data)).toEqual([{ note: 'before' }, { note: 'after', level: 1 }]);
    const error = await refused(() => store.append('c', [direct('x', 'notes.Noted', LATER, { note: 7 })]));
    expect(error.errors[0]?.problem()).toMatchObject({ index: 0, eventId: 'x', path: 'data.note', rule: 'invalid-type' });
  });

  it("the engine's own appends (validated) are kept as given, the same objects: their payloads were parsed already", () => {
    const store = new InMemoryEventStore();
    const validated: ValidatedAppendOptions = { [VALIDATED]: true };
    const data = { matterId: 'm', severity: 'high' };
    expect(store.appendSync('c', [{ ...opened, data }], validated).appended[0]?.data).toBe(data);
    // Not even a payload the engine would have refused: the flag is heed's own, set only on what it validated.
    const unchecked = { matterId: 'm' };
    expect(store.appendSync('c', [{ ...opened, id: 'o2', data: unchecked }], validated).appended[0]?.data).toBe(unchecked);
  });
});
