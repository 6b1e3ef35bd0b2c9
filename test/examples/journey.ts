import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonl, replay, type AnyPolicy, type EventInput } from '../../src/index.js';

/** The example journeys and their calendar, read as the CLI reads them. */
const root = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));

export const exampleConfig = JSON.parse(readFileSync(root('heed.config.json'), 'utf8')) as Record<string, unknown>;

export function journey(name: string): EventInput[] {
  const file = root(`journeys/${name}.jsonl`);
  const { events, errors } = parseJsonl(readFileSync(file, 'utf8'), file);
  if (errors.length > 0) throw new Error(errors.map(String).join('\n'));
  return events.map((e) => ({ id: e.id as string, customerId: e.customerId, type: e.type, at: e.at, data: e.data as Record<string, unknown>, ...(e.meta ? { meta: e.meta } : {}) }));
}

export async function replayJourney(name: string, policies: readonly AnyPolicy[], asOf?: string) {
  return replay(journey(name), { policies, config: exampleConfig, ...(asOf !== undefined ? { asOf } : {}) });
}
