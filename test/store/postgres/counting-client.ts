import type { SqlClient } from '../../../src/postgres.js';

/** A client that records the statements sent through it (outside transactions and inside). */
export function counting(client: SqlClient): { client: SqlClient; statements: string[] } {
  const statements: string[] = [];
  const wrapped: SqlClient = {
    kind: client.kind,
    copyFrom: client.copyFrom,
    query: (text, params, name) => (statements.push(text), client.query(text, params, name)),
    exec: (script) => (statements.push(script), client.exec(script)),
    transaction: (work) =>
      client.transaction((tx) => work({ query: (text, params, name) => (statements.push(text), tx.query(text, params, name)), exec: (s) => (statements.push(s), tx.exec(s)) })),
    session: () => client.session(),
    close: () => client.close(),
  };
  return { client: wrapped, statements };
}
