import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, PolicyError, UsageError, VersionConflictError, definePolicy, type FindingChange } from '../../src/index.js';
import { fragile, switchableFragile, switchableStart } from '../fixtures/fragile-policy.js';
import { ledger } from '../fixtures/ledger-policy.js';

const DAY = 86_400_000;
const opened = (id: string, customerId: string, at: string) => ({ id, customerId, type: 'MatterOpened', at, data: { matterId: 'm' } });
const resolved = (id: string, customerId: string, at: string) => ({ id, customerId, type: 'MatterResolved', at, data: { matterId: 'm' } });
const call = (id: string, customerId: string, at: string) => ({ id, customerId, type: 'ContactMade', at, data: { direction: 'inbound', channel: 'phone' } });
const promise = (id: string, customerId: string, at: string, dueBy: string) => ({ id, customerId, type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call back', dueBy } });

/** `fragile` with the bug fixed: counts events, throws on nothing. */
const mended = definePolicy({ name: 'fragile', kinds: ['fragile.x'], initialState: () => ({ n: 0 }), evolve: (state) => void state.n++ });

/** Asks to be woken a day after each event, and throws on the wake-ups of customer "a" only. */
const tickBomb = definePolicy({
  name: 'tick-bomb',
  kinds: ['tick-bomb.x'],
  initialState: () => ({}),
  evolve: (_state, event, ctx) => ctx.wakeAt(event.time + DAY),
  tick: (_state, ctx) => {
    if (ctx.customerId === 'a') throw new Error('tick boom');
  },
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('engine: a policy that throws fails its customer only', () => {
  it('in a batch over several customers, evaluates every other customer and rejects with the PolicyError', async () => {
    const e = new Engine({ policies: [ledger, fragile] });
    const error = await rejection(e.record([opened('a1', 'a', '2017-11-20T09:00:00Z'), resolved('a2', 'a', '2017-11-21T09:00:00Z'), opened('b1', 'b', '2017-11-20T10:00:00Z')]));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'fragile', customerId: 'a', eventId: 'a2' });
    // b's event is stored and was folded, not skipped because a failed before it.
    expect(e.findings({ customerId: 'b' }).map((f) => f.kind)).toEqual(['fx.open']);
    expect(e.summary('b')).toEqual({ fx: { promises: 0, matters: 1 } });
    await e.record(call('b2', 'b', '2017-11-22T09:00:00Z'));
    expect(e.summary('b')).toEqual({ fx: { promises: 0, matters: 1 } });
  });

  it('reading a failed customer throws its PolicyError instead of a state that missed events; other customers read as usual', async () => {
    const e = new Engine({ policies: [ledger, fragile] });
    await e.record([opened('a1', 'a', '2017-11-20T09:00:00Z'), opened('b1', 'b', '2017-11-20T10:00:00Z')]);
    const error = await rejection(e.record(resolved('a2', 'a', '2017-11-21T09:00:00Z')));
    expect(error).toBeInstanceOf(PolicyError);
    expect(() => e.findings({ customerId: 'a' })).toThrow(error as Error);
    expect(() => e.summary('a')).toThrow(error as Error);
    expect(() => e.findings()).toThrow(error as Error);
    expect(() => e.snapshot()).toThrow(error as Error);
    expect(e.findings({ customerId: 'b' }).map((f) => f.kind)).toEqual(['fx.open']);
    // Its next event evaluates it again from the store, and fails again the same way.
    await expect(e.record(call('a3', 'a', '2017-11-22T09:00:00Z'))).rejects.toMatchObject({ customerId: 'a', eventId: 'a2' });
  });

  it('keeps the failed batch stored: an engine with the policy fixed evaluates it from the store', async () => {
    const store = new InMemoryEventStore();
    const e = new Engine({ policies: [ledger, fragile], store });
    await e.record(opened('a1', 'a', '2017-11-20T09:00:00Z'));
    await expect(e.record(resolved('a2', 'a', '2017-11-21T09:00:00Z'))).rejects.toBeInstanceOf(PolicyError);
    const fixed = new Engine({ policies: [ledger, mended], store });
    await fixed.hydrate();
    expect(fixed.state('a', 'fragile')).toEqual({ n: 2 });
    expect(fixed.findings({ customerId: 'a' }).map((f) => [f.kind, f.details])).toEqual([['fx.open', { openMinutes: 1440, closed: true }]]);
  });

  it('hydrating: every other customer is evaluated, then the first failure rejects', async () => {
    const store = new InMemoryEventStore();
    await new Engine({ policies: [ledger], store }).record([opened('a1', 'a', '2017-11-20T09:00:00Z'), resolved('a2', 'a', '2017-11-21T09:00:00Z'), opened('b1', 'b', '2017-11-20T10:00:00Z')]);
    const e = new Engine({ policies: [ledger, fragile], store });
    await expect(e.hydrate()).rejects.toMatchObject({ customerId: 'a', eventId: 'a2' });
    expect(e.findings({ customerId: 'b' }).map((f) => f.kind)).toEqual(['fx.open']);
    expect(() => e.summary('a')).toThrow(PolicyError);
  });

  it("a wake-up that throws fails advanceTo after every other customer's wake-ups, whose changes are emitted", async () => {
    const e = new Engine({ policies: [ledger, tickBomb] });
    // a's wake-up (a day after its event) comes before b's promise falls due.
    await e.record([call('a1', 'a', '2017-11-20T09:00:00Z'), promise('b1', 'b', '2017-11-20T10:00:00Z', '2017-11-22T09:00:00Z')]);
    const emitted: string[] = [];
    e.on('finding', (change: FindingChange) => emitted.push(`${change.type} ${change.finding.kind} ${change.finding.customerId}`));
    const error = await rejection(e.advanceTo('2017-11-25T00:00:00Z'));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'tick-bomb', customerId: 'a' });
    expect(emitted).toEqual(['created fx.overdue b']);
    expect(e.findings({ customerId: 'b' }).map((f) => f.kind)).toEqual(['fx.overdue']);
  });

  it("a wake-up that throws while record moves the clock: the recorded customer's changes are emitted and returned to listeners before record rejects", async () => {
    const e = new Engine({ policies: [ledger, tickBomb] });
    await e.record(call('a1', 'a', '2017-11-20T09:00:00Z'));
    const emitted: string[] = [];
    e.on('finding', (change: FindingChange) => emitted.push(`${change.type} ${change.finding.kind} ${change.finding.customerId}`));
    // Recording b on the 22nd moves the clock past a's wake-up (the 21st), which throws.
    const error = await rejection(e.record(opened('b1', 'b', '2017-11-22T09:00:00Z')));
    expect(error).toMatchObject({ policy: 'tick-bomb', customerId: 'a' });
    expect(e.findings({ customerId: 'b' }).map((f) => f.kind)).toEqual(['fx.open']);
    expect(emitted).toEqual(['created fx.open b']);
  });

  it("a policy failing on the recorded events is the error record rejects with, not a later wake-up's failure", async () => {
    const e = new Engine({ policies: [ledger, fragile, tickBomb] });
    await e.record(call('a1', 'a', '2017-11-20T09:00:00Z'));
    const error = await rejection(e.record([opened('b1', 'b', '2017-11-22T08:00:00Z'), resolved('b2', 'b', '2017-11-22T09:00:00Z')]));
    expect(error).toMatchObject({ policy: 'fragile', customerId: 'b', eventId: 'b2' });
    expect(e.now).toBe(Date.parse('2017-11-22T09:00:00Z'));
  });

  it('advanceTo with a bad instant rejects (UsageError) rather than throwing where it is called', async () => {
    const e = new Engine({ policies: [ledger] });
    let promised: Promise<unknown> | undefined;
    expect(() => {
      promised = e.advanceTo('next tuesday');
    }).not.toThrow();
    await expect(promised).rejects.toBeInstanceOf(UsageError);
  });
});

