import { describe, expect, it } from 'vitest';
import { generateLines } from '../../bench/generate.js';
import { Engine, PolicyError, definePolicy, replay, type EventInput, type FindingInput } from '../../src/index.js';
import { policySpec } from '../../src/testing/index.js';
import { refusal } from '../refusal.js';
import { refreshRefusal } from './refresh-refusal.js';

/**
 * A finding's `matterId` is "the matter it concerns, or null for the whole relationship" (CONTRACT.md
 * §2): a string must name a matter of that customer's stream, opened (`MatterOpened`) by an event
 * the engine had evaluated when the finding was reported. A CRM links the finding to that matter;
 * a matter the customer never had, another customer's or one not opened yet would link to nothing.
 */

const C = 'cust';
const at = (hour: number, day = 20): string => `2017-11-${day}T${String(hour).padStart(2, '0')}:00:00Z`;
const opened = (id: string, matterId: string, hour: number, customerId = C): EventInput => ({ id, customerId, type: 'MatterOpened', at: at(hour), data: { matterId } });
const contact = (id: string, hour: number, customerId = C): EventInput => ({ id, customerId, type: 'ContactMade', at: at(hour), data: { direction: 'inbound', channel: 'phone' } });

/** Reports, on each contact, a finding about the matter `matterOf` names (a fixed id, as a buggy plugin would). */
function naming(matterOf: (eventId: string) => string | null | undefined, extra: Partial<FindingInput> = {}) {
  return definePolicy({
    name: 'naming',
    kinds: ['naming.seen'],
    initialState: () => ({}),
    evolve(_state, event, ctx) {
      if (event.type !== 'ContactMade') return;
      const matterId = matterOf(event.id);
      ctx.report({
        kind: 'naming.seen',
        subject: event.id,
        ...(matterId === undefined ? {} : { matterId }),
        detectedAt: event.time,
        severity: 'info',
        message: 'seen',
        evidence: [event.id],
        details: {},
        ...extra,
      });
    },
  });
}

async function recordRefusal(engine: Engine, events: EventInput | EventInput[]): Promise<Error> {
  const error = await refusal(() => engine.record(events));
  expect(error).toBeInstanceOf(PolicyError);
  return error as Error;
}

const NOT_OPENED = /whose matterId names "m9", which is not a matter of this customer's stream: matterId names a matter opened for the customer \(MatterOpened's data\.matterId\), or null for the whole relationship$/;
const OPENED_AFTER = /whose matterId names "m1", a matter of this customer's stream opened by an event evaluated after the finding was reported \(events are evaluated by time, ties in append order\): a finding names only a matter opened by then$/;

