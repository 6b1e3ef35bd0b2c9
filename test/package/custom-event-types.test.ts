import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { pluginProject } from '../plugin-project.js';

/**
 * A user's project registering its plugin's event type for the type checker with
 * `declare module 'heed' { interface CustomEventTypes { … } }`, compiled against the built
 * declarations (dist/, split into shared chunks by tsup): the registration must reach
 * `engine.record`, `replay`, the stores' `append` and `importEvents` (`heed/postgres`) and
 * `heed/testing`'s `given`, in an ES module project and a CommonJS one. Neither sets exactOptionalPropertyTypes, which heed's own tsconfig does: a NewEvent's
 * `schemaVersion` keeps a list of them from `replay` without it.
 * Each line marked `// error` must be a type error, and no other line. `replay` takes the core
 * types, the registered ones and its policies' (any name with policies the checker does not know), and
 * so do `given`/`when`: `builtinPolicies` is typed as its policies, which declare no types of their own.
 * A type a policy declares has its data checked against the schema's input there, with no registration.
 */
const app = `import * as z from 'zod';
import { Engine, InMemoryEventStore, builtinPolicies, definePolicy, parseJsonl, replay, type AnyPolicy, type NewEvent } from 'heed';
import { PostgresEventStore } from 'heed/postgres';
import { policySpec } from 'heed/testing';

declare module 'heed' {
  interface CustomEventTypes {
    NoReplyNoticeSent: { readonly matterId: string; readonly notice?: 'first' | 'second' };
  }
}

const at = '2024-03-01T10:00:00Z';
// Policies as a loaded configuration gives them: the plugin's types are not known to the checker, so any name passes.
declare const loaded: readonly AnyPolicy[];
const engine = new Engine();
const spec = policySpec(builtinPolicies[0]!);
void engine.record({ customerId: 'c', type: 'NoReplyNoticeSent', at, data: { matterId: 'm', notice: 'first' } });
void engine.record({ customerId: 'c', type: 'NoReplyNoticeSent', at, data: { matterID: 'm' } }); // error
void engine.record([{ customerId: 'c', type: 'MatterOpened', at, data: { matterId: 'm' } }, { customerId: 'c', type: 'NoReplyNoticeSent', at, data: { matterId: 'm', notice: 'third' } }]); // error
void engine.record({ customerId: 'c', type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call', dueBy: at, dueAtt: at } }); // error
void engine.record({ customerId: 'c', type: 'SomeOtherPluginType', at, data: { anything: [1, 2] } });
spec.given([{ type: 'NoReplyNoticeSent', at, data: { matterId: 'm' } }]).when([{ type: 'MatterOpened', at, data: { matterId: 'm' } }]);
spec.given([]).when([{ type: 'SomeOtherPluginType', at, data: { x: 1 } }]); // error
policySpec(loaded[0]!).given([{ type: 'NoReplyNoticeSent', at, data: { matterId: 'm' } }]).when([{ type: 'SomeOtherPluginType', at, data: { x: 1 } }]);
spec.given([{ type: 'NoReplyNoticeSent', at, data: { matterID: 'm' } }]); // error
spec.given([]).when([{ type: 'FixAttempted', at, data: { matterId: 'm', method: 'reboot', outcome: 'fixed' } }]); // error
void replay([{ customerId: 'c', type: 'NoReplyNoticeSent', at, data: { matterId: 'm' } }]);
void replay([{ customerId: 'c', type: 'NoReplyNoticeSent', at, data: { matterId: 'm' } }, { customerId: 'c', type: 'SomeOtherPluginType', at, data: { x: 1 } }], { policies: loaded });
void replay([{ customerId: 'c', type: 'SomeOtherPluginType', at, data: { x: 1 } }]); // error
void replay([{ customerId: 'c', type: 'SomeOtherPluginType', at, data: { x: 1 } }], { policies: [...builtinPolicies] }); // error
void replay([{ customerId: 'c', type: 'MatterOpened', at, data: { matterId: 'm' } }, { customerId: 'c', type: 'NoReplyNoticeSent', at, data: { matterID: 'm' } }]); // error
// A policy's own type, declared by it and registered nowhere: its data is checked against its schema's input.
const chased = definePolicy({ name: 'chased', events: { ChaseSent: z.strictObject({ matterId: z.string(), round: z.number().default(1) }) }, kinds: ['chased.sent'], initialState: () => ({}), evolve() {} });
policySpec(chased).given([{ type: 'ChaseSent', at, data: { matterId: 'm' } }]).when([{ type: 'ChaseSent', at, data: { matterId: 'm', round: 2 } }]);
policySpec(chased).given([{ type: 'ChaseSent', at, data: { matterID: 'm' } }]); // error
void replay([{ customerId: 'c', type: 'ChaseSent', at, data: { matterId: 'm' } }], { policies: [...builtinPolicies, chased] });
void replay([{ customerId: 'c', type: 'ChaseSent', at, data: { matterId: 'm', round: 'two' } }], { policies: [...builtinPolicies, chased] }); // error
void replay([{ customerId: 'c', type: 'ChaseSent', at, data: { anything: 1 } }], { policies: loaded });
void replay(parseJsonl('{}').events, { asOf: at });
declare const news: NewEvent[];
void replay(news); // error
const time = Date.parse(at);
const store = new InMemoryEventStore();
void store.append('c', [{ customerId: 'c', type: 'NoReplyNoticeSent', at, time, data: { matterId: 'm' } }, { customerId: 'c', type: 'SomeOtherPluginType', at, time, data: { x: 1 } }]);
void store.append('c', [{ customerId: 'c', type: 'NoReplyNoticeSent', at, time, data: { matterId: 'm', notice: 'third' } }]); // error
void store.append('c', news);
declare const pg: PostgresEventStore;
void pg.append('c', [{ customerId: 'c', type: 'MatterOpened', at, time, data: { matterId: 'm' } }, { customerId: 'c', type: 'NoReplyNoticeSent', at, time, data: { matterId: 'm' } }]);
void pg.append('c', [{ customerId: 'c', type: 'PromiseMade', at, time, data: { promiseId: 'p', what: 'call' } }]); // error
void pg.importEvents([{ customerId: 'c', type: 'NoReplyNoticeSent', at, time, data: { matterID: 'm' } }]); // error
void pg.importEvents(news);
`;