describe('engine: a failed customer still knows where its stored events end', () => {
  // The batch a policy failed on is stored: a later event dated before it is backdated, and its
  // lifecycle is checked against the whole stream, as with the policy fixed.
  const reopened = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterReopened', at, data: { matterId: 'm' } });
  async function refusal(policy: typeof fragile | typeof mended): Promise<unknown> {
    const e = new Engine({ policies: [ledger, policy] });
    await e.record(opened('a1', 'a', '2017-11-20T09:00:00Z'));
    await e.record(resolved('a2', 'a', '2017-11-22T09:00:00Z')).catch(() => undefined);
    return rejection(e.record(reopened('a3', '2017-11-21T09:00:00Z')));
  }

  it('reopening a matter before its stored resolution (still open then) is refused as when no policy failed, not checked as if after it', async () => {
    const expected = await refusal(mended);
    expect(expected).toMatchObject({ errors: [{ eventId: 'a3' }] });
    const failed = await refusal(fragile);
    expect((failed as { errors?: unknown }).errors).toEqual((expected as { errors: unknown }).errors);
  });
});

describe('engine: a failed customer is left alone until it is evaluated again', () => {
  it('a wake-up it had pending before it failed does not wake it: advanceTo resolves, as over a fresh engine hydrated from the store', async () => {
    const store = new InMemoryEventStore();
    const e = new Engine({ policies: [ledger, fragile], store });
    // The promise schedules a wake-up on the 23rd; the resolution on the 21st fails `fragile`.
    await e.record([promise('a0', 'a', '2017-11-20T08:00:00Z', '2017-11-23T09:00:00Z'), opened('a1', 'a', '2017-11-20T09:00:00Z')]);
    await expect(e.record(resolved('a2', 'a', '2017-11-21T09:00:00Z'))).rejects.toBeInstanceOf(PolicyError);
    const emitted: string[] = [];
    e.on('finding', (change: FindingChange) => emitted.push(`${change.type} ${change.finding.kind}`));

    const fresh = new Engine({ policies: [ledger, fragile], store });
    await expect(fresh.hydrate()).rejects.toBeInstanceOf(PolicyError);
    await expect(fresh.advanceTo('2017-11-25T00:00:00Z')).resolves.toEqual([]);

    await expect(e.advanceTo('2017-11-25T00:00:00Z')).resolves.toEqual([]);
    expect(emitted).toEqual([]);
    expect(() => e.findings({ customerId: 'a' })).toThrow(PolicyError);
  });
});

