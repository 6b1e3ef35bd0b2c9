import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { Calendar, EventRegistry, UsageError } from '../../src/index.js';

const registry = new EventRegistry();
const utc = new Calendar();
const denver = new Calendar({ timeZone: 'America/Denver' });

function errorsOf(raw: unknown, calendar = utc) {
  const result = registry.validate(raw, calendar, { file: 'journey.jsonl', line: 7 });
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors.map((e) => ({ path: e.path, rule: e.rule, message: e.message }));
}

describe('event validation', () => {
  it('accepts a core event and normalises its payload with the contract defaults', () => {
    const result = registry.validate(
      { customerId: 'c1', type: 'MatterOpened', at: '2017-11-20T06:00:00-07:00', data: { matterId: 'claim' } },
      utc,
    );
    expect(result.ok && result.event).toEqual({
      customerId: 'c1',
      type: 'MatterOpened',
      at: '2017-11-20T06:00:00-07:00',
      time: Date.UTC(2017, 10, 20, 13, 0, 0),
      data: { matterId: 'claim', severity: 'normal' },
    });
  });

  it('defaults a contact purpose to update when outbound and question when inbound', () => {
    const purpose = (direction: string) => {
      const r = registry.validate({ customerId: 'c', type: 'ContactMade', at: '2017-11-20', data: { direction, channel: 'phone' } }, utc);
      return r.ok ? (r.event.data as { purpose: string }).purpose : undefined;
    };
    expect([purpose('outbound'), purpose('inbound')]).toEqual(['update', 'question']);
  });

  it('resolves a date-only at to 00:00 in the calendar time zone', () => {
    const r = registry.validate({ customerId: 'c', type: 'RelationshipStarted', at: '2017-11-20' }, denver);
    // Denver is UTC-7 in November: local midnight is 07:00 UTC.
    expect(r.ok && r.event.time).toBe(Date.UTC(2017, 10, 20, 7));
  });

  it('reports every problem of an event at once, each with its field path and rule', () => {
    const errors = errorsOf({ customerId: '', type: 'PromiseMade', at: 'next tuesday', data: { promiseId: 'p', dueBy: '2017-11-21', extra: 1 } });
    expect(errors.map((e) => [e.path, e.rule])).toEqual([
      ['customerId', 'too-small'],
      ['at', 'invalid-instant'],
      ['data.what', 'required'],
      ['data.dueBy', 'invalid-date-time'],
      ['data.extra', 'unknown-field'],
    ]);
  });

  it('formats a problem as file:line: path: message', () => {
    const result = registry.validate({ customerId: 'c', type: 'MatterOpened', at: '2017-11-20', data: {} }, utc, { file: 'j.jsonl', line: 3 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map(String)).toEqual(['j.jsonl:3: data.matterId: required field is missing (expected string)']);
  });

  it('names unknown types and suggests the closest known one', () => {
    expect(errorsOf({ customerId: 'c', type: 'PromiseKep', at: '2017-11-20', data: {} })).toEqual([
      {
        path: 'type',
        rule: 'unknown-type',
        message: expect.stringContaining('unknown event type "PromiseKep". Did you mean "PromiseKept"?'),
      },
    ]);
  });

  it('suggests the closest field of the type for an unknown field of its data, as for an unknown type', () => {
    // A plugin's type: `subjct` beside a missing `subject` is two problems, the unknown one naming the missing one.
    const custom = new EventRegistry().register('TicketFiled', z.strictObject({ subject: z.string(), body: z.string().optional(), contact: z.strictObject({ channel: z.string() }).optional() }), 'tickets');
    const errors = custom.validate({ customerId: 'c', type: 'TicketFiled', at: '2017-11-20', data: { subjct: 'x', contact: { chanel: 'mail' } } }, utc);
    expect(errors.ok ? [] : errors.errors.map((e) => [e.path, e.rule, e.detail])).toEqual([
      ['data.subject', 'required', 'required field is missing (expected string)'],
      ['data.contact.channel', 'required', 'required field is missing (expected string)'],
      ['data.contact.chanel', 'unknown-field', 'unknown field (not part of TicketFiled; free-form context belongs in meta). Did you mean "channel"?'],
      ['data.subjct', 'unknown-field', 'unknown field (not part of TicketFiled; free-form context belongs in meta). Did you mean "subject"?'],
    ]);
    // A core type's, in the message as the CLI prints it; a field given already is not suggested again, nor is any field too far off.
    expect(errorsOf({ customerId: 'c', type: 'PromiseMade', at: '2017-11-20', data: { promiseId: 'p', what: 'w', dueAtt: '2017-11-21' } })).toEqual([
      { path: 'data.dueBy', rule: 'required', message: expect.any(String) },
      { path: 'data.dueAtt', rule: 'unknown-field', message: expect.stringMatching(/^journey\.jsonl:7: data\.dueAtt: unknown field \(not part of PromiseMade; [^)]+\)\. Did you mean "dueBy"\?$/) },
    ]);
    expect(errorsOf({ customerId: 'c', type: 'MatterOpened', at: '2017-11-20', data: { matterId: 'm', matterIdd: 'm', zzzzzz: 1 } }).map((e) => e.message)).toEqual([
      expect.stringMatching(/data\.matterIdd: unknown field \([^)]+\)$/),
      expect.stringMatching(/data\.zzzzzz: unknown field \([^)]+\)$/),
    ]);
  });

  it('suggests the closest envelope field for a misspelt one, not for a free-form key or a field the event has already', () => {
    const envelopeHint = 'unknown field (an event has id, customerId, type, at, data and meta; free-form context belongs in meta)';
    const problems = (event: Record<string, unknown>) => {
      const result = registry.validate(event, utc);
      return result.ok ? [] : result.errors.filter((e) => e.rule === 'unknown-field').map((e) => [e.path, e.detail]);
    };
    expect(problems({ customerID: 'c', type: 'Ping', at: '2017-11-20', dat: {} })).toEqual([
      ['customerID', `${envelopeHint}. Did you mean "customerId"?`],
      ['dat', `${envelopeHint}. Did you mean "data"?`],
    ]);
    // A key only as close as any short word (`note` to meta, `name` to data, `tags` to data), with a
    // value the field would refuse, is free-form context misplaced, not a misspelling: the message
    // already says where that goes.
    expect(problems({ customerId: 'c', type: 'Ping', at: '2017-11-20', note: 'called twice', name: 'Bob', tags: ['vip'] })).toEqual([
      ['note', envelopeHint],
      ['name', envelopeHint],
      ['tags', envelopeHint],
    ]);
    // `customerID` beside a `customerId` is no misspelling of it.
    expect(problems({ customerId: 'c', customerID: 'c', type: 'Ping', at: '2017-11-20', data: {} })).toEqual([['customerID', envelopeHint]]);
  });

  it('rejects enum values outside the contract, listing the allowed ones', () => {
    const [error] = errorsOf({ customerId: 'c', type: 'MatterOpened', at: '2017-11-20', data: { matterId: 'm', severity: 'urgent' } });
    expect(error).toMatchObject({ path: 'data.severity', rule: 'invalid-value' });
    expect(error?.message).toContain('"low", "normal", "high", "critical"');
  });

  it('rejects a window promise whose window starts after it is due', () => {
    expect(
      errorsOf({
        customerId: 'c',
        type: 'PromiseMade',
        at: '2017-11-20',
        data: { promiseId: 'p', what: 'visit', windowStart: '2017-11-21T12:00:00Z', dueBy: '2017-11-21T08:00:00Z' },
      }),
    ).toEqual([{ path: 'data.windowStart', rule: 'window-after-due', message: expect.stringContaining('windowStart must not be after dueBy') }]);
  });

  it('rejects non-objects and non-object data', () => {
    expect(errorsOf([1, 2]).map((e) => e.rule)).toEqual(['not-an-object']);
    expect(errorsOf({ customerId: 'c', type: 'RelationshipStarted', at: '2017-11-20', data: [] }).map((e) => e.path)).toEqual(['data']);
  });

  it('enforces the customerId length limit of 200 characters', () => {
    expect(errorsOf({ customerId: 'x'.repeat(201), type: 'RelationshipStarted', at: '2017-11-20' }).map((e) => e.rule)).toEqual(['too-big']);
    expect(registry.validate({ customerId: 'x'.repeat(200), type: 'RelationshipStarted', at: '2017-11-20' }, utc).ok).toBe(true);
  });

  it('registers custom types for plugins and refuses clashes with core types or other plugins', () => {
    const custom = new EventRegistry().register('CustomerDeflected', z.strictObject({ to: z.string() }), 'deflection-loop');
    expect(custom.validate({ customerId: 'c', type: 'CustomerDeflected', at: '2017-11-20', data: { to: 'bot' } }, utc).ok).toBe(true);
    expect(() => custom.register('MatterOpened', z.object({}), 'other')).toThrow(UsageError);
    expect(() => custom.register('CustomerDeflected', z.object({}), 'other')).toThrow(/already registered by policy "deflection-loop"/);
  });
});