describe('engine: a finding names only a matter its customer had opened when it was reported', () => {
  it('refuses a matter the customer never opened, naming the policy, the event, the field and the id; nothing lands in the findings', async () => {
    const engine = new Engine({ policies: [naming(() => 'm9')] });
    await engine.record(opened('o1', 'm1', 8));
    const error = await recordRefusal(engine, contact('e1', 9));
    expect(error).toMatchObject({ policy: 'naming', customerId: C, eventId: 'e1' });
    expect(error.message).toMatch(/^policy "naming" failed on event "e1" of customer "cust": reported a "naming.seen" finding whose matterId/);
    expect(error.message).toMatch(NOT_OPENED);
    expect(() => engine.findings()).toThrow(PolicyError);
  });

  it("refuses another customer's matter; that customer is not affected", async () => {
    const engine = new Engine({ policies: [naming(() => 'm9')] });
    await engine.record(opened('o1', 'm9', 8, 'other'));
    const error = await recordRefusal(engine, contact('e1', 9));
    expect(error).toMatchObject({ customerId: C, eventId: 'e1' });
    expect(error.message).toMatch(NOT_OPENED);
    expect(engine.findings({ customerId: 'other' })).toEqual([]);
  });

  it('refuses a matter opened later, in one batch as when recorded one by one, and at the same instant after it in append order', async () => {
    const policy = naming(() => 'm1');
    const batched = await recordRefusal(new Engine({ policies: [policy] }), [contact('e1', 9), opened('o1', 'm1', 10)]);
    expect(batched).toMatchObject({ customerId: C, eventId: 'e1' });
    expect(batched.message).toMatch(OPENED_AFTER);
    const single = await recordRefusal(new Engine({ policies: [policy] }), contact('e1', 9));
    expect(single.message).toMatch(/whose matterId names "m1", which is not a matter of this customer's stream/);
    const tied = await recordRefusal(new Engine({ policies: [policy] }), [contact('e1', 9), opened('o1', 'm1', 9)]);
    expect(tied.message).toMatch(OPENED_AFTER);
  });

  it('keeps a matter opened by then, in this batch or an earlier one, and null or no matterId', async () => {
    const engine = new Engine({ policies: [naming((id) => ({ e1: 'm1', e2: 'm2', e3: null, e4: undefined })[id])] });
    await engine.record([opened('o1', 'm1', 8), contact('e1', 9)]);
    await engine.record([opened('o2', 'm2', 10), contact('e2', 11), contact('e3', 12), contact('e4', 13)]);
    expect(engine.findings().map((f) => [f.evidence[0], f.matterId])).toEqual([
      ['e1', 'm1'],
      ['e2', 'm2'],
      ['e3', null],
      ['e4', null],
    ]);
  });

  it('checks what tick reports, against the matters opened up to the last event evaluated', async () => {
    const policy = definePolicy({
      name: 'ticking',
      kinds: ['ticking.due'],
      initialState: () => ({}),
      evolve(_state, event, ctx) {
        if (event.type === 'ContactMade') ctx.wakeAt(event.time + 3_600_000);
      },
      tick(_state, ctx) {
        ctx.report({ kind: 'ticking.due', subject: 't', matterId: 'm1', detectedAt: ctx.now, severity: 'warning', message: 'due', evidence: [], details: {} });
      },
    });
    // The wake-up at 10:00 comes before the matter is opened at 11:00.
    const error = await recordRefusal(new Engine({ policies: [policy] }), [contact('e1', 9), opened('o1', 'm1', 11)]);
    expect(error).toMatchObject({ policy: 'ticking', customerId: C, eventId: undefined });
    expect(error.message).toMatch(OPENED_AFTER);
    const engine = new Engine({ policies: [policy] });
    await engine.record([opened('o1', 'm1', 8), contact('e1', 9)]);
    await engine.advanceTo(at(12));
    expect(engine.findings().map((f) => f.matterId)).toEqual(['m1']);
  });

  it('re-evaluating a stream after a backdated event places its matters anew', async () => {
    const engine = new Engine({ policies: [naming(() => 'm1')] });
    await engine.record([opened('o1', 'm1', 9), contact('e1', 10)]);
    expect(engine.findings().map((f) => f.matterId)).toEqual(['m1']);
    // Backdated before the opening: from the first event again, the contact at 8:00 comes before m1.
    const error = await recordRefusal(engine, contact('e0', 8));
    expect(error).toMatchObject({ customerId: C, eventId: 'e0' });
    expect(error.message).toMatch(OPENED_AFTER);
    // A backdated opening instead: the re-evaluation finds m1 opened before both contacts.
    const later = new Engine({ policies: [naming((id) => (id === 'e1' ? null : 'm1'))] });
    await later.record(contact('e1', 10));
    await later.record([opened('o1', 'm1', 8), contact('e2', 11)]);
    expect(later.findings().map((f) => [f.evidence[0], f.matterId])).toEqual([
      ['e1', null],
      ['e2', 'm1'],
    ]);
  });

  it('checks what refresh restates too, and names the refresh', async () => {
    const error = await refreshRefusal(opened('o1', 'm1', 9), at(9, 21), () => ({ matterId: 'm1' }), { matterId: 'm9', message: 'still open' });
    expect(error.message).toMatch(/^policy "restating" failed on a refresh \(restating ongoing findings as of the clock\) of customer "cust": reported a "restating.open" finding whose matterId names "m9"/);
  });

  it('replay and asOf: refused and kept as when recorded', async () => {
    const events = [opened('o1', 'm1', 8), contact('e1', 9), contact('e2', 10)];
    const error = await refusal(() => replay(events, { policies: [naming((id) => (id === 'e2' ? 'm9' : 'm1'))] }));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'naming', customerId: C, eventId: 'e2' });
    expect((error as Error).message).toMatch(NOT_OPENED);
    const { engine, snapshot } = await replay(events, { policies: [naming(() => 'm1')] });
    expect(snapshot.findings.map((f) => f.matterId)).toEqual(['m1', 'm1']);
    expect((await engine.asOf(at(9))).findings.map((f) => [f.evidence[0], f.matterId])).toEqual([['e1', 'm1']]);
  });

  it("always keeps a matter taken from a core event's data.matterId, which the lifecycle rules checked was opened before it", async () => {
    // On every event that names a matter, a finding about it: over generated journeys, in one replay and in batches of 7 with an advancing clock.
    const echoing = definePolicy({
      name: 'echoing',
      kinds: ['echoing.seen'],
      initialState: () => ({}),
      evolve(_state, event, ctx) {
        const { matterId } = event.data as { matterId?: string };
        if (matterId === undefined) return;
        ctx.report({ kind: 'echoing.seen', subject: event.id, matterId, detectedAt: event.time, severity: 'info', message: 'seen', evidence: [event.id], details: {} });
      },
    });
    const events = generateLines({ events: 600, customers: 12, seed: 5 }).map((l) => JSON.parse(l) as EventInput);
    const { snapshot } = await replay(events, { policies: [echoing] });
    const named = events.filter((e) => (e.data as { matterId?: string }).matterId !== undefined).length;
    expect(snapshot.findings.length).toBe(named);
    expect(named).toBeGreaterThan(100);
    const engine = new Engine({ policies: [echoing] });
    for (let i = 0; i < events.length; i += 7) await engine.record(events.slice(i, i + 7));
    expect(engine.findings()).toEqual(snapshot.findings);
  });

  it("heed/testing's policySpec shows a plugin author the refusal", async () => {
    const spec = policySpec(naming(() => 'm9'), { customerId: C });
    const error = await refusal(() => spec.given([opened('o1', 'm1', 8)]).when([contact('e1', 9)]).thenNoFindings());
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'naming', customerId: C, eventId: 'e1' });
    expect((error as Error).message).toMatch(NOT_OPENED);
    await policySpec(naming(() => 'm1'), { customerId: C })
      .given([opened('o1', 'm1', 8)])
      .when([contact('e1', 9)])
      .thenFindings([{ kind: 'naming.seen', matterId: 'm1' }]);
  });
});
