import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * A user's project in a temporary directory: `files` (paths relative to it, folders made as
 * needed) and a node_modules where `heed` is this package (its built dist/, as installed) and
 * `zod` heed's own copy, so plugin modules there import `definePolicy` and `z` as a user's would.
 * (Under vitest, `heed` imported by a module vitest loads resolves to the sources instead.)
 */
export function pluginProject(files: Record<string, string>): string {
  const dir = tempDir('heed-plugins-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/heed'), 'dir');
  symlinkSync(join(root, 'node_modules/zod'), join(dir, 'node_modules/zod'), 'dir');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * A plugin module: policy `name` with its own event type `<Type>` (`{ text }`) and finding kind
 * `<name>.noted`, reported (info) from the `minimum`-th such event on (option, default 1), and a
 * summary counting them. `exportAs` is how the module exports it.
 */
export function pluginSource(name: string, type: string, exportAs: 'default' | 'policies' | 'named' = 'default'): string {
  const policy = `definePolicy({
  name: ${JSON.stringify(name)},
  options: z.strictObject({ minimum: z.number().int().min(1).default(1) }),
  events: { ${type}: z.strictObject({ text: z.string() }) },
  kinds: [${JSON.stringify(`${name}.noted`)}],
  initialState: () => ({ count: 0 }),
  evolve(state, event, ctx) {
    if (event.type !== ${JSON.stringify(type)}) return;
    state.count++;
    if (state.count < ctx.options.minimum) return;
    ctx.report({ kind: ${JSON.stringify(`${name}.noted`)}, subject: 'relationship', detectedAt: event.time, severity: 'info', message: \`${type} \${state.count} times.\`, evidence: [event.id], details: { count: state.count, text: event.data.text } });
  },
  summary: (state) => ({ count: state.count }),
})`;
  const exported = exportAs === 'default' ? `export default ${policy};` : exportAs === 'policies' ? `export const policies = [${policy}];` : `export const thePolicy = ${policy};`;
  return `import * as z from 'zod';\nimport { definePolicy } from 'heed';\n\n${exported}\n`;
}
