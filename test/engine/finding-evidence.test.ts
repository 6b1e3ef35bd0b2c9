import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Engine, PolicyError, definePolicy, type EventInput, type FindingInput } from '../../src/index.js';
import { refusal } from '../refusal.js';
import { refreshRefusal } from './refresh-refusal.js';

/**
 * A finding's `evidence` is "ids of the events that make it true" (CONTRACT.md §2): each one must
 * name an event of that customer's stream that the engine had folded when the finding was
 * reported, once. A CRM links each id to the event; an id that names nothing, another customer's
 * event or one not yet recorded would link to nothing, or to the wrong thing.
 */

const C = 'cust';
const at = (hour: number, day = 20): string => `2017-11-${day}T${String(hour).padStart(2, '0')}:00:00Z`;
const ev = (id: string | undefined, hour: number, customerId = C, type = 'ContactMade'): EventInput =>
  ({
    ...(id === undefined ? {} : { id }),
    customerId,
    type,
    at: at(hour),
    data: type === 'ContactMade' ? { direction: 'inbound', channel: 'phone' } : { matterId: 'm' },
  }) as EventInput;

/** Reports, on each event for which `cite` gives a list, a finding with that evidence. */
function citing(cite: (eventId: string) => readonly string[] | undefined, extra: Partial<FindingInput> = {}) {
  return definePolicy({
    name: 'cite',
    kinds: ['cite.seen'],
    initialState: () => ({}),
    evolve(_state, event, ctx) {
      const evidence = cite(event.id);
      if (evidence === undefined) return;
      ctx.report({ kind: 'cite.seen', subject: event.id, detectedAt: event.time, severity: 'info', message: 'seen', evidence: [...evidence], details: {}, ...extra });
    },
  });
}

async function recordRefusal(engine: Engine, events: EventInput | EventInput[]): Promise<Error> {
  const error = await refusal(() => engine.record(events));
  expect(error).toBeInstanceOf(PolicyError);
  return error as Error;
}

