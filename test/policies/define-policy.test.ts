import * as z from 'zod';
import * as zm from 'zod/mini';
import * as z3 from 'zod/v3';
import { describe, expect, it } from 'vitest';
import { builtinPolicies, coreFindingKinds, definePolicy, UsageError } from '../../src/index.js';
import { defineBuiltinPolicy } from '../../src/policies/define-policy.js';

/**
 * definePolicy checks a definition when it is made, not when an engine first calls into it: a
 * plugin in plain JavaScript has no types to catch a missing `evolve` or a schema that is not a
 * zod schema, and found later they surface as "policy.evolve is not a function" on some event or
 * "compiled(...).safeParse is not a function" from the command line, naming nothing of the plugin.
 */

const valid = { name: 'sample', kinds: ['sample.seen'], initialState: () => ({}), evolve() {} };

/** The definition as a plugin in JavaScript could write it: anything at all in any field. */
function define(overrides: Record<string, unknown>): () => unknown {
  return () => definePolicy({ ...valid, ...overrides } as never);
}

describe('definePolicy: a definition of the wrong shape is a UsageError naming the policy and the field', () => {
  it.each([
    ['a missing name', { name: undefined }, 'definePolicy: name must be a string such as "deflection-loop", got undefined'],
    ['a name that is not a string', { name: 42 }, 'definePolicy: name must be a string such as "deflection-loop", got 42'],
    ['missing kinds', { kinds: undefined }, 'policy "sample": kinds must be an array of the finding kinds it reports, such as ["sample.<what>"], got undefined'],
    ['kinds given as one string', { kinds: 'sample.seen' }, 'policy "sample": kinds must be an array of the finding kinds it reports, such as ["sample.<what>"], got "sample.seen"'],
    ['a kind that is not a string', { kinds: ['sample.seen', 7] }, 'policy "sample": kinds[1] must be a string, got 7'],
    ['a missing evolve', { evolve: undefined }, 'policy "sample": evolve must be a function, got undefined'],
    ['a missing initialState', { initialState: undefined }, 'policy "sample": initialState must be a function returning the initial state, got undefined'],
    ['an initial state given as an object', { initialState: {} }, 'policy "sample": initialState must be a function returning the initial state, got an object'],
    ['a tick that is not a function', { tick: 5 }, 'policy "sample": tick must be a function when given, got 5'],
    ['a refresh that is not a function', { refresh: 'x' }, 'policy "sample": refresh must be a function when given, got "x"'],
    ['a summary that is not a function', { summary: {} }, 'policy "sample": summary must be a function when given, got an object'],
    // A misspelt optional function would otherwise never be called, silently.
    ['a misspelt tick', { tik() {} }, 'policy "sample": unknown field "tik" (the fields are "name", "description", "options", "events", "kinds", "initialState", "evolve", "tick", "refresh", "summary")'],
    ['two unknown fields', { summmary() {}, version: 2 }, 'policy "sample": unknown fields "summmary", "version" (the fields are'],
    // The closest field, by the rule of an unknown event type's suggestion; none for a name like no field.
    ['a misspelt evolve', { evolve: undefined, evolv() {} }, '"refresh", "summary"). Did you mean "evolve"?'],
    ['a misspelt summary', { summery() {} }, 'policy "sample": unknown field "summery" (the fields are "name", "description", "options", "events", "kinds", "initialState", "evolve", "tick", "refresh", "summary"). Did you mean "summary"?'],
    ['two misspelt fields, one like no field', { summmary() {}, version: 2, tik() {} }, '"refresh", "summary"). Did you mean "summary" for "summmary", "tick" for "tik"?'],
    ['options that are not a zod schema', { options: { threshold: 3 } }, 'policy "sample": options must be a zod schema, such as z.strictObject({ … }), got an object'],
    ['events given as an array', { events: [z.strictObject({})] }, 'policy "sample": events must be an object of zod schemas keyed by event type, such as { MyEvent: z.strictObject({ … }) }, got an array'],
    ['an event schema that is not a zod schema', { events: { Ping: { n: 'number' } } }, 'policy "sample": events.Ping must be a zod schema of the payload, such as z.strictObject({ … }), got an object'],
  ])('%s', (_label, overrides, message) => {
    const build = define(overrides);
    expect(build).toThrow(UsageError);
    expect(build).toThrow(message);
  });

  it('names every problem of a definition at once, each by its field, the first as the error\'s path and rule', () => {
    let error: unknown;
    try {
      define({ name: 'promise', kinds: ['promise.reminder', 7, 'promise.broken', 'other.seen'], evolve: undefined, tik() {}, options: { threshold: 3 } })();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ path: 'kinds[1]', rule: 'invalid-type' });
    expect((error as Error).message).toBe(
      'policy "promise": 6 problems: kinds[1] must be a string, got 7; ' +
        'unknown field "tik" (the fields are "name", "description", "options", "events", "kinds", "initialState", "evolve", "tick", "refresh", "summary"). Did you mean "tick"?; ' +
        'evolve must be a function, got undefined; options must be a zod schema, such as z.strictObject({ … }), got an object; ' +
        'kinds[2] "promise.broken" is a core kind that the built-in policy "promises" reports: a plugin reports kinds of its own, namespaced as "promise.<what>"; ' +
        'kinds[3] "other.seen" is not namespaced: plugin kinds are namespaced as "promise.<what>"',
    );
    // Without a name of the right form, the kinds are not held to its namespace; a name that is no string heads the list as definePolicy.
    expect(define({ name: 'Bad_Name', kinds: [] })).toThrow(
      'policy "Bad_Name": 2 problems: name "Bad_Name" must be lowercase letters and digits, words joined by \'-\' (e.g. "deflection-loop"); kinds must not be empty: declare the finding kinds it reports',
    );
    expect(define({ name: 42, evolve: 1 })).toThrow('definePolicy: 2 problems: name must be a string such as "deflection-loop", got 42; evolve must be a function, got 1');
  });

  it('suggests no field for an unknown one like none, nor one the definition has already', () => {
    const fields = '(the fields are "name", "description", "options", "events", "kinds", "initialState", "evolve", "tick", "refresh", "summary")';
    expect(define({ version: 2 })).toThrow(new UsageError(`policy "sample": unknown field "version" ${fields}`, { path: 'version', rule: 'unknown-field' }));
    expect(define({ evolv() {} })).toThrow(new UsageError(`policy "sample": unknown field "evolv" ${fields}`, { path: 'evolv', rule: 'unknown-field' }));
  });

  it('refuses something that is not a definition at all', () => {
    expect(() => definePolicy(undefined as never)).toThrow(new UsageError('definePolicy expects a policy definition object, got undefined', { rule: 'invalid-type' }));
  });

  it('accepts every documented shape: options and event schemas of zod 4 (or zod/mini, zod/v3), tick, refresh and summary', () => {
    const policy = definePolicy({
      ...valid,
      options: z.strictObject({ threshold: z.number().default(3) }),
      events: { Ping: z.strictObject({ n: z.number() }), OldPing: z3.object({ n: z3.number() }).strict() as never, MiniPing: zm.strictObject({ n: zm.number() }) as never },
      tick() {},
      refresh() {},
      summary: () => ({}),
    });
    expect(policy.name).toBe('sample');
    expect(Object.keys(policy.events ?? {})).toEqual(['Ping', 'OldPing', 'MiniPing']);
  });
});

