import { describe, expect, it } from 'vitest';
import { coreFindingKinds, VALIDATION_RULES } from '../../src/index.js';
import { completionsAt } from './completions.js';

/**
 * What an editor offers inside the quotes of `engine.on('…')`, `engine.findings({ kind: '…' })`
 * and policySpec's `thenFindings([{ kind: '…' }])`: every core kind (and in `thenRejects`, every rule). The kind parameters take any `name.what` as well (a plugin's kind), typed so the
 * core literals are not absorbed into the pattern, which would leave nothing to complete. Asked of
 * TypeScript's language service, as an editor asks it, with the repository's tsconfig.
 */
describe('finding kind completions', () => {
  it("offers every core kind, and 'finding', for engine.on and engine.findings({ kind })", () => {
    const prelude = "import { Engine } from 'heed';\ndeclare const engine: Engine;\n";
    const on = completionsAt(`${prelude}engine.on('|', () => undefined);\nexport {};\n`);
    expect(on).toEqual(expect.arrayContaining(['finding', ...coreFindingKinds]));
    const findings = completionsAt(`${prelude}engine.findings({ kind: '|' });\nexport {};\n`);
    expect(findings).toEqual(expect.arrayContaining([...coreFindingKinds]));
  }, 120_000);

  it("offers every core kind in policySpec's finding expectations, and heed's validation rules in thenRejects", () => {
    const prelude = "import { builtinPolicies } from 'heed';\nimport { policySpec } from 'heed/testing';\nconst scenario = policySpec(builtinPolicies[0]!).given([]);\n";
    const kinds = completionsAt(`${prelude}void scenario.thenFindings([{ kind: '|' }]);\nexport {};\n`);
    expect(kinds).toEqual(expect.arrayContaining([...coreFindingKinds]));
    const rules = completionsAt(`${prelude}void scenario.thenRejects({ rule: '|' });\nexport {};\n`);
    expect(rules).toEqual(expect.arrayContaining(Object.keys(VALIDATION_RULES)));
    // After a plugin's kind too: the list is typed element by element.
    const after = completionsAt(`${prelude}void scenario.thenFindings([{ kind: 'acme.no-reply' }, { kind: '|' }]);\nexport {};\n`);
    expect(after).toEqual(expect.arrayContaining([...coreFindingKinds]));
  }, 120_000);

  it("offers a core kind's details fields in a thenFindings expectation of that kind", () => {
    const prelude = "import { builtinPolicies } from 'heed';\nimport { policySpec } from 'heed/testing';\nconst scenario = policySpec(builtinPolicies[0]!).given([]);\n";
    const fields = completionsAt(`${prelude}void scenario.thenFindings([{ kind: 'promise.kept-late', details: { | } }]);\nexport {};\n`);
    expect(fields.toSorted()).toEqual(['dueBy', 'keptAt', 'lateMinutes', 'party', 'promiseId', 'what']);
  }, 120_000);
});
