import { eventJsonSchema } from '../events/json-schema.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { CliIo } from './io.js';
import { createEngine, type EngineFlags } from './journeys.js';
import { emit } from './output.js';

export interface SchemaFlags extends EngineFlags {
  readonly out?: string;
}

/**
 * `heed schema`: the JSON Schema of the event format, including the custom event types of the
 * installed policies and of the plugins the configuration (`--config`) or `--plugin` loads (the
 * registry an engine with those policies builds).
 */
export async function schema(io: CliIo, policies: readonly AnyPolicy[], flags: SchemaFlags): Promise<number> {
  const engine = await createEngine(io, policies, flags);
  if (!engine.ok) return engine.code;
  return emit(io, flags.out, `${JSON.stringify(eventJsonSchema(engine.value.registry), null, 2)}\n`);
}
