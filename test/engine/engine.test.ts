import { describe, expect, it } from 'vitest';
import {
  Calendar,
  Engine,
  EventIdConflictError,
  InMemoryEventStore,
  InvalidInputError,
  PolicyError,
  VersionConflictError,
  definePolicy,
  type FindingChange,
} from '../../src/index.js';
import { PostgresEventStore } from '../../src/postgres.js';
import { ledger } from '../fixtures/ledger-policy.js';
import { fragile } from '../fixtures/fragile-policy.js';

const C = 'cust';
const opened = (at: string, matterId = 'm', customerId = C) => ({ customerId, type: 'MatterOpened', at, data: { matterId } });
const resolved = (at: string, matterId = 'm', customerId = C) => ({ customerId, type: 'MatterResolved', at, data: { matterId } });
const promise = (at: string, dueBy: string, promiseId = 'p', customerId = C, id?: string) => ({
  ...(id ? { id } : {}),
  customerId,
  type: 'PromiseMade',
  at,
  data: { promiseId, what: 'call back', dueBy },
});
const kept = (at: string, promiseId = 'p', customerId = C) => ({ customerId, type: 'PromiseKept', at, data: { promiseId } });

function engine(store = new InMemoryEventStore()) {
  const e = new Engine({ policies: [ledger], store });
  const changes: string[] = [];
  e.on('finding', (c: FindingChange) => changes.push(`${c.type} ${c.finding.kind} ${c.finding.customerId}`));
  return { e, changes, store };
}

const kinds = (e: Engine) => e.findings().map((f) => `${f.kind}@${f.detectedAt}`);

describe('engine: time', () => {
  it('raises a wake-driven finding exactly when its instant is reached, not before', async () => {
    const { e } = engine();
    await e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'));
    await e.advanceTo('2017-11-21T16:59:59Z');
    expect(kinds(e)).toEqual([]);
    await e.advanceTo('2017-11-21T17:00:00Z');
    expect(kinds(e)).toEqual(['fx.overdue@2017-11-21T17:00:00.000Z']);
  });

  it('at one instant, events come before wake-ups (kept exactly at the due time is on time)', async () => {
    const { e } = engine();
    await e.record([promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'), kept('2017-11-21T17:00:00Z')]);
    await e.advanceTo('2017-11-30');
    expect(kinds(e)).toEqual([]);
  });

  it('recording an event at T first moves the clock to T for every customer', async () => {
    const { e } = engine();
    await e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z', 'p', 'a'));
    await e.record(opened('2017-11-25T00:00:00Z', 'm', 'b'));
    expect(e.findings({ customerId: 'a' }).map((f) => f.kind)).toEqual(['fx.overdue']);
    expect(e.now).toBe(Date.parse('2017-11-25T00:00:00Z'));
  });

  it('never moves the clock back', async () => {
    const { e } = engine();
    await e.advanceTo('2017-11-25');
    await e.advanceTo('2017-11-20');
    expect(e.now).toBe(Date.parse('2017-11-25T00:00:00Z'));
  });

  it('restates ongoing findings as of the clock when they are read', async () => {
    const { e } = engine();
    await e.record(opened('2017-11-20T00:00:00Z'));
    expect(e.findings()[0]?.details).toEqual({ openMinutes: 0, closed: false });
    await e.advanceTo('2017-11-20T02:00:00Z');
    expect(e.findings()[0]?.details).toEqual({ openMinutes: 120, closed: false });
    await e.record(resolved('2017-11-20T03:00:00Z'));
    await e.advanceTo('2017-11-21T00:00:00Z');
    expect(e.findings()[0]?.details).toEqual({ openMinutes: 180, closed: true });
  });

  it('restates as of the clock an ongoing finding reported by an event earlier than the clock, after a read at that clock', async () => {
    const { e } = engine();
    await e.record(opened('2017-11-20T00:00:00Z', 'm1'));
    await e.advanceTo('2017-11-21T00:00:00Z');
    e.findings(); // refreshed as of the clock
    await e.record(opened('2017-11-20T12:00:00Z', 'm2')); // in order, but before the clock: the clock stays
    expect(e.findings().map((f) => f.details)).toEqual([
      { openMinutes: 1440, closed: false },
      { openMinutes: 720, closed: false },
    ]);
  });
});

describe('engine: backdated events', () => {
  it('re-evaluates the stream and retracts a finding that never held', async () => {
    const { e, changes } = engine();
    await e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'));
    await e.advanceTo('2017-11-22');
    await e.record(kept('2017-11-21T12:00:00Z'));
    expect(kinds(e)).toEqual([]);
    expect(changes).toEqual(['created fx.overdue cust', 'retracted fx.overdue cust']);
  });

  it('gives the same findings as the sorted stream when an event arrives late', async () => {
    const events = [opened('2017-11-20T00:00:00Z'), promise('2017-11-20T01:00:00Z', '2017-11-20T05:00:00Z'), resolved('2017-11-20T08:00:00Z'), kept('2017-11-20T04:00:00Z')];
    const sorted = engine();
    await sorted.e.record([...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)));
    const late = engine();
    for (const event of events) await late.e.record(event);
    expect(JSON.stringify(late.e.snapshot())).toBe(JSON.stringify(sorted.e.snapshot()));
  });

  it('rejects a backdated event that would make a stored event invalid, naming both', async () => {
    const { e, store } = engine();
    await e.record([opened('2017-11-20'), resolved('2017-11-25')]);
    const error = await e.record(resolved('2017-11-22')).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors[0]?.message).toMatch(/would make the stored MatterResolved "cust:2".*already|it is resolved/);
    expect(store.size).toBe(2);
  });
});

