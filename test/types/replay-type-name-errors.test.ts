import { describe, expect, it } from 'vitest';
import { diagnosticsOf } from './completions.js';

/**
 * What `tsc` tells a user who misspells a type name in a list given to `replay`: the error is on
 * the event's `type`, and lists the names the replay takes (with TypeScript's "Did you mean"), as
 * `given` and `when` report it, not that the event lacks a validated event's `time`.
 */
describe("replay's compile error for a misspelt type name", () => {
  const prelude = "import { replay } from 'heed';\nconst at = '2024-03-01T10:00:00Z';\n";

  it('is on the type, listing the names the replay takes, for a list of one event and among others', () => {
    const one = diagnosticsOf(`${prelude}void replay([{ customerId: 'c', type: 'PromiseMde', at, data: { promiseId: 'p' } }]);\nexport {};\n`);
    expect(one).toHaveLength(1);
    expect(one[0]?.at).toBe('type');
    expect(one[0]?.message).toMatch(/^Type '"PromiseMde"' is not assignable to type '"RelationshipStarted" \| .*'\. Did you mean '"PromiseMade"'\?$/);
    const among = diagnosticsOf(
      `${prelude}void replay([{ customerId: 'c', type: 'MatterOpened', at, data: { matterId: 'm' } }, { customerId: 'c', type: 'MatterResovled', at, data: { matterId: 'm' } }]);\nexport {};\n`,
    );
    expect(among).toHaveLength(1);
    expect(among[0]?.at).toBe('type');
    expect(among[0]?.message).toContain(`Did you mean '"MatterResolved"'?`);
    expect(among[0]?.message).not.toContain('time');
  }, 120_000);

  it("is on the type for a plugin's type misspelt, listing the types of the policies given", () => {
    const policy =
      "import * as z from 'zod';\nimport { definePolicy } from 'heed';\nconst noticed = definePolicy({ name: 'noticed', events: { NoticeSent: z.strictObject({ matterId: z.string() }) }, kinds: ['noticed.sent'], initialState: () => ({}), evolve() {} });\n";
    const found = diagnosticsOf(`${prelude}${policy}void replay([{ customerId: 'c', type: 'NoticeSnet', at }], { policies: [noticed] });\nexport {};\n`);
    expect(found).toHaveLength(1);
    expect(found[0]?.at).toBe('type');
    expect(found[0]?.message).toContain(`Did you mean '"NoticeSent"'?`);
  }, 120_000);

  it('still takes a validated event written out, with its time, and refuses one whose data is wrong on the data', () => {
    const ok = diagnosticsOf(`${prelude}void replay([{ customerId: 'c', type: 'MatterOpened', at, time: 0, data: { matterId: 'm' } }]);\nexport {};\n`);
    expect(ok).toEqual([]);
    const wrong = diagnosticsOf(`${prelude}void replay([{ customerId: 'c', type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at, dueAtt: at } }]);\nexport {};\n`);
    expect(wrong).toHaveLength(1);
    expect(wrong[0]?.at).toBe('dueAtt');
  }, 120_000);
});
