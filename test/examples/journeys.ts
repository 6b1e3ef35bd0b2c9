import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Engine, parseJsonl, replayValidated, type AnyPolicy, type HeedConfig, type ReplayResult, type ValidEvent } from '../../src/index.js';
import { feedback } from '../../src/policies/feedback.js';
import { inattention } from '../../src/policies/inattention.js';
import { promises } from '../../src/policies/promises.js';

/** The example journeys as a reader runs them: the shared example calendar, the file as written. */

export const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
export const issue3Policies: readonly AnyPolicy[] = [inattention, promises, feedback];

/** The shared example configuration, with policy options merged in. */
export function exampleConfig(options: Record<string, unknown> = {}): HeedConfig {
  const base = JSON.parse(readFileSync(`${examples}heed.config.json`, 'utf8')) as HeedConfig;
  return { ...base, policies: { ...(base.policies ?? {}), ...options } };
}

/** Parse a journey file with the engine's calendar and registry; any invalid line fails loudly. */
export function readJourney(engine: Engine, name: string): ValidEvent[] {
  const file = `journeys/${name}`;
  const { events, errors } = parseJsonl(readFileSync(`${examples}${file}`, 'utf8'), file, { registry: engine.registry, calendar: engine.calendar });
  if (errors.length > 0) throw new Error(`${file} is not valid:\n${errors.map(String).join('\n')}`);
  return events;
}

export async function replayJourney(
  name: string,
  setup: { readonly policies?: readonly AnyPolicy[]; readonly options?: Record<string, unknown>; readonly asOf?: string } = {},
): Promise<ReplayResult> {
  const engine = new Engine({ policies: setup.policies ?? issue3Policies, config: exampleConfig(setup.options) });
  return replayValidated(engine, readJourney(engine, name), setup.asOf);
}
