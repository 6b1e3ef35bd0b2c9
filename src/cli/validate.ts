import type { AnyPolicy } from '../policies/define-policy.js';
import { plural } from '../policies/wording.js';
import { exitCodes, write, type CliIo } from './io.js';
import { createEngine, readInput } from './journeys.js';

export interface ValidateFlags {
  readonly config?: string;
}

/**
 * `heed validate <files…>`: check every line (schema, then the lifecycle rules over each stream)
 * without evaluating any policy. Problems go to stderr as `file:line: message`; success prints one
 * line to stdout.
 */
export async function validate(io: CliIo, policies: readonly AnyPolicy[], files: readonly string[], flags: ValidateFlags): Promise<number> {
  const engine = await createEngine(io, policies, flags.config);
  if (!engine.ok) return engine.code;
  const input = await readInput(io, engine.value, files);
  if (!input.ok) return input.code;
  const customers = input.value.streams.size;
  const events = input.value.eventCount;
  await write(io.stdout, `ok: ${plural(events, 'event')}, ${plural(customers, 'customer')}, no problems\n`);
  return exitCodes.ok;
}
