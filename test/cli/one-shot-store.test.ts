import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OneShotStore } from '../../src/cli/one-shot-store.js';
import { Engine, InMemoryEventStore, InvalidInputError, parseJsonl, replay, UsageError, type NewEvent } from '../../src/index.js';
import { denverConfig, examples, heed, line, scratch } from './helpers.js';

const event = (customerId: string, at: string, id?: string): NewEvent => ({
  ...(id === undefined ? {} : { id }),
  customerId,
  type: 'Note',
  at,
  time: Date.parse(at),
  data: { text: 'x' },
});

describe('OneShotStore (the store of heed replay)', () => {
  it('assigns ids and stream versions as the in-memory store does, and global positions that keep increasing', async () => {
    const batches: [string, NewEvent[]][] = [
      ['a', [event('a', '2024-01-01T00:00:00Z'), event('a', '2024-01-02T00:00:00Z', 'a:3'), event('a', '2024-01-03T00:00:00Z')]],
      ['b', [event('b', '2024-01-01T00:00:00Z', 'b1'), event('b', '2024-01-02T00:00:00Z'), event('b', '2024-01-01T00:00:00Z', 'b1')]],
    ];
    const oneShot = new OneShotStore();
    const memory = new InMemoryEventStore();
    const positions: number[] = [];
    for (const [customerId, events] of batches) {
      const [got, want] = await Promise.all([oneShot.append(customerId, events, { expectedVersion: 0 }), memory.append(customerId, events, { expectedVersion: 0 })]);
      const strip = (list: typeof got.appended) => list.map(({ globalPosition: _p, recordedAt: _r, ...rest }) => rest);
      expect(strip(got.appended)).toEqual(strip(want.appended));
      expect(got.streamVersion).toBe(want.streamVersion);
      expect(got.duplicates.map((e) => e.id)).toEqual(want.duplicates.map((e) => e.id));
      positions.push(...got.appended.map((e) => e.globalPosition));
      expect(await oneShot.streamVersion(customerId)).toBe(want.streamVersion);
    }
    expect(positions).toEqual([1, 2, 3, 4, 5]);
    expect(await oneShot.readStream('unknown')).toEqual([]);
    expect(await oneShot.readByIds('unknown', ['x'])).toEqual([]);
  });

  it('refuses what would need a forgotten event instead of answering wrongly', async () => {
    const store = new OneShotStore();
    await store.append('a', [event('a', '2024-01-01T00:00:00Z')]);
    await expect(store.append('a', [event('a', '2023-01-01T00:00:00Z')])).rejects.toThrow(UsageError);
    await expect(store.readStream('a')).rejects.toThrow(/customer "a": a one-shot replay .* cannot be read back/);
    await expect(store.readByIds('a', ['a:1'])).rejects.toThrow(UsageError);
    await expect(store.readAll()).rejects.toThrow(UsageError);
  });
});

describe('heed replay without keeping events', () => {
  it('prints exactly what the library replay prints over the in-memory store: generated ids, retries, late lines, --until', async () => {
    // Events without ids (their generated ids are the findings' evidence), one with an id that a
    // later generated id would take, an identical retry, and lines out of time order.
    const lines = [
      { id: 'c:2', customerId: 'c', type: 'PromiseMade', at: '2024-01-02T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-01-03T17:00:00Z', matterId: 'm' } },
      { customerId: 'd', type: 'MatterOpened', at: '2024-01-01T09:00:00Z', data: { matterId: 'n' } },
      { customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } },
      { customerId: 'c', type: 'ContactMade', at: '2024-01-01T09:00:00Z', data: { direction: 'inbound', channel: 'phone', purpose: 'complaint' } },
      { id: 'c:2', customerId: 'c', type: 'PromiseMade', at: '2024-01-02T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-01-03T17:00:00Z', matterId: 'm' } },
      { customerId: 'c', type: 'ContactMade', at: '2024-01-20T09:00:00Z', data: { matterId: 'm', direction: 'outbound', channel: 'email', purpose: 'update' } },
    ];
    const mixed = readFileSync(join(examples, 'journeys/mixed.jsonl'), 'utf8');
    const text = mixed + lines.map(line).join('');
    const file = join(scratch({ 'in.jsonl': text }), 'in.jsonl');
    const config = JSON.parse(readFileSync(denverConfig, 'utf8')) as object;
    const parsed = parseJsonl(text, file);
    expect(parsed.errors).toEqual([]);
    for (const until of [undefined, '2024-01-10T00:00:00Z']) {
      const result = await heed(['replay', file, '--config', denverConfig, '--format', 'json', ...(until === undefined ? [] : ['--until', until])]);
      expect(result.stderr).toBe('');
      const { snapshot } = await replay(parsed.events, { config, ...(until === undefined ? {} : { asOf: until }) });
      // The gap since the matter opened cites the opening (the second line of c) by its generated id, moved aside by the explicit "c:2" before it.
      expect(snapshot.findings.some((f) => f.customerId === 'c' && f.evidence.includes('c:2~2'))).toBe(true);
      expect(result.stdout).toBe(`${JSON.stringify(snapshot, null, 2)}\n`);
    }
  });

  it('settles a line bringing the id generated for an earlier event of its stream as the library does: an identical one is a retry, another payload an id-conflict', async () => {
    // Recorded in input order: the opening (line 1) is "c:1", the contact (line 2) "c:2".
    const opening = { customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } };
    const contact = { customerId: 'c', type: 'ContactMade', at: '2024-01-01T09:00:00Z', data: { direction: 'inbound', channel: 'phone', purpose: 'complaint' } };
    const retry = { ...opening, id: 'c:1' };
    const promise = { id: 'c:2', customerId: 'c', type: 'PromiseMade', at: '2024-01-02T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-01-03T17:00:00Z', matterId: 'm' } };
    const lines = [opening, contact, retry, promise];
    const config = JSON.parse(readFileSync(denverConfig, 'utf8')) as object;

    const text = lines.map(line).join('');
    const file = join(scratch({ 'in.jsonl': text }), 'in.jsonl');
    const problem = `${file}:4: id: event id "c:2" was assigned to an earlier event (${file}:2, given without an id), which has a different payload; a retry must be identical`;
    for (const verb of ['replay', 'validate']) {
      const result = await heed([verb, file, '--config', denverConfig]);
      expect([result.code, result.stdout]).toEqual([1, '']);
      expect(result.stderr).toContain(problem);
    }
    const refused = await replay(parseJsonl(text, file).events, { config }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).errors.map((e) => [e.line, e.rule])).toEqual([[4, 'id-conflict']]);

    // Without the conflicting line: the retry is dropped, and a replay prints what recording the
    // events one at a time in input order gives.
    const retried = lines.slice(0, 3).map(line).join('');
    const retriedFile = join(scratch({ 'in.jsonl': retried }), 'in.jsonl');
    expect(await heed(['validate', retriedFile, '--config', denverConfig])).toEqual({ code: 0, stdout: 'ok: 2 events, 1 customer, no problems\n', stderr: '' });
    const result = await heed(['replay', retriedFile, '--config', denverConfig, '--format', 'json']);
    const engine = new Engine({ config });
    let duplicates = 0;
    for (const event of [opening, contact, retry]) duplicates += (await engine.record(event)).duplicates;
    expect(duplicates).toBe(1);
    await engine.advanceTo(Date.parse('2024-01-02T09:00:00Z'));
    expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(engine.snapshot(), null, 2)}\n`, stderr: '' });
  });
});
