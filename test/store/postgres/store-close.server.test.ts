import { expect, it } from 'vitest';
import { PostgresEventStore } from '../../../src/postgres.js';
import { freshSchema, serverUrl } from './server.js';

// A shutdown often closes twice (a SIGTERM handler and a `finally`): the second close is a no-op.
it('closing a store that opened its own pool twice (even at once) resolves, and ends the pool once', async () => {
  const schema = freshSchema('close');
  const store = await PostgresEventStore.connect(serverUrl(), { schema });
  try {
    expect(await store.streamVersion('c')).toBe(0);
  } finally {
    await store.client.exec(`drop schema if exists ${schema} cascade`);
  }
  await Promise.all([store.close(), store.close()]);
  await expect(store.close()).resolves.toBeUndefined();
  await expect(store.streamVersion('c')).rejects.toThrow(/end/);
});