const types = fileURLToPath(new URL('../../node_modules/@types', import.meta.url));

function errorLines(kind: 'module' | 'commonjs'): number[] {
  const dir = pluginProject({ 'app.ts': app, 'package.json': JSON.stringify({ type: kind }) });
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    typeRoots: [types],
    types: ['node'],
    ...(kind === 'module'
      ? { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }
      : { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }),
  };
  const file = join(dir, 'app.ts');
  const program = ts.createProgram([file], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  // Anything but a diagnostic in app.ts (a declaration not found) fails the test with its text.
  const elsewhere = diagnostics.filter((d) => d.file?.fileName !== file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(elsewhere).toEqual([]);
  return diagnostics.map((d) => (d.file as ts.SourceFile).getLineAndCharacterOfPosition(d.start ?? 0).line + 1);
}

const marked = app
  .split('\n')
  .flatMap((line, i) => (line.endsWith('// error') ? [i + 1] : []));

describe("a plugin's event types registered in CustomEventTypes, from the built package", () => {
  it('are checked by engine.record, replay, the stores and given/when in an ES module project', () => {
    expect(marked).toHaveLength(15);
    expect(errorLines('module')).toEqual(marked);
  });

  it('and in a CommonJS project (node10 resolution, the .d.cts declarations)', () => {
    expect(errorLines('commonjs')).toEqual(marked);
  });
});
