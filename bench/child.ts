import { engineMemory, engineValidated, plainMemory } from './tasks/memory.js';
import { emmettStore, floorStore, heedStore } from './tasks/store.js';
import { pgHeedBulk, pgHeedSingle, pgRawCopy, pgRawInsert, pgRawSingle } from './tasks/postgres.js';
import { projectionLive } from './tasks/projection.js';
import { wake } from './tasks/wake.js';

/**
 * One measured task per process (bench/measure.ts runs it): `child.ts <task> <json args>`. The
 * result is printed as one JSON line on stdout.
 */
const tasks: Record<string, (args: never) => unknown> = {
  'plain-memory': plainMemory,
  'engine-memory': engineMemory,
  'engine-validated': engineValidated,
  'heed-store': heedStore,
  'emmett-store': emmettStore,
  'floor-store': floorStore,
  wake,
  'pg-heed-single': pgHeedSingle,
  'pg-raw-single': pgRawSingle,
  'pg-heed-bulk': pgHeedBulk,
  'pg-raw-copy': pgRawCopy,
  'pg-raw-insert': pgRawInsert,
  'projection-live': projectionLive,
};

const [name, json] = process.argv.slice(2);
const task = name === undefined ? undefined : tasks[name];
if (task === undefined) throw new Error(`unknown task ${name ?? '(none)'}; known: ${Object.keys(tasks).join(', ')}`);
const result = await task(JSON.parse(json ?? '{}') as never);
process.stdout.write(`${JSON.stringify(result)}\n`);