/**
 * The core kinds (CONTRACT.md §2) are the built-in policies' own: their details are typed exactly
 * (`CoreFindingDetails`, `engine.on('promise.broken', …)`), and a plugin reporting one with details
 * of its own would make those types lie to every consumer. A plugin's kinds are its own.
 */
describe('definePolicy: a plugin cannot declare a core finding kind', () => {
  it('refuses a plugin named like a core namespace that declares a core kind, naming the built-in policy that reports it', () => {
    const build = define({ name: 'promise', kinds: ['promise.reminder', 'promise.broken'] });
    expect(build).toThrow(
      new UsageError(
        'policy "promise" declares finding kind "promise.broken", a core kind that the built-in policy "promises" reports: a plugin reports kinds of its own, namespaced as "promise.<what>"',
        { path: 'kinds[1]', rule: 'invalid-value' },
      ),
    );
  });

  it.each(builtinPolicies.flatMap((policy) => policy.kinds.map((kind) => [kind, policy.name] as const)))('refuses %s (reported by the built-in policy "%s") from any plugin', (kind, owner) => {
    const build = define({ kinds: [kind] });
    expect(build).toThrow(UsageError);
    expect(build).toThrow(`policy "sample" declares finding kind "${kind}", a core kind that the built-in policy "${owner}" reports: a plugin reports kinds of its own, namespaced as "sample.<what>"`);
  });

  it('the built-in policies report every core kind between them (so each refusal above names its owner)', () => {
    expect(builtinPolicies.flatMap((p) => p.kinds).sort()).toEqual([...coreFindingKinds].sort());
  });

  it('accepts a kind of its own in a core namespace that is not a core kind (only the core kinds are reserved)', () => {
    expect(definePolicy({ ...valid, name: 'promise', kinds: ['promise.reminder'] }).kinds).toEqual(['promise.reminder']);
  });

  it('still lets a built-in policy (the internal path) declare core kinds', () => {
    expect(defineBuiltinPolicy({ ...valid, name: 'promises-too', kinds: ['promise.broken', 'inattention.gap'] }).kinds).toEqual(['promise.broken', 'inattention.gap']);
  });

  it('still refuses a kind outside the plugin\'s namespace that is not a core kind', () => {
    expect(define({ kinds: ['other.seen'] })).toThrow(new UsageError('policy "sample" declares finding kind "other.seen": plugin kinds are namespaced as "sample.<what>"', { path: 'kinds[0]', rule: 'invalid-format' }));
  });

  it('keeps the kinds it checked: the list cannot be changed afterwards to add a core kind', () => {
    const kinds = ['promise.reminder'];
    const policy = definePolicy({ ...valid, name: 'promise', kinds });
    kinds.push('promise.broken');
    expect(policy.kinds).toEqual(['promise.reminder']);
    expect(() => (policy.kinds as string[]).push('promise.broken')).toThrow(TypeError);
    expect(policy.kinds).toEqual(['promise.reminder']);
  });
});
