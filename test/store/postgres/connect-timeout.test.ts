import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresEventStore } from '../../../src/postgres.js';

/**
 * A server that takes the TCP connection and never answers (a hung server or proxy; a firewall
 * dropping packets looks alike for minutes): `pg`'s pools wait forever by default, so every call
 * of a store opened from a connection string, and a worker's pass, would hang with no error.
 */
let server: Server;
let port = 0;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

it("a connection string with connect_timeout (seconds, libpq's parameter) fails a call to a server that never answers, naming the timeout", async () => {
  const store = await PostgresEventStore.connect(`postgres://heed@127.0.0.1:${port}/heed?connect_timeout=1`);
  try {
    await expect(store.streamVersion('c')).rejects.toThrow(/timeout/i);
  } finally {
    await store.close();
  }
});

it('a connection string without connect_timeout still gives up (after 10 seconds) rather than hang', { timeout: 30_000 }, async () => {
  const store = await PostgresEventStore.connect(`postgres://heed@127.0.0.1:${port}/heed`);
  try {
    await expect(store.streamVersion('c')).rejects.toThrow(/timeout/i);
  } finally {
    await store.close();
  }
});
