import { Engine } from '../engine/engine.js';
import { eventJsonSchema } from '../events/json-schema.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { CliIo } from './io.js';
import { emit } from './output.js';

/**
 * `heed schema`: the JSON Schema of the event format, including the custom event types of the
 * installed policies (the registry an engine with those policies builds).
 */
export async function schema(io: CliIo, policies: readonly AnyPolicy[], flags: { readonly out?: string }): Promise<number> {
  const { registry } = new Engine({ policies });
  return emit(io, flags.out, `${JSON.stringify(eventJsonSchema(registry), null, 2)}\n`);
}
