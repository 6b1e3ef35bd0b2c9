import { describe, expect, it } from 'vitest';
import { Engine, EventIdConflictError, InMemoryEventStore, InvalidInputError, PolicyError, UsageError, ValidationError, VersionConflictError } from '../src/index.js';
import { quoteId, QUOTED_ID_CHARACTERS } from '../src/quote-id.js';

const T0 = Date.parse('2017-11-20T13:30:00Z');
/** An event as the engine's `record` takes it, and as a store's `append` does (with `time`). */
const input = (customerId: string, extra: object = {}) => ({ customerId, type: 'RelationshipStarted', at: '2017-11-20T13:30:00Z', data: {}, ...extra });
const event = (customerId: string, extra: object = {}) => ({ ...input(customerId), time: T0, ...extra });

describe('quoteId: the one way a message quotes an id', () => {
  it('quotes an id of up to 60 characters whole, and a longer one as its first 60 and …', () => {
    expect(QUOTED_ID_CHARACTERS).toBe(60);
    expect(quoteId('cust-1')).toBe('"cust-1"');
    expect(quoteId('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`);
    expect(quoteId('x'.repeat(61))).toBe(`"${'x'.repeat(60)}…"`);
    expect(quoteId('x'.repeat(300))).toBe(`"${'x'.repeat(60)}…"`);
  });

  it('counts characters, not UTF-16 units: a cut never splits an emoji in half', () => {
    expect(quoteId('😀'.repeat(60))).toBe(`"${'😀'.repeat(60)}"`);
    expect(quoteId(`a${'😀'.repeat(60)}`)).toBe(`"a${'😀'.repeat(59)}…"`);
  });

  it('escapes what would make the quote ambiguous: a quote, a backslash, a line break', () => {
    expect(quoteId('say "hi"\\\n')).toBe(String.raw`"say \"hi\"\\\n"`);
  });
});

describe('a long id, shortened the same way in every message, kept whole in the fields', () => {
  const long = 'c'.repeat(300);
  const shown = `"${'c'.repeat(60)}…"`;

  it('a ValidationError (the engine refusing a customer id and an event id) and the append UsageError (the stream)', async () => {
    const refused = await new Engine().record([input(long)]).catch((e: unknown) => e);
    const [validation] = (refused as InvalidInputError).errors as ValidationError[];
    expect(validation).toMatchObject({ customerId: long, path: 'customerId', rule: 'too-big' });
    expect(validation?.message).toBe(`event #1 (RelationshipStarted of customer ${shown}): customerId: must be at most 200 characters`);

    const badId = await new Engine().record([input('c', { id: long })]).catch((e: unknown) => e);
    const [idError] = (badId as InvalidInputError).errors as ValidationError[];
    expect(idError).toMatchObject({ eventId: long, path: 'id', rule: 'too-big' });
    expect(idError?.message).toBe(`event #1 (RelationshipStarted ${shown} of customer "c"): id: must be at most 200 characters`);

    const usage = await new InMemoryEventStore().append(long, [event(long)]).catch((e: unknown) => e);
    expect(usage).toBeInstanceOf(UsageError);
    expect(usage).toMatchObject({ customerId: long, path: 'customerId', rule: 'too-big' });
    expect((usage as Error).message.startsWith(`append to stream ${shown}: `)).toBe(true);

    const other = await new InMemoryEventStore().append('c', [event(long)]).catch((e: unknown) => e);
    expect((other as Error).message).toBe(`append to stream "c" was given an event of customer ${shown}`);
  });

  it('the append UsageError for expectedVersion, VersionConflictError, EventIdConflictError and PolicyError, of a valid id of 200 characters', async () => {
    const id = 'k'.repeat(200);
    const cut = `"${'k'.repeat(60)}…"`;
    const store = new InMemoryEventStore();
    await store.append(id, [event(id, { id })]);
    const usage = await store.append(id, [event(id)], { expectedVersion: -1 }).catch((e: unknown) => e);
    expect(usage).toMatchObject({ customerId: id });
    expect((usage as Error).message.startsWith(`append to stream ${cut}: option "expectedVersion"`)).toBe(true);
    const version = await store.append(id, [event(id)], { expectedVersion: 0 }).catch((e: unknown) => e);
    expect(version).toBeInstanceOf(VersionConflictError);
    expect(version).toMatchObject({ customerId: id });
    expect((version as Error).message).toBe(`stream ${cut} is at version 1, but the append expected version 0`);
    const conflict = await store.append(id, [event(id, { id, data: { plan: 'other' } })]).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(EventIdConflictError);
    expect(conflict).toMatchObject({ customerId: id, eventId: id });
    expect((conflict as Error).message.startsWith(`event id ${cut} already exists in stream ${cut} with`)).toBe(true);
    const policy = new PolicyError('p', id, id, new Error('boom'));
    expect(policy).toMatchObject({ customerId: id, eventId: id });
    expect(policy.message).toBe(`policy "p" failed on event ${cut} of customer ${cut}: boom`);
  });
});

describe('a long offending value, shortened by characters', () => {
  it('a refused string value is quoted as its first 40 characters and …, never half an emoji', async () => {
    const value = `${'a'.repeat(39)}${'😀'.repeat(5)}`;
    const store = new InMemoryEventStore();
    const error = await store.append('c', [event('c', { data: value })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const message = (error as InvalidInputError).errors[0]?.message ?? '';
    expect(message).toMatch(/: data: /);
    expect(message.endsWith(`expected object, got string "${'a'.repeat(39)}😀…"`)).toBe(true);
    // No lone surrogate: the message survives a UTF-8 round trip unchanged.
    expect(Buffer.from(message, 'utf8').toString('utf8')).toBe(message);
  });
});
