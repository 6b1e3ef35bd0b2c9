import { describe, expect, it } from 'vitest';
import { coreEventTypes } from '../../src/index.js';
import { completionsAt } from './completions.js';

/**
 * What an editor offers where an event is written for `engine.record` or `given`: every core type
 * name inside the quotes of `type: '…'` (the parameter takes any other name too, typed so the core
 * names are not absorbed into `string`), and, once the type is written, that type's data fields.
 */
describe('event type completions', () => {
  const prelude = "import { Engine, builtinPolicies } from 'heed';\nimport { policySpec } from 'heed/testing';\ndeclare const engine: Engine;\nconst at = '2024-03-01';\n";

  it('offers every core type name in engine.record, for one event and in a list, and in given', () => {
    const one = completionsAt(`${prelude}void engine.record({ customerId: 'c', type: '|', at });\nexport {};\n`);
    expect(one).toEqual(expect.arrayContaining([...coreEventTypes]));
    const list = completionsAt(`${prelude}void engine.record([{ customerId: 'c', type: 'MatterOpened', at, data: { matterId: 'm' } }, { customerId: 'c', type: '|', at }]);\nexport {};\n`);
    expect(list).toEqual(expect.arrayContaining([...coreEventTypes]));
    const given = completionsAt(`${prelude}policySpec(builtinPolicies[0]!).given([{ type: '|', at }]);\nexport {};\n`);
    expect(given).toEqual(expect.arrayContaining([...coreEventTypes]));
  }, 120_000);

  it('offers, in given and when, the types the policy under test declares beside the core ones', () => {
    const policy = "import * as z from 'zod';\nimport { definePolicy } from 'heed';\nconst noticed = definePolicy({ name: 'noticed', events: { NoticeSent: z.strictObject({ matterId: z.string() }) }, kinds: ['noticed.sent'], initialState: () => ({}), evolve() {} });\n";
    const given = completionsAt(`${prelude}${policy}policySpec(noticed).given([{ type: '|', at }]);\nexport {};\n`);
    expect(given).toEqual(expect.arrayContaining([...coreEventTypes, 'NoticeSent']));
    const when = completionsAt(`${prelude}${policy}policySpec(noticed).given([]).when([{ type: 'MatterOpened', at, data: { matterId: 'm' } }, { type: '|', at }]);\nexport {};\n`);
    expect(when).toEqual(expect.arrayContaining([...coreEventTypes, 'NoticeSent']));
  }, 120_000);

  it("offers, in given, when and replay, the data fields of a type the policies declare, from its schema", () => {
    const policy =
      "import * as z from 'zod';\nimport { definePolicy, replay } from 'heed';\nconst noticed = definePolicy({ name: 'noticed', events: { NoticeSent: z.strictObject({ matterId: z.string(), notice: z.enum(['first', 'second']).optional() }) }, kinds: ['noticed.sent'], initialState: () => ({}), evolve() {} });\n";
    const given = completionsAt(`${prelude}${policy}policySpec(noticed).given([{ type: 'NoticeSent', at, data: { | } }]);\nexport {};\n`);
    expect(given).toEqual(expect.arrayContaining(['matterId', 'notice']));
    const when = completionsAt(`${prelude}${policy}policySpec(builtinPolicies[0], { with: [noticed] }).given([]).when([{ type: 'MatterOpened', at, data: { matterId: 'm' } }, { type: 'NoticeSent', at, data: { matterId: 'm', notice: '|' } }]);\nexport {};\n`);
    expect(when).toEqual(expect.arrayContaining(['first', 'second']));
    const replayed = completionsAt(`${prelude}${policy}void replay([{ customerId: 'c', type: 'NoticeSent', at, data: { | } }], { policies: [...builtinPolicies, noticed] });\nexport {};\n`);
    expect(replayed).toEqual(expect.arrayContaining(['matterId', 'notice']));
  }, 120_000);

  it('offers every core type name and then its data fields in a list given to replay', () => {
    const names = completionsAt(`import { replay } from 'heed';\nvoid replay([{ customerId: 'c', type: '|', at: '2024-03-01' }]);\nexport {};\n`);
    expect(names).toEqual(expect.arrayContaining([...coreEventTypes]));
    const fields = completionsAt(`import { replay } from 'heed';\nvoid replay([{ customerId: 'c', type: 'PromiseMade', at: '2024-03-01', data: { | } }]);\nexport {};\n`);
    expect(fields).toEqual(expect.arrayContaining(['promiseId', 'what', 'dueBy']));
  }, 120_000);

  it("offers every core type name and then its data fields in a list given to a store's append or importEvents", () => {
    const store = "import { InMemoryEventStore } from 'heed';\ndeclare const store: InMemoryEventStore;\n";
    const names = completionsAt(`${store}void store.append('c', [{ customerId: 'c', type: '|', at: '2024-03-01', time: 0 }]);\nexport {};\n`);
    expect(names).toEqual(expect.arrayContaining([...coreEventTypes]));
    const fields = completionsAt(`${store}void store.append('c', [{ customerId: 'c', type: 'MatterOpened', at: '2024-03-01', time: 0, data: { | } }]);\nexport {};\n`);
    expect(fields).toEqual(expect.arrayContaining(['matterId', 'severity', 'title']));
    // The fields engine.record offers for the same type: a store takes data as the engine does (and fills in the defaults).
    const recorded = completionsAt(`${prelude}void engine.record([{ customerId: 'c', type: 'MatterOpened', at, data: { | } }]);\nexport {};\n`);
    expect([...fields].sort()).toEqual([...recorded].sort());
    const pg = "import { PostgresEventStore } from 'heed/postgres';\ndeclare const pg: PostgresEventStore;\n";
    const imported = completionsAt(`${pg}void pg.importEvents([{ customerId: 'c', type: 'ContactMade', at: '2024-03-01', time: 0, data: { | } }]);\nexport {};\n`);
    expect(imported).toEqual(expect.arrayContaining(['direction', 'channel', 'purpose']));
  }, 120_000);

  it("offers a core type's data fields once its type is written", () => {
    const fields = completionsAt(`${prelude}void engine.record({ customerId: 'c', type: 'FixAttempted', at, data: { | } });\nexport {};\n`);
    expect(fields).toEqual(expect.arrayContaining(['matterId', 'method', 'outcome', 'attemptId']));
    const outcome = completionsAt(`${prelude}void engine.record([{ customerId: 'c', type: 'FixAttempted', at, data: { matterId: 'm', method: 'x', outcome: '|' } }]);\nexport {};\n`);
    expect(outcome).toEqual(expect.arrayContaining(['succeeded', 'partial', 'failed', 'worsened']));
  }, 120_000);
});