describe('engine: what listeners were told matches the findings after a failed re-evaluation', () => {
  it('a backdated event re-evaluating a customer whose policy then fails does not drop findings unannounced: once it recovers, a finding gone is retracted', async () => {
    const { policy, set } = switchableFragile();
    const e = new Engine({ policies: [policy, ledger] });
    const keys = new Set<string>();
    e.on('finding', (change: FindingChange) => void (change.type === 'retracted' ? keys.delete(change.key) : keys.add(change.key)));
    await e.record([opened('a1', 'a', '2017-11-20T09:00:00Z'), resolved('a2', 'a', '2017-11-21T09:00:00Z'), promise('a3', 'a', '2017-11-21T10:00:00Z', '2017-11-22T09:00:00Z')]);
    await e.advanceTo('2017-11-23T00:00:00Z');
    expect([...keys].sort()).toEqual(e.findingEntries().map((f) => f.key).sort());
    expect(e.findings().map((f) => f.kind)).toEqual(['fx.open', 'fx.overdue']);
    // Keeping the promise before it fell due re-evaluates the stream, and the policy fails on a2.
    set(true);
    await expect(e.record({ id: 'a4', customerId: 'a', type: 'PromiseKept', at: '2017-11-21T12:00:00Z', data: { promiseId: 'p' } })).rejects.toBeInstanceOf(PolicyError);
    set(false);
    await e.record(call('a5', 'a', '2017-11-23T01:00:00Z'));
    expect(e.findings().map((f) => f.kind)).toEqual(['fx.open']);
    expect([...keys].sort()).toEqual(e.findingEntries().map((f) => f.key).sort());
  });
});

