import { expect, it } from 'vitest';
import { PostgresEventStore } from '../../../src/postgres.js';

// A shutdown often closes twice (a SIGTERM handler and a `finally`): the second close is a no-op,
// as closing a stream twice is, not "PGlite is closed" / "Called end on pool more than once".
it('closing a store that opened its own PGlite twice (even at once) resolves, and closes the database once', async () => {
  const store = await PostgresEventStore.pglite();
  expect(await store.streamVersion('c')).toBe(0);
  await Promise.all([store.close(), store.close()]);
  await expect(store.close()).resolves.toBeUndefined();
  await expect(store.streamVersion('c')).rejects.toThrow(/closed/);
});