describe('engine: a finding cites only events of its customer that were folded before it', () => {
  it('refuses an id that names no event of the stream, naming the policy, the field and the id', async () => {
    const engine = new Engine({ policies: [citing(() => ['e1', 'ghost'])] });
    const error = await recordRefusal(engine, ev('e1', 9));
    expect(error).toMatchObject({ policy: 'cite', customerId: C, eventId: 'e1' });
    expect(error.message).toMatch(/^policy "cite" failed on event "e1" of customer "cust": reported a "cite.seen" finding whose evidence\[1\] names "ghost", which is not an event of this customer's stream/);
    expect(() => engine.findings()).toThrow(PolicyError);
  });

  it('quotes a long or odd id as every message does: in JSON quotes, cut at 60 characters', async () => {
    const odd = `a"b\n${'x'.repeat(80)}`;
    const error = await recordRefusal(new Engine({ policies: [citing(() => [odd])] }), ev('e1', 9));
    expect(error.message).toContain(`whose evidence[0] names ${JSON.stringify(`a"b\n${'x'.repeat(56)}…`)}, which is not`);
  });

  it("refuses another customer's event; that customer is not affected", async () => {
    const engine = new Engine({ policies: [citing((id) => (id === 'c1' ? ['o1'] : undefined))] });
    await engine.record(ev('o1', 8, 'other'));
    const error = await recordRefusal(engine, ev('c1', 9));
    expect(error).toMatchObject({ customerId: C, eventId: 'c1' });
    expect(error.message).toMatch(/whose evidence\[0\] names "o1", which is not an event of this customer's stream/);
    expect(engine.findings({ customerId: 'other' })).toEqual([]);
  });

  it('refuses an event the stream has not reached yet, in one batch as when recorded one by one', async () => {
    const policy = citing((id) => (id === 'e1' ? ['e1', 'e2'] : undefined));
    // In one batch the engine holds e2 already, but e1 is evaluated first: e2 cannot make its finding true.
    const batched = await recordRefusal(new Engine({ policies: [policy] }), [ev('e1', 9), ev('e2', 10)]);
    expect(batched).toMatchObject({ customerId: C, eventId: 'e1' });
    expect(batched.message).toMatch(/whose evidence\[1\] names "e2", an event of this customer's stream evaluated after the finding was reported/);
    const single = await recordRefusal(new Engine({ policies: [policy] }), ev('e1', 9));
    expect(single).toMatchObject({ customerId: C, eventId: 'e1' });
    // At one instant, events are evaluated in append order: a later one at the same time is not yet folded either.
    const tied = await recordRefusal(new Engine({ policies: [policy] }), [ev('e1', 9), ev('e2', 9)]);
    expect(tied.message).toMatch(/whose evidence\[1\] names "e2", an event of this customer's stream evaluated after/);
  });

  it('refuses an id listed twice, naming both places', async () => {
    const error = await recordRefusal(new Engine({ policies: [citing(() => ['e1', 'e1'])] }), ev('e1', 9));
    expect(error.message).toMatch(/whose evidence\[1\] names "e1" again \(as evidence\[0\]\): list each event once/);
  });

  it('keeps events of earlier batches, ids the store assigned and events of a type the policy is not given, from evolve, tick and after a re-evaluation', async () => {
    const policy = definePolicy({
      name: 'later',
      kinds: ['later.due'],
      initialState: () => ({ seen: [] as string[] }),
      evolve(state, event, ctx) {
        state.seen.push(event.id);
        if (event.type === 'MatterOpened') ctx.wakeAt(event.time + 86_400_000);
        ctx.report({ kind: 'later.due', subject: 'evolve', detectedAt: ctx.now, severity: 'info', message: 'seen', evidence: [...state.seen], details: {} });
      },
      tick(state, ctx) {
        // "n1" is of another plugin's type, which this policy is not given: an event of the stream all the same.
        ctx.report({ kind: 'later.due', subject: 'tick', detectedAt: ctx.now, severity: 'warning', message: 'due', evidence: [...state.seen, 'n1'], details: {} });
      },
    });
    const noting = definePolicy({
      name: 'noting',
      kinds: ['noting.none'],
      initialState: () => ({}),
      events: { 'noting.Noted': z.object({}) },
      evolve() {},
    });
    const engine = new Engine({ policies: [policy, noting] });
    await engine.record(ev('m1', 9, C, 'MatterOpened'));
    await engine.record({ id: 'n1', customerId: C, type: 'noting.Noted', at: at(9), data: {} });
    await engine.record(ev(undefined, 10)); // the store names it "cust:3"
    await engine.advanceTo(at(12, 21)); // the tick cites events of three earlier batches
    expect(engine.findings().map((f) => f.evidence)).toEqual([['m1', 'cust:3'], ['m1', 'cust:3', 'n1']]);
    await engine.record(ev('c0', 8)); // backdated: the stream is evaluated again from its first event
    expect(engine.findings().map((f) => f.evidence)).toEqual([['c0', 'm1', 'cust:3'], ['c0', 'm1', 'cust:3', 'n1']]);
  });

  it('keeps evidence later than detectedAt: a finding detected earlier is updated with the event that ended it', async () => {
    // As inattention.gap does when a contact closes a gap: detected when the silence ran out, closed later.
    const policy = citing((id) => (id === 'e2' ? ['e1', 'e2'] : undefined), { detectedAt: Date.parse(at(9)) });
    const engine = new Engine({ policies: [policy] });
    await engine.record([ev('e1', 9), ev('e2', 10)]);
    expect(engine.findings().map((f) => [f.detectedAt, f.evidence])).toEqual([['2017-11-20T09:00:00.000Z', ['e1', 'e2']]]);
  });

  it('checks what refresh restates too, and names the refresh', async () => {
    const error = await refreshRefusal(ev('e1', 9), at(9, 21), (event) => ({ evidence: [event.id] }), { evidence: ['e1', 'e9'], message: 'still open' });
    expect(error.message).toMatch(/^policy "restating" failed on a refresh \(restating ongoing findings as of the clock\) of customer "cust": reported a "restating.open" finding whose evidence\[1\] names "e9", which is not an event of this customer's stream/);
  });
});
