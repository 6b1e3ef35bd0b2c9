import type { AnyPolicy } from '../policies/define-policy.js';
import { plural } from '../policies/wording.js';
import { exitCodes, write, type CliIo } from './io.js';
import { createConfiguredEngine, type EngineFlags } from './journeys.js';
import { bucketWorkersFor, replayBuckets } from './replay-buckets.js';
import { SpillSpace } from './spill-dir.js';

export type ValidateFlags = EngineFlags;

/**
 * `heed validate <files…>`: check every line (schema, then the lifecycle rules over each stream)
 * without evaluating any policy, in bounded memory like `heed replay`. Problems go to stderr as
 * `file:line: message`; success prints one line to stdout.
 */
export async function validate(io: CliIo, policies: readonly AnyPolicy[], files: readonly string[], flags: ValidateFlags): Promise<number> {
  const configured = await createConfiguredEngine(io, policies, flags);
  if (!configured.ok) return configured.code;
  const space = new SpillSpace();
  try {
    const input = await replayBuckets(io, configured.value.engine, files, space, { workers: bucketWorkersFor(policies, configured.value.recipe) });
    if (!input.ok) return input.code;
    const { customers, events } = input.value;
    await write(io.stdout, `ok: ${plural(events, 'event')}, ${plural(customers, 'customer')}, no problems\n`);
    return exitCodes.ok;
  } finally {
    space.remove();
  }
}
