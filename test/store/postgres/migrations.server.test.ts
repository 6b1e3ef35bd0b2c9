import { expect, it } from 'vitest';
import { migrate, migrations } from '../../../src/postgres.js';
import { freshSchema, serverClient } from './server.js';

it('several processes starting at once migrate a fresh schema exactly once (advisory lock)', async () => {
  const clients = await Promise.all([serverClient(), serverClient(), serverClient(), serverClient()]);
  const schema = freshSchema('mig');
  try {
    const applied = await Promise.all(clients.map((client) => migrate(client, schema)));
    expect(applied.filter((a) => a.length > 0)).toEqual([migrations.map((m) => m.version)]);
    expect(applied.filter((a) => a.length === 0)).toHaveLength(3);
  } finally {
    await clients[0]?.exec(`drop schema if exists ${schema} cascade`);
    await Promise.all(clients.map((c) => c.close()));
  }
});
