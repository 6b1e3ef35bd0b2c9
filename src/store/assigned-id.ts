/**
 * The id a store gives an event appended without one, at stream version `version`:
 * `<customerId>:<version>`, or, when a stored event or an earlier event of the same batch already
 * has it (`taken`), the first free `~2`, `~3`… suffix. Later events of the batch do not count:
 * appended one at a time they would come after this one, and bring its id as a retry. One rule for
 * every store, the engine's plan and the CLI's check, so they cannot drift apart.
 */
export function assignedId(customerId: string, version: number, taken: (id: string) => boolean): string {
  const base = `${customerId}:${version}`;
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}~${n}`;
  return id;
}

/**
 * `assignedId` where a candidate may have to be looked up (a database): `taken(id, plain)` is told
 * whether `id` is the plain `<customerId>:<version>` form, which callers usually fetched
 * beforehand in one query, or a suffixed one (rare, looked up on its own).
 */
export async function assignedIdLookedUp(customerId: string, version: number, taken: (id: string, plain: boolean) => boolean | Promise<boolean>): Promise<string> {
  const base = `${customerId}:${version}`;
  let id = base;
  for (let n = 2; await taken(id, id === base); n++) id = `${base}~${n}`;
  return id;
}