describe('engine: a policy whose initialState throws for a new customer', () => {
  const { policy: moody, set } = switchableStart();

  it('fails that customer as any policy failure does: known, its reads throw, the rest of the batch is recorded, its next event evaluates it again', async () => {
    set(false);
    const store = new InMemoryEventStore();
    const e = new Engine({ policies: [moody], store });
    await e.record(opened('a1', 'a', '2017-11-20T09:00:00Z'));
    set(true);
    const error = await rejection(e.record([opened('b1', 'b', '2017-11-20T10:00:00Z'), opened('c1', 'c', '2017-11-20T11:00:00Z')]));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'moody-start', customerId: 'b' });
    // Both customers' events were appended (b's before the failure, c's after it), and the engine knows them.
    expect((await store.readAll()).map((event) => event.id)).toEqual(['a1', 'b1', 'c1']);
    expect(e.customers()).toEqual(['a', 'b', 'c']);
    expect(() => e.findings({ customerId: 'b' })).toThrow(PolicyError);
    expect(() => e.snapshot()).toThrow(PolicyError);
    expect(e.state('a', 'moody-start')).toEqual({ n: 1 });
    set(false);
    await e.record(call('b2', 'b', '2017-11-21T09:00:00Z'));
    expect(e.state('b', 'moody-start')).toEqual({ n: 2 });
  });

  it('hydrate evaluates every customer and then rejects, rather than stopping at the first', async () => {
    set(false);
    const store = new InMemoryEventStore();
    await new Engine({ policies: [moody], store }).record([opened('a1', 'a', '2017-11-20T09:00:00Z'), opened('b1', 'b', '2017-11-20T10:00:00Z')]);
    set(true);
    const e = new Engine({ policies: [moody], store });
    await expect(e.hydrate()).rejects.toBeInstanceOf(PolicyError);
    expect(e.customers()).toEqual(['a', 'b']);
    set(false);
  });
});

describe('engine: a stored stream re-evaluated while a policy cannot start (initialState throws)', () => {
  // The re-evaluation fails before any event is folded, but the stream's head is the store's all
  // the same: the next append is made at the store's version, not refused with a
  // VersionConflictError no other writer caused.
  it('hydrate: the customer is failed with the PolicyError, and its next record is appended after its stored events', async () => {
    const { policy, set } = switchableStart();
    const store = new InMemoryEventStore();
    await new Engine({ policies: [policy], store }).record([opened('a1', 'a', '2017-11-20T09:00:00Z'), call('a2', 'a', '2017-11-20T10:00:00Z')]);
    set(true);
    const e = new Engine({ policies: [policy], store });
    const error = await rejection(e.hydrate());
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'moody-start', customerId: 'a', eventId: undefined, message: expect.stringContaining('(initialState)') });
    expect(() => e.summary('a')).toThrow(error as Error);
    set(false);
    await expect(e.record(call('a3', 'a', '2017-11-21T09:00:00Z'))).resolves.toMatchObject({ appended: 1 });
    expect(e.summary('a')).toEqual({ 'moody-start': { n: 3 } });
    expect((await store.readStream('a')).map((event) => event.streamVersion)).toEqual([1, 2, 3]);
  });

  it('reloading a stream another writer appended to: the record rejects with the PolicyError, not a VersionConflictError, and the next one is appended', async () => {
    const { policy, set } = switchableStart();
    const store = new InMemoryEventStore();
    const e = new Engine({ policies: [policy], store });
    await e.record(opened('a1', 'a', '2017-11-20T09:00:00Z'));
    // Another writer appends: e's first record after it meets the conflict and marks the stream stale.
    const writer = new Engine({ store });
    await writer.hydrate();
    await writer.record(call('x1', 'a', '2017-11-20T10:00:00Z'));
    await expect(e.record(call('a2', 'a', '2017-11-20T11:00:00Z'))).rejects.toBeInstanceOf(VersionConflictError);
    set(true);
    // The reload reads the store (version 2) and fails to start the policy: the batch is still
    // appended at version 2, and the failure reported is the policy's.
    const error = await rejection(e.record(call('a2', 'a', '2017-11-20T11:00:00Z')));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'moody-start', customerId: 'a', eventId: undefined, message: expect.stringContaining('(initialState)') });
    expect((await store.readStream('a')).map((event) => event.id)).toEqual(['a1', 'x1', 'a2']);
    set(false);
    await expect(e.record(call('a3', 'a', '2017-11-21T09:00:00Z'))).resolves.toMatchObject({ appended: 1 });
    expect(e.summary('a')).toEqual({ 'moody-start': { n: 4 } });
  });
});