describe('engine: input', () => {
  it('appends nothing from a batch with an invalid event, and lists every problem', async () => {
    const { e, store } = engine();
    const error = await e
      .record([opened('2017-11-20', 'a'), { customerId: C, type: 'MatterResolved', at: '2017-11-21', data: { matterId: 'ghost' } }, { customerId: C, type: 'Nope', at: 'x' }])
      .catch((x: unknown) => x);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors.map((x) => `#${(x.index ?? 0) + 1} ${x.rule}`)).toEqual(['#2 unknown-matter', '#3 invalid-instant', '#3 unknown-type']);
    expect(store.size).toBe(0);
    expect(e.customers()).toEqual([]);
  });

  it('treats a re-sent id with the same payload as a no-op and a different payload as an error', async () => {
    const { e, store } = engine();
    const first = await e.record(promise('2017-11-20T09:00:00-07:00', '2017-11-21T17:00:00Z', 'p', C, 'evt-1'));
    const retry = await e.record(promise('2017-11-20T16:00:00Z', '2017-11-21T17:00:00Z', 'p', C, 'evt-1'));
    expect([first.appended, retry.appended, retry.duplicates, store.size]).toEqual([1, 0, 1, 1]);
    const conflict = await e.record(promise('2017-11-20T16:00:00Z', '2017-11-22T17:00:00Z', 'p', C, 'evt-1')).catch((x: unknown) => x);
    expect((conflict as InvalidInputError).errors.map((x) => x.rule)).toEqual(['id-conflict']);
    expect((conflict as InvalidInputError).errors[0]?.detail).toBe('event id "evt-1" was already recorded with a different payload; a retry must be identical');
  });

  it('names the earlier event of the batch when an id is used twice in one batch with different payloads', async () => {
    const { e, store } = engine();
    const batch = [promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z', 'p', C, 'x'), opened('2017-11-20T10:00:00Z'), promise('2017-11-20T11:00:00Z', '2017-11-22T17:00:00Z', 'p', C, 'x')];
    const conflict = await e.record(batch).catch((x: unknown) => x);
    expect((conflict as InvalidInputError).errors.map((x) => [x.index, x.rule, x.detail])).toEqual([
      [2, 'id-conflict', 'event id "x" is used by an earlier event (event #1) with a different payload; a retry must be identical'],
    ]);
    expect(store.size).toBe(0);
  });

  it('settles an id the store assigned earlier in the batch as one event at a time does: a retry is skipped and counted', async () => {
    const single = engine();
    await single.e.record(opened('2017-11-20T09:00:00Z'));
    const retry = await single.e.record({ ...opened('2017-11-20T09:00:00Z'), id: `${C}:1` });
    await single.e.record(promise('2017-11-20T10:00:00Z', '2017-11-21T17:00:00Z'));
    const batched = engine();
    const result = await batched.e.record([opened('2017-11-20T09:00:00Z'), { ...opened('2017-11-20T09:00:00Z'), id: `${C}:1` }, promise('2017-11-20T10:00:00Z', '2017-11-21T17:00:00Z')]);
    expect([retry.duplicates, result.appended, result.duplicates]).toEqual([1, 2, 1]);
    const ids = async (store: InMemoryEventStore) => (await store.readStream(C)).map((e) => e.id);
    expect(await ids(batched.store)).toEqual([`${C}:1`, `${C}:2`]);
    expect(await ids(batched.store)).toEqual(await ids(single.store));
    expect(batched.e.snapshot()).toEqual(single.e.snapshot());
  });

  it('refuses, as one event at a time does, an id the store assigned earlier in the batch with another payload, naming that event', async () => {
    const single = engine();
    await single.e.record([opened('2017-11-19T09:00:00Z', 'first'), opened('2017-11-20T09:00:00Z')]);
    const one = await single.e.record(promise('2017-11-20T10:00:00Z', '2017-11-21T17:00:00Z', 'p', C, `${C}:2`)).catch((x: unknown) => x);
    expect((one as InvalidInputError).errors.map((x) => [x.rule, x.detail])).toEqual([['id-conflict', `event id "${C}:2" was already recorded with a different payload; a retry must be identical`]]);
    const batched = engine();
    await batched.e.record(opened('2017-11-19T09:00:00Z', 'first'));
    const all = await batched.e.record([opened('2017-11-20T09:00:00Z'), promise('2017-11-20T10:00:00Z', '2017-11-21T17:00:00Z', 'p', C, `${C}:2`)]).catch((x: unknown) => x);
    expect(all).toBeInstanceOf(InvalidInputError);
    expect((all as InvalidInputError).errors.map((x) => [x.index, x.rule, x.detail])).toEqual([
      [1, 'id-conflict', `event id "${C}:2" was assigned to an earlier event (event #1, given without an id), which has a different payload; a retry must be identical`],
    ]);
    expect(batched.store.size).toBe(1);
  });

  it('moves an assigned id aside only for an id stored or given earlier in the batch, as one event at a time does', async () => {
    const batch = [promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z', 'p', C, `${C}:3`), opened('2017-11-20T10:00:00Z'), opened('2017-11-20T11:00:00Z', 'n')];
    const single = engine();
    await single.e.record(opened('2017-11-19T09:00:00Z', 'first'));
    for (const event of batch) await single.e.record(event);
    const batched = engine();
    await batched.e.record(opened('2017-11-19T09:00:00Z', 'first'));
    await batched.e.record(batch);
    const ids = async (store: InMemoryEventStore) => (await store.readStream(C)).map((e) => e.id);
    expect(await ids(batched.store)).toEqual([`${C}:1`, `${C}:3`, `${C}:3~2`, `${C}:4`]);
    expect(await ids(batched.store)).toEqual(await ids(single.store));
  });

  it('the store refuses a different payload under an existing id', async () => {
    const store = new InMemoryEventStore();
    // The same date resolved in two time zones (UTC, America/Denver): a different time, so a different payload.
    await store.append(C, [{ id: 'x', customerId: C, type: 'MatterOpened', at: '2017-11-20', time: Date.UTC(2017, 10, 20), data: { matterId: 'm', severity: 'normal' } }]);
    await expect(store.append(C, [{ id: 'x', customerId: C, type: 'MatterOpened', at: '2017-11-20', time: Date.UTC(2017, 10, 20, 7), data: { matterId: 'm', severity: 'normal' } }])).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
  });

  it('detects another writer on the same stream through the expected version', async () => {
    const store = new InMemoryEventStore();
    const one = engine(store);
    const two = engine(store);
    await one.e.record(opened('2017-11-20'));
    const error = await two.e.record(opened('2017-11-21', 'n')).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ customerId: C, expected: 0, actual: 1 });
  });

  it("after losing a race to another writer, reloads the customer from the store on its next record, the other writer's events included", async () => {
    const store = new InMemoryEventStore();
    const one = engine(store);
    const two = engine(store);
    await two.e.record(opened('2017-11-19', 'early')); // two has seen the stream at version 1
    await one.e.hydrate();
    await one.e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'));
    await expect(two.e.record(opened('2017-11-21', 'n'))).rejects.toBeInstanceOf(VersionConflictError);
    // The same event again: planned against the store's stream (version 2), so it is appended.
    await two.e.record(opened('2017-11-21', 'n'));
    expect(await store.streamVersion(C)).toBe(3);
    expect(two.e.summary(C)).toEqual({ fx: { promises: 1, matters: 2 } });
    expect(kinds(two.e)).toEqual(['fx.open@2017-11-19T00:00:00.000Z', 'fx.open@2017-11-21T00:00:00.000Z']); // the promise is not due yet at two's clock
    // A lifecycle rule now sees the other writer's promise too: keeping it is valid.
    await two.e.record(kept('2017-11-22T09:00:00Z'));
  });

  it("an event that refers to another writer's matter is planned again on the store's stream when the engine is behind: resolving it is appended, not refused as never opened", async () => {
    const store = new InMemoryEventStore();
    const one = engine(store);
    const two = engine(store);
    await two.e.record(opened('2017-11-19', 'early')); // two has seen the stream at version 1
    await one.e.hydrate();
    await one.e.record(opened('2017-11-20', 'm')); // one opens "m": two is behind
    await two.e.record(resolved('2017-11-21', 'm'));
    expect((await store.readStream(C)).map((x) => x.type)).toEqual(['MatterOpened', 'MatterOpened', 'MatterResolved']);
  });

  it('an engine that never saw a customer another writer created plans on the store\'s stream rather than refusing as "never opened"', async () => {
    const store = new InMemoryEventStore();
    const one = engine(store);
    const two = engine(store); // started before the customer existed: nothing to hydrate
    await one.e.record(opened('2017-11-20', 'm'));
    await two.e.record(resolved('2017-11-21', 'm'));
    expect((await store.readStream(C)).map((x) => x.type)).toEqual(['MatterOpened', 'MatterResolved']);
    expect(two.e.summary(C)).toEqual({ fx: { promises: 0, matters: 1 } });
  });

  it('a lifecycle error of an engine that is up to date with the store stays an InvalidInputError', async () => {
    const store = new InMemoryEventStore();
    const one = engine(store);
    await one.e.record(opened('2017-11-20', 'm'));
    await expect(one.e.record(resolved('2017-11-21', 'nope'))).rejects.toBeInstanceOf(InvalidInputError);
    await expect(engine(store).e.record(resolved('2017-11-21', 'nope', 'new-customer'))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("checks the lifecycle rules against the store's stream when another writer appended: keeping a promise the other engine made is valid, not refused on this engine's stale copy", async () => {
    const store = new InMemoryEventStore();
    const one = engine(store);
    const two = engine(store);
    await one.e.record(opened('2017-11-19', 'early'));
    await two.e.hydrate(); // two has seen the stream at version 1
    await one.e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'));
    // Without a reload this failed with "promise p was never made", and kept failing on every retry.
    await two.e.record(kept('2017-11-20T12:00:00Z'));
    expect(await store.streamVersion(C)).toBe(3);
    expect(two.e.summary(C)).toEqual({ fx: { promises: 1, matters: 1 } });
    // A customer this engine never saw, which the other engine created, likewise.
    const other = 'other';
    await one.e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z', 'q', other));
    await two.e.record(kept('2017-11-20T12:00:00Z', 'q', other));
    expect(await store.streamVersion(other)).toBe(2);
    // A rule the store's stream breaks too is still refused, with nothing written.
    await expect(two.e.record(kept('2017-11-20T13:00:00Z', 'nope'))).rejects.toBeInstanceOf(InvalidInputError);
    expect(await store.streamVersion(C)).toBe(3);
  });

  it('runs concurrent record calls one after the other', async () => {
    const { e, store } = engine();
    await Promise.all([e.record(opened('2017-11-20', 'a')), e.record(opened('2017-11-21', 'b')), e.record(opened('2017-11-22', 'c'))]);
    expect(store.size).toBe(3);
    expect((await store.readStream(C)).map((x) => x.streamVersion)).toEqual([1, 2, 3]);
  });

  it('assigns "<customerId>:<streamVersion>" ids when none is given', async () => {
    const { e, store } = engine();
    await e.record([opened('2017-11-20'), resolved('2017-11-21')]);
    expect((await store.readStream(C)).map((x) => x.id)).toEqual(['cust:1', 'cust:2']);
  });
});

describe('engine: notifications and views', () => {
  it('emits each change on "finding" and on its kind', async () => {
    const { e } = engine();
    const perKind: string[] = [];
    e.on('fx.overdue', (c) => perKind.push(c.type));
    await e.record(promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'));
    const changes = await e.advanceTo('2017-11-22');
    expect(changes.map((c) => c.type)).toEqual(['created']);
    expect(perKind).toEqual(['created']);
  });

  it('answers what was known at an earlier instant', async () => {
    const { e } = engine();
    await e.record([promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z'), kept('2017-11-23T00:00:00Z')]);
    const before = await e.asOf('2017-11-21T12:00:00Z');
    const after = await e.asOf('2017-11-22');
    expect([before.asOf, before.findings.length, after.findings.map((f) => f.kind)]).toEqual(['2017-11-21T12:00:00.000Z', 0, ['fx.overdue']]);
    expect(after.events).toBe(1);
  });

  it('hydrates a new engine from an existing store to the same snapshot', async () => {
    const { e, store } = engine();
    await e.record([opened('2017-11-20', 'm', 'a'), promise('2017-11-20T09:00:00Z', '2017-11-21T17:00:00Z', 'p', 'b'), resolved('2017-11-23', 'm', 'a')]);
    const fresh = new Engine({ policies: [ledger], store });
    await fresh.hydrate();
    expect(JSON.stringify(fresh.snapshot())).toBe(JSON.stringify(e.snapshot()));
  });

  it('sorts findings by detectedAt, then customer, then kind', async () => {
    const { e } = engine();
    await e.record([opened('2017-11-21', 'm', 'b'), opened('2017-11-21', 'm', 'a'), promise('2017-11-20T00:00:00Z', '2017-11-21T00:00:00Z', 'p', 'b')]);
    expect(e.findings().map((f) => `${f.customerId} ${f.kind}`)).toEqual(['a fx.open', 'b fx.open', 'b fx.overdue']);
  });
});

describe('engine: policy failures', () => {
  it('wraps a throwing policy in PolicyError naming the policy, customer and event, and emits nothing', async () => {
    const e = new Engine({ policies: [fragile] });
    await e.record(opened('2017-11-20'));
    const error = await e.record({ id: 'bad', ...resolved('2017-11-21') }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'fragile', customerId: C, eventId: 'bad' });
    // immer discarded the failed draft: the state is the one before the event
    expect(e.state<{ n: number }>(C, 'fragile')?.n).toBe(1);
  });

  it('refuses a finding kind the policy did not declare', async () => {
    const sloppy = definePolicy({
      name: 'sloppy',
      kinds: ['sloppy.a'],
      initialState: () => ({}),
      evolve(_s, event, ctx) {
        ctx.report({ kind: 'sloppy.b', subject: 's', detectedAt: event.time, severity: 'info', message: 'x', evidence: [], details: {} });
      },
    });
    await expect(new Engine({ policies: [sloppy] }).record(opened('2017-11-20'))).rejects.toThrow(/does not declare/);
  });
});

describe('engine: ids assigned in a batch, over PostgreSQL (PGlite)', () => {
  it('plans from the ids the store holds: stored ids move an assigned one aside, a later given id is a retry or a conflict', async () => {
    const store = await PostgresEventStore.pglite();
    try {
      const e = new Engine({ policies: [ledger], store });
      await e.record([promise('2017-11-19T08:00:00Z', '2017-11-25T17:00:00Z', 'q', C, `${C}:3`), promise('2017-11-19T09:00:00Z', '2017-11-25T17:00:00Z', 'r', C, `${C}:3~2`)]);
      // Version 3 would be "cust:3", which is stored, as is "cust:3~2": the opening gets "cust:3~3",
      // and the next event, given that id with the same payload, is a retry of it.
      const result = await e.record([opened('2017-11-20T09:00:00Z'), { ...opened('2017-11-20T09:00:00Z'), id: `${C}:3~3` }, kept('2017-11-20T10:00:00Z', 'q')]);
      expect([result.appended, result.duplicates]).toEqual([2, 1]);
      expect((await store.readStream(C)).map((x) => x.id)).toEqual([`${C}:3`, `${C}:3~2`, `${C}:3~3`, `${C}:4`]);
      const conflict = await e.record([kept('2017-11-20T11:00:00Z', 'r'), { ...resolved('2017-11-20T12:00:00Z'), id: `${C}:5` }]).catch((x: unknown) => x);
      expect((conflict as InvalidInputError).errors.map((x) => [x.index, x.rule])).toEqual([[1, 'id-conflict']]);
      expect(await store.streamVersion(C)).toBe(4);
    } finally {
      await store.close();
    }
  });
});

describe('engine: config given as code', () => {
  it('takes a Calendar as the calendar settings (it holds them), rather than as a resolved configuration missing its options', async () => {
    // Taken for resolved (it has a Calendar), the configuration failed at the first event with
    // "Cannot read properties of undefined (reading 'get')".
    const calendar = new Calendar({ timeZone: 'America/Denver', holidays: ['2017-11-23'] });
    const e = new Engine({ config: { calendar } });
    expect([e.calendar.timeZone, e.calendar.holidays]).toEqual(['America/Denver', ['2017-11-23']]);
    await e.record({ customerId: 'c', type: 'MatterOpened', at: '2017-11-20T09:00:00-07:00', data: { matterId: 'm' } });
    expect(e.summary('c')).toHaveProperty('inattention');
  });
});
