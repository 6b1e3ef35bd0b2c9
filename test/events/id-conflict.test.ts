import { describe, expect, it } from 'vitest';
import { checkStream } from '../../src/cli/check-streams.js';
import { planStream } from '../../src/engine/plan.js';
import type { ValidationError } from '../../src/errors.js';
import { EventRegistry } from '../../src/events/registry.js';
import { Calendar, InMemoryEventStore, type ValidEvent } from '../../src/index.js';

const registry = new EventRegistry();
const calendar = new Calendar();
function lines(...raws: object[]): ValidEvent[] {
  return raws.map((raw, i) => {
    const result = registry.validate(raw, calendar, { file: 'in.jsonl', line: i + 1 });
    if (!result.ok) throw new Error('invalid fixture');
    return result.event;
  });
}
const call = (id: string | undefined, channel: string) => ({ ...(id === undefined ? {} : { id }), customerId: 'c', type: 'ContactMade', at: '2017-11-20T09:00:00Z', data: { direction: 'inbound', channel } });

async function bothWordings(events: ValidEvent[]): Promise<[string[], string[]]> {
  const cli: ValidationError[] = [];
  checkStream([...events], (problems) => cli.push(...problems));
  const plan = await planStream({ customerId: 'c', events, positions: undefined }, undefined, new InMemoryEventStore());
  return [cli.map((p) => p.toString()), plan.errors.map((p) => p.toString())];
}

describe('id-conflict', () => {
  it('is worded alike by heed replay (its input check) and the engine (record, replay()), naming the earlier line', async () => {
    const [cli, engine] = await bothWordings(lines(call('e1', 'phone'), call('e1', 'email')));
    expect(cli).toEqual(['in.jsonl:2: id: event id "e1" is used by an earlier event (in.jsonl:1) with a different payload; a retry must be identical']);
    expect(engine).toEqual(cli);
  });

  it('alike for an id the store assigns to an earlier line given without one', async () => {
    const [cli, engine] = await bothWordings(lines(call(undefined, 'phone'), call('c:1', 'email')));
    expect(cli).toEqual(['in.jsonl:2: id: event id "c:1" was assigned to an earlier event (in.jsonl:1, given without an id), which has a different payload; a retry must be identical']);
    expect(engine).toEqual(cli);
  });
});
