import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, loadConfigFile, parseJsonl, replayValidated, type AnyPolicy } from '../../src/index.js';
import { renderReport } from '../../src/report/render-report.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const journeys = (name: string) => join(root, 'examples/journeys', name);

/** Replay example journeys with the given policies and render the report, in-process. */
export async function reportOf(files: readonly string[], policies: readonly AnyPolicy[]) {
  const config = await loadConfigFile(join(root, 'examples/heed.config.json'), policies);
  const engine = new Engine({ policies, config });
  const events = files.flatMap((file) => {
    const parsed = parseJsonl(readFileSync(file, 'utf8'), file, { registry: engine.registry, calendar: engine.calendar });
    if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
    return parsed.events;
  });
  const { snapshot } = await replayValidated(engine, events);
  return { html: renderReport({ snapshot, events, calendar: engine.calendar }), snapshot, events };
}

/** How many times a pattern occurs in the text. */
export function count(html: string, pattern: RegExp): number {
  return [...html.matchAll(new RegExp(pattern.source, 'g'))].length;
}

/** The HTML of one customer's section. */
export function sectionOf(html: string, customerId: string): string {
  const at = html.indexOf(`data-customer="${customerId}"><header>`);
  if (at < 0) throw new Error(`no section for ${customerId}`);
  return html.slice(html.lastIndexOf('<section', at), html.indexOf('</section>', at));
}
