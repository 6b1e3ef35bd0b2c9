import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { definePolicy, Engine, InMemoryEventStore, InvalidInputError } from '../../src/index.js';
import type { AppendOptions, AppendResult, NewEvent } from '../../src/index.js';
import { isValidated } from '../../src/store/event-input.js';

// A plugin type whose schema passes anything through, as `z.unknown()` does.
const loose = definePolicy({
  name: 'loose',
  kinds: ['loose.never'],
  events: { 'loose.Noted': z.object({ value: z.unknown() }) },
  initialState: () => ({}),
  evolve() {},
});

const opened = (customerId: string, extra: object = {}) => ({ customerId, type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm', title: 't' }, ...extra });

describe('engine: data and meta that are not JSON data', () => {
  it('refuses meta or a plugin payload that no store could keep, naming event, field and rule, and writes nothing of the batch', async () => {
    const store = new InMemoryEventStore();
    const engine = new Engine({ store, policies: [loose] });
    const cycle: Record<string, unknown> = {};
    cycle['again'] = cycle;
    const error = await engine
      .record([
        opened('a'),
        opened('b', { id: 'b1', meta: { received: 10n } }),
        { customerId: 'c', type: 'loose.Noted', at: '2017-11-20T09:00:00Z', data: { value: new Date(0) } },
        opened('d', { meta: { trace: cycle } }),
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors.map((e) => [e.index, e.customerId, e.path.slice(0, 16), e.rule])).toEqual([
      [1, 'b', 'meta.received', 'not-json'],
      [2, 'c', 'data.value', 'not-json'],
      [3, 'd', 'meta.trace.again', 'not-json'],
    ]);
    expect((error as Error).message).toContain('event #2 (MatterOpened "b1" of customer "b"): meta.received: is a BigInt, which is not JSON data');
    expect(store.size).toBe(0);
  });

  it('tells the store its events are validated, so the store does not walk the payloads again', async () => {
    const seen: boolean[] = [];
    class Watched extends InMemoryEventStore {
      override append(customerId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
        seen.push(isValidated(options));
        return super.append(customerId, events, options);
      }
    }
    const store = new Watched();
    const engine = new Engine({ store });
    await engine.record([opened('a', { meta: { source: 'crm' } }), opened('b')]);
    expect(seen).toEqual([true, true]);
    expect(isValidated({ expectedVersion: 0 })).toBe(false);
  });
});
